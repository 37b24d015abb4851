// Prints one plain line, "N passed, N failed", from Jest's own aggregated results, so CI can read
// the outcome without parsing Jest's human summary. Suites that failed to run at all (a syntax
// error, a missing module) count as failures. With JEST_SUMMARY_FILE set (.ci/run sets it), the
// line is also written there, for the caller to print last, after Jest's own summary.
const { existsSync, readFileSync, writeFileSync } = require("node:fs");

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    if (skipped)
      process.stdout.write(`\n${skipped} tests skipped (a -t filter, or .skip/.todo left in a test file)\n`);
    const line = `${results.numPassedTests} passed, ${failed} failed`;
    process.stdout.write(`\n${line}\n`);
    const file = process.env.JEST_SUMMARY_FILE;
    if (file) writeFileSync(file, `${addToEarlierRuns(file, results.numPassedTests, failed)}\n`);
  }
}
// .ci/run runs Jest more than once (the core suite, then test/slow): the file holds the sum.
function addToEarlierRuns(file, passed, failed) {
  const earlier = existsSync(file) ? /^(\d+) passed, (\d+) failed/.exec(readFileSync(file, "utf8")) : null;
  if (earlier) {
    passed += Number(earlier[1]);
    failed += Number(earlier[2]);
  }
  return `${passed} passed, ${failed} failed`;
}

module.exports = SummaryReporter;
