// The compute host: jobs in a worker thread, progress, cancellation within 200 ms, and recovery from failures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ComputeHost } from '../../server/src/compute/computeHost';
import type { RangeTestJobParams, RangeTestResult } from '../../server/src/compute/jobs';
import { parseRangeTestSection } from '../../server/src/core/rangeTest/index';

const faultyWorker = path.join(__dirname, 'fixtures', 'faultyWorker.ts');

function spiral(numIter: number): RangeTestJobParams {
  return {
    rangeTest: parseRangeTestSection({ task: 'spiral', num_iter: numIter, seed: 2, start_lr: 1e-5, end_lr: 1e-2 })
      .params!,
    optimizer: { type: 'Adam', params: { lr: 1e-3 } },
    backend: { preferred: 'wasm' },
  };
}

test('a range test runs in the worker, reports progress and names its backend', async () => {
  const host = new ComputeHost(faultyWorker);
  try {
    const updates: number[] = [];
    const outcome = await host.run<RangeTestResult>({ name: 'rangeTest', params: spiral(20) }, (p) =>
      updates.push(p.fraction ?? -1),
    );
    assert.equal(outcome.status, 'completed', JSON.stringify(outcome));
    if (outcome.status !== 'completed') return;
    assert.equal(outcome.result.backend, 'wasm');
    assert.equal(outcome.result.losses.length, 20);
    assert.ok(updates.length >= 20 && updates[updates.length - 1] === 1);
  } finally {
    await host.dispose();
  }
});

test('cancel stops a running job within 200 ms and returns the partial curve', async () => {
  const host = new ComputeHost(faultyWorker);
  try {
    const controller = new AbortController();
    let cancelledAt = 0;
    const outcome = host.run<RangeTestResult>(
      { name: 'rangeTest', params: spiral(100000) },
      (p) => {
        if (!cancelledAt && (p.data as { index?: number } | undefined)?.index === 10) {
          cancelledAt = performance.now();
          controller.abort();
        }
      },
      controller.signal,
    );
    const result = await outcome;
    const latency = performance.now() - cancelledAt;
    assert.equal(result.status, 'cancelled');
    assert.ok(latency < 200, `cancel took ${latency.toFixed(1)} ms`);
    console.log(`cancel latency ${latency.toFixed(1)} ms`);
    if (result.status === 'cancelled' && result.result) assert.equal(result.result.stopped, 'cancelled');
    const next = await host.run({ name: 'listBackends', params: {} });
    assert.equal(next.status, 'completed');
  } finally {
    await host.dispose();
  }
});

test('a job that throws reports the reason, and the next job works', async () => {
  const host = new ComputeHost(faultyWorker);
  try {
    const failed = await host.run({ name: 'throwingJob', params: {} });
    assert.deepEqual(failed.status === 'failed' && [failed.kind, failed.reason], [
      'error',
      'Error: synthetic failure for the test',
    ]);
    const input = await host.run({
      name: 'rangeTest',
      params: { ...spiral(10), optimizer: { type: 'Lion', params: { lr: 1e-4 } } },
    });
    assert.equal(input.status === 'failed' && input.kind, 'input');
    const next = await host.run<RangeTestResult>({ name: 'rangeTest', params: spiral(10) });
    assert.equal(next.status, 'completed');
  } finally {
    await host.dispose();
  }
});

test('a job that exhausts memory reports it, and the next job gets a fresh worker', async () => {
  const host = new ComputeHost(faultyWorker, { resourceLimits: { maxOldGenerationSizeMb: 64 } });
  try {
    const failed = await host.run({ name: 'exhaustMemoryJob', params: {} });
    assert.equal(failed.status, 'failed');
    if (failed.status === 'failed') {
      assert.equal(failed.kind, 'out-of-memory');
      assert.match(failed.reason, /ran out of memory \(limit 64 MB\)/);
    }
    const next = await host.run<RangeTestResult>({ name: 'rangeTest', params: spiral(10) });
    assert.equal(next.status, 'completed', JSON.stringify(next));
  } finally {
    await host.dispose();
  }
});
