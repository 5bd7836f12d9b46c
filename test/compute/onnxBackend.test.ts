// The ONNX Runtime engine: its curves agree with TensorFlow.js (WASM) from the same seed for every optimizer
// it implements, on the MLPs and the CNN; the comparison rejects deliberately broken CNN runs; tasks it has no
// graph for fall back visibly, and load failures read as one line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rangeTestJob } from '../../server/src/compute/jobs';
import type { RangeTestJobParams } from '../../server/src/compute/jobs';
import { explainOnnxRuntimeFailure } from '../../server/src/compute/backends';
import { rangeTestFilter } from '../../server/src/compute/engines';
import { buildMlpTrainingGraph, stepScalars } from '../../server/src/compute/onnx/trainingGraph';
import { createTrainer } from '../../server/src/compute/onnx/onnxTrainer';
import type { OnnxRuntimeModule } from '../../server/src/compute/onnx/onnxTrainer';
import { builtInTask } from '../../server/src/compute/taskData';
import type { BuiltInTask, InitialWeight } from '../../server/src/compute/taskData';
import { rangeTestLearningRates } from '../../server/src/core/rangeTest/ramp';
import { resolveOptimizer } from '../../server/src/core/optim/hyperparameters';
import { parseRangeTestSection } from '../../server/src/core/rangeTest/index';
import type { BackendName } from '../../server/src/compute/backends';
import type { OptimizerConfig } from '../../server/src/core/optim/types';

function params(
  section: Record<string, unknown>,
  optimizer: OptimizerConfig,
  backend: BackendName,
): RangeTestJobParams {
  const parsed = parseRangeTestSection(section);
  assert.ok(parsed.params, JSON.stringify(parsed.issues));
  return { rangeTest: parsed.params, optimizer, backend: { preferred: backend } };
}

const run = (p: RangeTestJobParams) =>
  rangeTestJob(
    p,
    () => {},
    () => false,
  );

const OPTIMIZERS: OptimizerConfig[] = [
  { type: 'SGD', params: { lr: 0.1 } },
  { type: 'SGD', params: { lr: 0.1, momentum: 0.9, dampening: 0.3, weight_decay: 1e-3 } },
  { type: 'SGD', params: { lr: 0.1, momentum: 0.9, nesterov: true, maximize: false } },
  { type: 'Adam', params: { lr: 1e-3, weight_decay: 0.01 } },
  { type: 'AdamW', params: { lr: 1e-3, weight_decay: 0.1, amsgrad: true, betas: [0.8, 0.99] } },
  { type: 'RMSprop', params: { lr: 1e-3 } },
  { type: 'RMSprop', params: { lr: 1e-3, centered: true, momentum: 0.5, weight_decay: 1e-4 } },
  { type: 'Adagrad', params: { lr: 1e-2, lr_decay: 0.01, initial_accumulator_value: 0.1 } },
  { type: 'NAdam', params: { lr: 2e-3, momentum_decay: 0.008, weight_decay: 1e-4 } },
];

/** Why two loss curves from the same seed on two float32 engines differ by more than rounding, or undefined. */
function curveMismatch(losses: readonly number[], reference: readonly number[]): string | undefined {
  if (losses.length !== reference.length) return `${losses.length} steps against ${reference.length}`;
  const step = losses.findIndex(
    (loss, i) => !(Math.abs(loss - reference[i]!) <= 1e-4 + 1e-3 * Math.abs(reference[i]!)),
  );
  return step < 0 ? undefined : `step ${step}: ${losses[step]} vs ${reference[step]}`;
}

/** Batches per task: the CNN's steps are the slowest on WASM, so it runs smaller batches. */
const SECTIONS = {
  spiral: { task: 'spiral', num_iter: 12, seed: 5, batch_size: 64, start_lr: 1e-3, end_lr: 1e-1 },
  mnist_mlp: { task: 'mnist_mlp', num_iter: 12, seed: 5, batch_size: 64, start_lr: 1e-3, end_lr: 1e-1 },
  cnn: { task: 'cnn', num_iter: 10, seed: 5, batch_size: 16, start_lr: 1e-3, end_lr: 1e-1 },
} as const;

