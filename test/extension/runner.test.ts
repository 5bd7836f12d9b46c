// Tests of the in-editor suites' mocha adapter, in plain Node: failures, timeouts and hooks become outcomes, never throws.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { runSuites, type SuiteModule } from './runner';

const summarize = (outcomes: readonly { name: string; ok: boolean }[]): string[] =>
  outcomes.map((outcome) => `${outcome.ok ? 'ok' : 'FAIL'} ${outcome.name}`);

test('passing, failing, async and nested tests are reported in definition order with full names', async () => {
  const order: string[] = [];
  const module: SuiteModule = ({ suite, test: define, before, after }) => {
    suite('outer', () => {
      before(() => {
        order.push('before');
      });
      after(() => {
        order.push('after');
      });
      define('passes', () => {
        order.push('passes');
      });
      define('fails', () => {
        throw new Error('boom');
      });
      define('awaits', async () => {
        await Promise.resolve();
        order.push('awaits');
      });
      suite('inner', () => {
        define('rejects', () => Promise.reject(new Error('nope')));
      });
    });
  };
  const report = await runSuites([module], { defaultTimeoutMs: 1000 });
  assert.deepEqual(summarize(report.tests), [
    'ok outer > passes',
    'FAIL outer > fails',
    'ok outer > awaits',
    'FAIL outer > inner > rejects',
  ]);
  assert.equal(report.passed, 2);
  assert.equal(report.failed, 2);
  assert.equal(report.defined, 4);
  assert.match(report.tests[1]!.error!, /boom/);
  assert.deepEqual(order, ['before', 'passes', 'awaits', 'after']);
});

test('a test that never settles fails with a timeout and the run goes on', async () => {
  const report = await runSuites(
    [
      ({ test: define }) => {
        define('hangs', () => new Promise<void>(() => undefined), { timeoutMs: 20 });
        define('next', () => undefined);
      },
    ],
    { defaultTimeoutMs: 1000 },
  );
  assert.deepEqual(summarize(report.tests), ['FAIL hangs', 'ok next']);
  assert.match(report.tests[0]!.error!, /Timeout of 20ms exceeded/);
});

test('a failing before hook fails every test of its suite, nested ones included, and after hooks still run', async () => {
  let afterRan = false;
  const report = await runSuites(
    [
      ({ suite, test: define, before, after }) => {
        suite('broken', () => {
          before(() => {
            throw new Error('setup failed');
          });
          after(() => {
            afterRan = true;
          });
          define('a', () => undefined);
          suite('child', () => define('b', () => undefined));
        });
        define('outside', () => undefined);
      },
    ],
    { defaultTimeoutMs: 1000 },
  );
  assert.deepEqual(summarize(report.tests), ['ok outside', 'FAIL broken > a', 'FAIL broken > child > b']);
  assert.match(report.tests[1]!.error!, /before hook failed: .*setup failed/);
  assert.equal(afterRan, true);
});

test('a failing after hook is reported as its own failed result', async () => {
  const report = await runSuites(
    [
      ({ suite, test: define, after }) => {
        suite('s', () => {
          after(() => {
            throw new Error('teardown failed');
          });
          define('t', () => undefined);
        });
      },
    ],
    { defaultTimeoutMs: 1000 },
  );
  assert.deepEqual(summarize(report.tests), ['ok s > t', 'FAIL s > (after hook)']);
});

test('index.ts runs every suite module in test/extension/suite (mocha counts tests, not forgotten modules)', () => {
  const index = readFileSync(path.join(__dirname, 'index.ts'), 'utf8');
  const modules = readdirSync(path.join(__dirname, 'suite')).filter((name) => name.endsWith('.suite.ts'));
  assert.ok(modules.length > 0);
  for (const name of modules) {
    const exported = /export function (\w+)\(/.exec(readFileSync(path.join(__dirname, 'suite', name), 'utf8'))?.[1];
    assert.ok(exported, `${name} exports no suite function`);
    assert.match(
      index,
      new RegExp(`const SUITES[^\\n]*\\b${exported}\\b`),
      `${name} (${exported}) is not in SUITES in index.ts`,
    );
  }
});
