// Octokit 22 and its plugins are ESM-only. Jest runs CommonJS here, so those packages
// (and their few ESM dependencies) are transformed like our own sources.
const esmPackages = [
  "@octokit",
  "universal-user-agent",
  "before-after-hook",
  "content-type",
  "json-with-bigint",
  "bottleneck",
  "toad-cache",
  "universal-github-app-jwt",
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.[cm]?[tj]s$": ["ts-jest", { tsconfig: { isolatedModules: true, allowJs: true, module: "commonjs", moduleResolution: "bundler", esModuleInterop: true } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
  testTimeout: 30000,
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
};