for (const task of ['spiral', 'mnist_mlp', 'cnn'] as const) {
  test(`${task}: onnxruntime and wasm give the same curve from the same seed, for every optimizer`, async () => {
    // A ramp that moves the weights visibly, so a wrong update rule shows in the losses after a few steps.
    const section = SECTIONS[task];
    for (const optimizer of OPTIMIZERS) {
      const onnx = await run(params(section, optimizer, 'onnxruntime'));
      const wasm = await run(params(section, optimizer, 'wasm'));
      assert.equal(onnx.backend, 'onnxruntime');
      assert.equal(wasm.backend, 'wasm');
      assert.equal(onnx.task, wasm.task);
      assert.equal(onnx.losses.length, wasm.losses.length, `${optimizer.type}: both ran as many steps`);
      // Float32 on two engines: the rounding differs, the curve must not.
      assert.equal(
        curveMismatch(onnx.losses, wasm.losses),
        undefined,
        `${optimizer.type} ${JSON.stringify(optimizer.params)}`,
      );
      assert.ok(onnx.losses[onnx.losses.length - 1] !== onnx.losses[0], 'the weights moved');
    }
  });
}

test('cnn: the curve comparison rejects a broken network or update (mutants of the ONNX run)', async () => {
  const ort = require('onnxruntime-node') as OnnxRuntimeModule;
  const optimizer: OptimizerConfig = { type: 'Adam', params: { lr: 1e-3 } };
  const p = params(SECTIONS.cnn, optimizer, 'wasm');
  const reference = (await run(p)).losses;
  const { resolved } = resolveOptimizer(optimizer);
  assert.ok(resolved);
  const ramp = rangeTestLearningRates(
    p.rangeTest.startLr,
    p.rangeTest.endLr,
    p.rangeTest.numIter,
    p.rangeTest.stepMode,
  );
  const curve = async (mutate: (task: BuiltInTask) => BuiltInTask, lrScale = 1): Promise<number[]> => {
    const trainer = await createTrainer(
      ort,
      mutate(builtInTask(p.rangeTest)!),
      resolved.rule,
      resolved.hyperparameters,
    );
    assert.ok(typeof trainer !== 'string', String(trainer));
    const losses: number[] = [];
    for (const lr of ramp) losses.push(await trainer.step(lr * lrScale));
    await trainer.dispose();
    return losses;
  };
  const withWeight =
    (index: number, change: (weight: InitialWeight) => Float32Array) =>
    (task: BuiltInTask): BuiltInTask => ({
      ...task,
      weights: task.weights.map((weight, i) =>
        i === index ? { shape: weight.shape, values: change(weight) } : weight,
      ),
    });
  // The harness itself agrees with WASM: the mutants below differ only by their mutation.
  assert.equal(curveMismatch(await curve((task) => task), reference), undefined);
  // The second kernel's taps flipped (a convolution instead of a cross-correlation).
  const flipped = withWeight(2, ({ values }) => {
    const out = new Float32Array(values.length);
    const rowWidth = values.length / 9;
    for (let tap = 0; tap < 9; tap++)
      out.set(values.subarray((8 - tap) * rowWidth, (9 - tap) * rowWidth), tap * rowWidth);
    return out;
  });
  assert.notEqual(curveMismatch(await curve(flipped), reference), undefined, 'flipped kernel');
  // The dense layer's rows off by one channel (a wrong flattening order).
  const shifted = withWeight(4, ({ values }) => {
    const out = new Float32Array(values.length);
    out.set(values.subarray(10), 0);
    out.set(values.subarray(0, 10), values.length - 10);
    return out;
  });
  assert.notEqual(curveMismatch(await curve(shifted), reference), undefined, 'dense rows shifted');
  // The update 5% too large: the first loss agrees (it is before any update), the later ones must not.
  const fast = await curve((task) => task, 1.05);
  assert.equal(curveMismatch(fast.slice(0, 1), reference.slice(0, 1)), undefined);
  assert.notEqual(curveMismatch(fast, reference), undefined, 'learning rate 5% off');
});

test('onnxruntime: same seed, same curve; another seed, another curve', async () => {
  const section = { task: 'spiral', num_iter: 20, seed: 11, start_lr: 1e-4, end_lr: 1 };
  const adam: OptimizerConfig = { type: 'Adam', params: { lr: 1e-3 } };
  const first = await run(params(section, adam, 'onnxruntime'));
  const second = await run(params(section, adam, 'onnxruntime'));
  assert.deepEqual(first.losses, second.losses);
  const other = await run(params({ ...section, seed: 12 }, adam, 'onnxruntime'));
  assert.notDeepEqual(other.losses, first.losses);
});

