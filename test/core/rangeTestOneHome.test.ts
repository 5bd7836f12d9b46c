// One home for the range test's facts (issue 14): what each task trains lives in the catalog beside its documentation,
// and the view of a running test is built by the core (`runningRangeTestView`) that the client calls.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analysis';
import {
  RANGE_TEST_TASK_ENTRIES,
  RANGE_TEST_SECTION,
  rangeTestTaskDescription,
} from '../../server/src/core/catalog/rangeTestSection';
import * as rangeTestFeature from '../../server/src/core/features/rangeTest';
import {
  planRangeTest,
  runningRangeTestView,
  toRangeTestView,
  type RunningRangeTestPlan,
} from '../../server/src/core/features/rangeTest';
import { BUILT_IN_LOSSES, RANGE_TEST_TASKS } from '../../server/src/core/rangeTest/types';
import type { RangeTestPlanView } from '../../server/src/protocol';
import { cpuTorchRuntime } from '../rangeTestFixtures';

const ROOT = join(import.meta.dirname, '..', '..');
const native = (text: string) => analyze(text, { format: 'yaml', dialect: 'optim', fileName: 'a.optim.yaml' });

describe('task descriptions live in the catalog, one record per task', () => {
  test('every task has one record; the `task` documentation is written from the same records', () => {
    assert.deepEqual(Object.keys(RANGE_TEST_TASK_ENTRIES).sort(), [...RANGE_TEST_TASKS].sort());
    const doc = RANGE_TEST_SECTION.params.find((param) => param.name === 'task')!.doc;
    for (const task of RANGE_TEST_TASKS) {
      assert.ok(doc.includes(`\`${task}\` (${RANGE_TEST_TASK_ENTRIES[task].doc})`), `${task} in: ${doc}`);
      assert.equal(rangeTestTaskDescription(task), RANGE_TEST_TASK_ENTRIES[task].description);
    }
    // The documentation the hover, the JSON Schema and docs/ were generated from, unchanged.
    assert.equal(
      doc,
      'What to train: `pytorch` (your own model and data, `model`/`data`/`loss` below, in your Python), or a synthetic ' +
        'proxy whose result says nothing about your model: `spiral` (MLP on a 3-arm spiral, the default when the file has ' +
        'no `task`), `mnist_mlp` (MLP 784-256-10 on an MNIST-sized problem), `cnn` (small CNN on 28x28 images), or `user` ' +
        '(a TensorFlow.js model.json and a CSV from the workspace).',
    );
  });

  test("the plan's description is the catalog's, and the feature keeps no copy", () => {
    for (const task of ['spiral', 'mnist_mlp', 'cnn'] as const) {
      const plan = planRangeTest(
        native(`optimizer: {type: SGD, lr: 0.1}\nrange_test: {task: ${task}, num_iter: 10}\n`),
      );
      assert.equal(plan.kind, 'worker');
      assert.equal(plan.kind === 'worker' && plan.taskDescription, RANGE_TEST_TASK_ENTRIES[task].description);
    }
    assert.equal('TASK_DESCRIPTIONS' in rangeTestFeature, false);
  });
});

