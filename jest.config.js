// `npm test`: the unit tests twice, on cdktf and on CDK Terrain (cdktn: the same tests, with
// cdktf and its providers mapped to their twins by scripts/build-cdktn.js RENAMES).
const { RENAMES } = require("./scripts/build-cdktn");

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** One project's settings; both run the same files. */
const project = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  collectCoverageFrom: ["src/**/*.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  collectCoverage: true,
  collectCoverageFrom: ["src/**/*.ts"],
  coverageReporters: ["text-summary", "lcov"],
  coverageThreshold: { global: { statements: 90, branches: 85, functions: 90, lines: 90 } },
  testTimeout: 60000,
  projects: [
    { ...project, displayName: "cdktf" },
    {
      ...project,
      displayName: "cdktn",
      // Not run twice: tests that never load the framework in this process (the Lambda handler,
      // eslint, the documents, the determinism check's child processes, the CLI, which reads synthesized JSON only);
      // the cross-framework tests; and the
      // snapshots, which hold cdktf's text (cdktn writes `[]` for `[\n]` and pins its newer aws
      // bindings): test/cdktn/same-terraform.test.ts compares the two outputs value by value.
      testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/ip-sync/", "<rootDir>/test/lint\\.test\\.ts$", "<rootDir>/test/docs\\.test\\.ts$",
        "<rootDir>/test/robustness/determinism\\.test\\.ts$", "<rootDir>/test/snapshots\\.test\\.ts$", "<rootDir>/test/cdktn/",
        "<rootDir>/test/cli/"],
      // Everywhere, node_modules included: cdktf -> cdktn, @cdktf/provider-aws/lib/x -> @cdktn/provider-aws/lib/x, ...
      moduleNameMapper: Object.fromEntries(Object.entries(RENAMES).map(([from, to]) => [`^${escape(from)}(/.*)?$`, `${to}$1`])),
    },
  ],
};
