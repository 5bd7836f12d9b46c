// Runs the in-editor suites (test/extension/suite) in a real VS Code, code-server, and reports each of their tests here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printReport, runExtensionTestsInCodeServer } from './runCodeServer';

test('extension test modules pass inside code-server', { timeout: 300_000 }, async (context) => {
  const run = await runExtensionTestsInCodeServer({ log: (line) => context.diagnostic(line) });
  printReport(run, (line) => context.diagnostic(line));
  for (const outcome of run.report.tests) {
    await context.test(outcome.name, () => {
      assert.ok(outcome.ok, outcome.error ?? 'failed without an error message');
    });
  }
  // mocha counts the defined tests before the run; runner.test.ts checks that index.ts runs every suite module.
  assert.ok(run.report.defined > 0, 'the suites define no tests');
  assert.equal(
    run.report.passed,
    run.report.defined,
    `${run.report.defined} tests defined, ${run.report.passed} passed`,
  );
  assert.equal(run.report.failed, 0, `${run.report.failed} extension test(s) failed`);
});
