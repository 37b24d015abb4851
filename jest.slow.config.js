// The slow tier: tests that pack and install the package, run the cdktf CLI or execute the CI
// workflow. Same transform and reporters as the core suite; only the test root differs.
const core = require("./jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...core,
  roots: ["<rootDir>/test/slow"],
  testPathIgnorePatterns: ["/node_modules/"],
  // Each of these tests drives whole processes (npm, terraform, the CLI): one at a time is faster
  // on 2 cores than several fighting for them.
  maxWorkers: 1,
  testTimeout: 600000,
  // @actions/expressions exports ESM only (the "import" condition), which Jest's CommonJS resolver
  // does not pick: point at its files; the core config's transform makes them CommonJS.
  moduleNameMapper: {
    "^@actions/expressions$": "<rootDir>/node_modules/@actions/expressions/dist/index.js",
    "^@actions/expressions/(.*)$": "<rootDir>/node_modules/@actions/expressions/dist/$1.js",
  },
};
