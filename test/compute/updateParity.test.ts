// The range test's float32 updates against the float64 kernel (core/optim/updateRules.ts): the TensorFlow.js step
// (compute/optimizerStep.ts) and the ONNX update (compute/onnx/trainingGraph.ts) of every rule the table marks
// `rangeTest`, a few steps on a diagonal quadratic with the lr changing every step (as the range test's ramp does).

import { describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type * as TensorFlow from '@tensorflow/tfjs-core';
import { createOptimizerStep } from '../../server/src/compute/optimizerStep';
import { GraphBuilder } from '../../server/src/compute/onnx/onnxModel';
import type { OnnxRuntimeModule, OrtTensor } from '../../server/src/compute/onnx/onnxTrainer';
import {
  addOptimizerUpdates,
  createStepScalars,
  declareScalars,
  stepName,
} from '../../server/src/compute/onnx/trainingGraph';
import { createOptimizer, resolveOptimizer, type OptimizerConfig } from '../../server/src/core/optim/index';
import { isRangeTestRule, RANGE_TEST_RULES, type RangeTestUpdateRule } from '../../server/src/core/optim/updateRules';

const ort = require('onnxruntime-node') as OnnxRuntimeModule;

/** f(x) = 0.5 * sum(d * x^2), so the gradient is d * x; the coordinates stay away from 0 at these learning rates. */
const CURVATURES = [1, 3, 10, 0.5, 30, 100];
const START = [1, -2, 0.5, 3, -0.25, 0.1];
/** The lr of each step: a rising ramp, so a rule that caches an lr (or a bias correction) at the wrong step shows. */
const RATES = [1e-3, 1.5e-3, 2e-3, 3e-3, 4e-3, 6e-3, 8e-3, 1e-2];

/** Several configurations per rule (their lr is replaced by `RATES`): every range-test rule must be here (checked below). */
const CONFIGS: OptimizerConfig[] = [
  { type: 'SGD', params: { lr: 0.1 } },
  { type: 'SGD', params: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 0.01 } },
  { type: 'SGD', params: { lr: 0.1, momentum: 0.9, dampening: 0.3, maximize: true } },
  { type: 'Adam', params: { lr: 1e-3, weight_decay: 0.01 } },
  { type: 'AdamW', params: { lr: 1e-3, weight_decay: 0.1, amsgrad: true, betas: [0.8, 0.99] } },
  { type: 'RMSprop', params: { lr: 1e-3, centered: true, momentum: 0.5, weight_decay: 1e-4 } },
  { type: 'Adagrad', params: { lr: 1e-2, lr_decay: 0.01, initial_accumulator_value: 0.1 } },
  { type: 'NAdam', params: { lr: 2e-3 } },
  { type: 'NAdam', params: { lr: 2e-3, momentum_decay: 0.008, weight_decay: 0.01 } },
  { type: 'NAdam', params: { lr: 2e-3, betas: [0.8, 0.99], eps: 1e-6 } },
];

function resolved(config: OptimizerConfig) {
  const { resolved: result, issues } = resolveOptimizer(config);
  assert.ok(result, JSON.stringify(issues));
  assert.ok(isRangeTestRule(result.rule), result.rule);
  return { rule: result.rule as RangeTestUpdateRule, hyper: result.hyperparameters };
}

/** The float64 trajectory: the kernel with its own gradients, the lr of each step given as an override. */
function kernelTrajectory(config: OptimizerConfig): number[][] {
  const optimizer = createOptimizer(config, START.length).optimizer!;
  const x = Float64Array.from(START);
  const rows: number[][] = [];
  for (const lr of RATES) {
    optimizer.step(
      x,
      x.map((value, j) => CURVATURES[j]! * value),
      lr,
    );
    rows.push(Array.from(x));
  }
  return rows;
}

async function tensorFlowTrajectory(config: OptimizerConfig): Promise<number[][]> {
  // As compute/backends.ts loads it: tfjs-layers registers the gradients of the core ops.
  require('@tensorflow/tfjs-layers');
  const tf = require('@tensorflow/tfjs-core') as typeof TensorFlow;
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const { rule, hyper } = resolved(config);
  const x = tf.variable(tf.tensor1d(START), true);
  const d = tf.tensor1d(CURVATURES);
  const step = createOptimizerStep(tf, rule, hyper, [x]);
  assert.ok(typeof step !== 'string', String(step));
  const rows: number[][] = [];
  for (const lr of RATES) {
    tf.dispose(step.step(() => tf.mul(tf.sum(tf.mul(d, tf.square(x))), 0.5) as TensorFlow.Scalar, lr));
    rows.push(Array.from(x.dataSync()));
  }
  step.dispose();
  tf.dispose([x, d]);
  return rows;
}

