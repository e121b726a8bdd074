/** Jest configuration of `npm run test:terraform`: the real terraform binary judges the output. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test/terraform"],
  testMatch: ["**/*.tf-test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] },
  testTimeout: 600000,
  maxWorkers: 2,
};
