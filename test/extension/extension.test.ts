// Runs the in-editor suites (test/extension/suite) in a real VS Code, code-server, and reports each of their tests here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printReport, runExtensionTestsInCodeServer } from './runCodeServer';

/** The suites define this many tests; fewer results means a suite was dropped or a before hook swallowed some. */
const EXPECTED_TEST_COUNT = 9;

test('extension test modules pass inside code-server', { timeout: 300_000 }, async (context) => {
  const run = await runExtensionTestsInCodeServer({ log: (line) => context.diagnostic(line) });
  printReport(run, (line) => context.diagnostic(line));
  for (const outcome of run.report.tests) {
    await context.test(outcome.name, () => {
      assert.ok(outcome.ok, outcome.error ?? 'failed without an error message');
    });
  }
  assert.equal(run.report.tests.length, EXPECTED_TEST_COUNT, `expected ${EXPECTED_TEST_COUNT} results, got ${run.report.tests.length}`);
  assert.equal(run.report.failed, 0, `${run.report.failed} extension test(s) failed`);
});
