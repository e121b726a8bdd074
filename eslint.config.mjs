// ESLint flat config: typescript-eslint recommended rules, plus the one rule this project
// cannot live without: providers are imported by deep path only (the root index of
// @cdktf/provider-aws costs ~2.8 s of load time; lib/<resource> ~0.1 s).
import tseslint from "typescript-eslint";

const rootProviders = ["@cdktf/provider-aws", "@cdktf/provider-dns", "@cdktf/provider-databricks"];
export const deepImportsOnly = {
  "no-restricted-imports": ["error", {
    paths: rootProviders.map((name) => ({
      name,
      message: `Import ${name} by deep path (e.g. ${name}/lib/provider): the root index loads every resource and costs seconds.`,
    })),
  }],
};

// Lines at most 140 columns (docs/design.md#how-expressions-are-built): long Terraform expressions and messages are built
// from named parts or split by concatenation, not written as one 300-character line.
const maxLen = { code: 140, ignoreUrls: true };

export default tseslint.config(
  { ignores: ["lib/**", "dist/**", "node_modules/**", "coverage/**", "**/cdktf.out/**", "**/*.d.ts", "scratch/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      ...deepImportsOnly,
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "eqeqeq": ["error", "always"],
      "max-len": ["error", maxLen],
    },
  },
  {
    // Node scripts (bench, example runner): CommonJS. bench/case.js measures the root-index
    // import on purpose (the root-import case), so that file alone may require the root.
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      sourceType: "commonjs",
      globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off", "eqeqeq": ["error", "always"], "max-len": ["error", maxLen] },
  },
  {
    // Tests compare against long expected messages verbatim, so their string literals may run long.
    files: ["test/**"],
    rules: { "max-len": ["error", { ...maxLen, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }] },
  },
  { files: ["eslint.config.mjs"], languageOptions: { sourceType: "module" } },
);
