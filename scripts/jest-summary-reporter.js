// Prints one plain line, "N passed, N failed", from Jest's own aggregated results, so CI can read
// the outcome without parsing Jest's human summary. Suites that failed to run at all (a syntax
// error, a missing module) count as failures. With JEST_SUMMARY_FILE set (.ci/run sets it), the
// line is also written there, for the caller to print last, after Jest's own summary.
const { existsSync, readFileSync, writeFileSync } = require("node:fs");

/**
 * Proof lines: in these suites every test inside a describe block is one case of a claim, and the
 * line reads "<claim>: passed/total" (top-level tests, such as a check of the suite's coverage, are
 * not cases). A
 * failed case lowers the count; a suite that failed to run prints 0 of the cases it declared, or
 * says it did not run, so a broken suite never reads as a proof.
 */
const PROOFS = [
  { file: /[\\/]bad-inputs\.test\.ts$/, claim: "bad inputs rejected clearly" },
  { file: /[\\/]faults\.test\.ts$/, claim: "faults survived" },
  // The slow tier's half of the fault suite (Ctrl-C, kill -9, two applies at once).
  { file: /[\\/]faults-processes\.test\.ts$/, claim: "faults of Terraform's processes survived" },
];

function proofLines(results) {
  const lines = [];
  for (const { file, claim } of PROOFS) {
    const suite = results.testResults.find((r) => file.test(r.testFilePath));
    if (!suite) continue; // not part of this run (a path filter, or the slow tier)
    const cases = suite.testResults.filter(
      (t) => t.ancestorTitles.length > 0 && t.status !== "pending" && t.status !== "todo",
    );
    const passed = cases.filter((t) => t.status === "passed").length;
    const broken = suite.testExecError || suite.failureMessage ? " (some cases failed: see above)" : "";
    if (suite.testExecError && cases.length === 0)
      lines.push(`${claim}: suite did not run (see the error above)`);
    else lines.push(`${claim}: ${passed}/${cases.length}${passed === cases.length ? "" : broken}`);
  }
  return lines;
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const line of proofLines(results)) process.stdout.write(`\n${line}`);
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