describe('the running view comes from the core', () => {
  const points = {
    lrs: [1e-6, 2e-6, 4e-6, 8e-6, 1.6e-5],
    losses: [2.3, 2.29, 2.25, 2.1, 1.9],
    smoothed: [2.3, 2.295, 2.28, 2.22, 2.13],
  };
  const runtime = cpuTorchRuntime();
  // As the server sends them (a compile-time check that the client's plan views fit the core's input).
  const onModel: RangeTestPlanView & RunningRangeTestPlan = {
    kind: 'pytorch',
    source: 'section',
    optimizerLabel: 'AdamW(weight_decay=0.05)',
    modelLabel: 'train.models:build_model',
    dataLabel: 'train.data:train_loader',
    settings: { startLr: 1e-7, endLr: 10, numIter: 300, seed: 0 },
  };
  const proxy: RangeTestPlanView & RunningRangeTestPlan = {
    kind: 'proxy',
    task: 'spiral',
    description: RANGE_TEST_TASK_ENTRIES.spiral.description,
    reason: 'no-section',
    native: true,
    optimizerLabel: 'SGD(momentum=0.9)',
    settings: { startLr: 1e-7, endLr: 10, numIter: 300, seed: 0 },
  };

  for (const count of [1, 2, 5]) {
    test(`${count} points on the user model: the points so far, the steps planned, no suggestions`, () => {
      const soFar = {
        lrs: points.lrs.slice(0, count),
        losses: points.losses.slice(0, count),
        smoothed: points.smoothed.slice(0, count),
        total: 300,
        runtime,
      };
      assert.deepEqual(runningRangeTestView('file:///w/my%20run.optim.yaml', onModel, soFar), {
        uri: 'file:///w/my%20run.optim.yaml',
        fileName: 'my run.optim.yaml',
        measuredOn: 'your-model',
        runtime,
        running: { total: 300 },
        backend: 'pytorch',
        backendAttempts: [],
        task: 'train.models:build_model on train.data:train_loader',
        optimizerLabel: 'AdamW(weight_decay=0.05)',
        lrs: soFar.lrs,
        losses: soFar.losses,
        smoothed: soFar.smoothed,
        stopped: 'cancelled',
        suggestions: { valley: null, steepest: null, minimum: null },
        notes: [],
        seconds: 0,
        applyTarget: 'lr',
      });
    });
  }

  test('a proxy run says so, and a run that ended without a result is no longer running and says how', () => {
    const soFar = { ...points, total: 300 };
    const running = runningRangeTestView('file:///w/a.optim.yaml', proxy, soFar);
    assert.equal(running.measuredOn, 'proxy');
    assert.equal(running.backend, 'worker');
    assert.equal(running.task, 'spiral');
    assert.equal(running.runtime, undefined);
    const ended = runningRangeTestView(
      'file:///w/a.optim.yaml',
      proxy,
      soFar,
      'Cancelled before the end: no suggestions.',
    );
    assert.equal(ended.running, undefined);
    assert.deepEqual(ended.notes, ['Cancelled before the end: no suggestions.']);
    assert.deepEqual(ended.lrs, points.lrs);
  });

  test('the running view names the file, the optimizer and the runtime as the finished view does', () => {
    const uri = 'file:///w/a.optim.yaml';
    const analysis = native('optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\n');
    const finished = toRangeTestView(
      analysis,
      uri,
      {
        backend: 'pytorch',
        backendAttempts: [],
        task: 'train.models:build_model on train.data:train_loader',
        ...points,
        stopped: 'completed',
        suggestions: { valley: null, steepest: null, minimum: null },
        notes: [],
        seconds: 3,
        runtime,
      },
      'your-model',
      onModel.optimizerLabel,
    );
    const running = runningRangeTestView(uri, onModel, { ...points, total: 5, runtime });
    for (const key of ['uri', 'fileName', 'measuredOn', 'backend', 'task', 'optimizerLabel', 'runtime', 'lrs'] as const)
      assert.deepEqual(running[key], finished[key], key);
  });

  test('the client builds its live view through the core, not by hand', () => {
    const client = readFileSync(join(ROOT, 'client', 'src', 'rangeTest.ts'), 'utf8');
    assert.match(client, /runningRangeTestView\(/);
    assert.doesNotMatch(client, /running:\s*\{\s*total/, 'the client writes no running view of its own');
    assert.doesNotMatch(client, /suggestions:\s*\{\s*valley/, 'the client writes no empty suggestions of its own');
  });
});

test('the built-in losses are one list: the runner, the catalog doc and the section check read the same names', () => {
  const runner = readFileSync(join(ROOT, 'server', 'src', 'compute', 'python', 'optlens_range_test.py'), 'utf8');
  const tuple = /^BUILT_IN_LOSSES = \(([^)]*)\)/m.exec(runner)?.[1] ?? '';
  assert.deepEqual(
    [...tuple.matchAll(/"([^"]+)"/g)].map((match) => match[1]),
    [...BUILT_IN_LOSSES],
  );
  const lossDoc = RANGE_TEST_SECTION.params.find((param) => param.name === 'loss')!.doc;
  for (const name of BUILT_IN_LOSSES) assert.match(lossDoc, new RegExp(`\`${name}\``));
});
