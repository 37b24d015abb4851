// Prints one plain closing line, "N passed, N failed", from Jest's own aggregated results, so CI
// can read the outcome without parsing Jest's human summary. Suites that failed to run at all
// (a syntax error, a missing module) count as failures.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "");
    process.stdout.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
