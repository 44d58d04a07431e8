// A Jest reporter that ends the run with one plain line, "jest: N passed, N failed, N skipped",
// which CI systems (and people skimming a log) read without knowing Jest's own summary.
class ClosingLineReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(
      `jest: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = ClosingLineReporter;