async function onnxTrajectory(config: OptimizerConfig): Promise<number[][]> {
  const { rule, hyper } = resolved(config);
  const n = START.length;
  const g = new GraphBuilder(`update_${rule}`);
  const x = g.input('x', [n]);
  const d = g.input('d', [n]);
  const scalars = declareScalars(g, rule, hyper);
  const gradient = g.one('Mul', [d, x]);
  const { state } = addOptimizerUpdates(
    g,
    rule,
    hyper,
    [{ name: 'x', shape: [n], members: [0] }],
    [gradient],
    scalars.inputs,
  );
  const session = await ort.InferenceSession.create(g.encode());
  const values = new Map<string, Float32Array>([
    ['x', Float32Array.from(START)],
    ...state.map((slot) => [slot.name, new Float32Array(n).fill(slot.initial)] as const),
  ]);
  const scalarsAt = createStepScalars(rule, hyper);
  const rows: number[][] = [];
  for (const [index, lr] of RATES.entries()) {
    const step = scalarsAt(index + 1, lr);
    const feeds: Record<string, OrtTensor> = { d: new ort.Tensor('float32', Float32Array.from(CURVATURES), [n]) };
    for (const [name, value] of values) feeds[name] = new ort.Tensor('float32', value, [n]);
    for (const name of scalars.names)
      feeds[stepName(name, 0)] = new ort.Tensor('float32', Float32Array.from([step[name]!]), []);
    const out = await session.run(feeds);
    for (const name of values.keys()) values.set(name, Float32Array.from(out[`${name}.next`]!.data));
    rows.push(Array.from(values.get('x')!));
  }
  await session.release();
  return rows;
}

/** Where a float32 trajectory leaves the float64 one by more than float32 rounding, or undefined. */
function mismatch(rows: readonly number[][], reference: readonly number[][]): string | undefined {
  const scale = Math.max(...reference.flat().map(Math.abs));
  for (const [k, row] of rows.entries()) {
    for (const [j, value] of row.entries()) {
      const expected = reference[k]![j]!;
      // Relative float32 rounding, plus an absolute part for coordinates that pass near 0 (cancellation).
      if (!(Math.abs(value - expected) <= 2e-6 * Math.abs(expected) + 1e-6 * scale))
        return `step ${k + 1} coordinate ${j}: ${value} vs ${expected}`;
    }
  }
  return undefined;
}

const label = (config: OptimizerConfig) => `${config.type} ${JSON.stringify(config.params)}`;

test('every rule the range test runs has a configuration here', () => {
  assert.deepEqual([...new Set(CONFIGS.map((config) => resolved(config).rule))].sort(), [...RANGE_TEST_RULES].sort());
});

for (const [backend, trajectory] of [
  ['the TensorFlow.js step', tensorFlowTrajectory],
  ['the ONNX update', onnxTrajectory],
] as const) {
  describe(`${backend} follows the float64 kernel within float32 rounding`, () => {
    for (const config of CONFIGS) {
      test(label(config), async () => {
        const reference = kernelTrajectory(config);
        const rows = await trajectory(config);
        assert.equal(mismatch(rows, reference), undefined);
        assert.notDeepEqual(rows.at(-1), START, 'the weights moved');
      });
    }
  });
}

test('the comparison catches a wrong rule: NAdam against Adam with the same arguments is outside the tolerance', async () => {
  const nadam = kernelTrajectory({ type: 'NAdam', params: { lr: 2e-3 } });
  const adam = await onnxTrajectory({ type: 'Adam', params: { lr: 2e-3 } });
  assert.notEqual(mismatch(adam, nadam), undefined);
});

test('docs/range-test.md names the rules the table marks rangeTest, in both of its lists', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'range-test.md'), 'utf8').replace(/\s+/g, ' ');
  const lists = [/Supported: ([^.]+)\./, /`cnn`, with ([^:]+):/].map((pattern) => {
    const found = pattern.exec(text);
    assert.ok(found, String(pattern));
    return found[1]!.split(/, | and /).sort();
  });
  for (const list of lists) assert.deepEqual(list, [...RANGE_TEST_RULES].sort());
});