test('a task or optimizer onnxruntime cannot run falls back to the next backend, and says why', async () => {
  const filter = (task: string, rule: 'Adam' | 'Lion') =>
    rangeTestFilter(
      params({ task, model: 'm.json', data: 'd.csv' }, { type: 'Adam', params: {} }, 'onnxruntime').rangeTest,
      rule,
    )('onnxruntime');
  for (const task of ['spiral', 'mnist_mlp', 'cnn']) assert.equal(filter(task, 'Adam'), undefined, task);
  // A user model is read to see whether its graph can be built (test/compute/onnxUserModel.test.ts); one that is not there goes to TensorFlow.js.
  assert.match(
    filter('user', 'Adam') ?? '',
    /^cannot build the graph of m\.json: range_test\.model: file not found: m\.json \(looked for .*\); TensorFlow\.js runs it$/,
  );
  assert.equal(filter('cnn', 'Lion'), 'has no Lion update');
  await assert.rejects(
    run(params({ task: 'spiral', num_iter: 5 }, { type: 'Lion', params: { lr: 1e-4 } }, 'onnxruntime')),
    /Lion has no TensorFlow\.js implementation/,
  );
});

test('the training graph refuses an optimizer it does not implement, with a reason', () => {
  const { resolved } = resolveOptimizer({ type: 'Lion', params: { lr: 1e-4 } });
  assert.ok(resolved);
  const graph = buildMlpTrainingGraph([2, 4, 3], 8, resolved.rule, resolved.hyperparameters);
  assert.equal(typeof graph, 'string');
  assert.match(graph as string, /Lion has no implementation on this backend/);
});

test('per-step scalars follow torch.optim: SGD momentum buffer starts as the gradient, Adam bias corrections, Adagrad lr_decay', () => {
  const sgd = resolveOptimizer({ type: 'SGD', params: { lr: 0.1, momentum: 0.9, dampening: 0.5 } }).resolved!;
  assert.deepEqual(stepScalars('SGD', sgd.hyperparameters, 1, 0.1), { lr: 0.1, bufferScale: 0, gradientScale: 1 });
  assert.deepEqual(stepScalars('SGD', sgd.hyperparameters, 2, 0.1), { lr: 0.1, bufferScale: 0.9, gradientScale: 0.5 });
  const adam = resolveOptimizer({ type: 'AdamW', params: { lr: 1e-3, weight_decay: 0.1 } }).resolved!;
  const scalars = stepScalars('AdamW', adam.hyperparameters, 3, 1e-3);
  // Both bias corrections folded into the step size and eps: lr / c1 / (sqrt(v) / sqrt(c2) + eps), with the first
  // moment kept as m / k, k = (1 - beta1) / sqrt(1 - beta2).
  assert.equal(
    scalars.stepSize,
    (1e-3 / (1 - 0.9 ** 3)) * Math.sqrt(1 - 0.999 ** 3) * ((1 - 0.9) / Math.sqrt(1 - 0.999)),
  );
  assert.equal(scalars.epsilon, 1e-8 * Math.sqrt(1 - 0.999 ** 3));
  assert.equal(scalars.decay, 1 - 1e-3 * 0.1);
  const adagrad = resolveOptimizer({ type: 'Adagrad', params: { lr: 0.01, lr_decay: 0.5 } }).resolved!;
  assert.equal(stepScalars('Adagrad', adagrad.hyperparameters, 3, 0.01).clr, 0.01 / 2);
});

test('a missing or broken onnxruntime-node reads as one line', () => {
  const missing = Object.assign(new Error("Cannot find module 'onnxruntime-node'\nRequire stack:\n- /x/worker.js"), {
    code: 'MODULE_NOT_FOUND',
  });
  assert.equal(
    explainOnnxRuntimeFailure(missing),
    'not shipped in this build (optional package onnxruntime-node is not installed)',
  );
  const broken = Object.assign(
    new Error(
      'libonnxruntime.so.1: cannot open shared object file: No such file or directory\n    at Module._extensions',
    ),
    { code: 'ERR_DLOPEN_FAILED' },
  );
  assert.equal(
    explainOnnxRuntimeFailure(broken),
    'onnxruntime-node could not be loaded: libonnxruntime.so.1: cannot open shared object file: No such file or directory',
  );
});
