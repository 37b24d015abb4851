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
  "@actions/expressions",
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // test/slow/ holds what is slow by nature (packing and installing the package, the cdktf CLI, the
  // CI workflow executed): `npm run test:slow` (jest.slow.config.js) runs it, and so does .ci/run.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/slow/"],
  // swc, not ts-jest: it only strips types (the typecheck is `npm run typecheck`'s job), and a fresh
  // clone, as in CI, starts with a cold transform cache (Jest keys it by path): measured on 2 cores,
  // the whole suite cold took 116 s of CPU with ts-jest and 105 s with swc (64.8 s -> 59.2 s of Jest
  // time); warm, both about the same. Its CommonJS output defines exports as getters, which
  // jest.spyOn cannot replace: mock a module with jest.mock instead (test/constructs.test.ts).
  transform: {
    "^.+\\.[cm]?[tj]s$": [
      "@swc/jest",
      {
        jsc: { parser: { syntax: "typescript" }, target: "es2022" },
        module: { type: "commonjs" },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "cjs", "json"],
  testTimeout: 30000,
  // Jest's default is one worker per core but one: a single worker on a 2-core machine. The
  // end-to-end suites mostly wait on terraform and on the emulator's timed faults, so three run
  // side by side with no contention that matters: 68 s -> 33 s for the whole suite, measured.
  maxWorkers: 3,
  reporters: ["default", "<rootDir>/scripts/jest-summary-reporter.js"],
  // `npm test` runs the core suite with --coverage and these thresholds (a single file run with
  // --coverage falls below them: they hold for the whole suite). Every source file counts, loaded or
  // not; what runs only inside the bundled provider process under Terraform (its gRPC server and
  // entry point) is not seen here, the resources are, through the fast tier. Set a little below
  // what the whole suite measured (lines 92.1%, branches 82.4%, as swc's output is counted), so a
  // change that drops tests fails.
  collectCoverageFrom: ["src/**/*.ts", "!src/**/*.d.ts"],
  coverageReporters: ["text-summary", "json-summary"],
  coverageThreshold: { global: { lines: 91, branches: 81 } },
};
