// The graph builder's scaled sum: folded into the Gemm that makes the value when it can (no node of its own),
// as Mul and Add nodes otherwise, and the same numbers either way when ONNX Runtime runs them. An MLP trainer
// given its schedule runs several steps per call and hands out the same losses, one per step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphBuilder } from '../../server/src/compute/onnx/onnxModel';
import { createTrainer } from '../../server/src/compute/onnx/onnxTrainer';
import type { OnnxRuntimeModule, OrtTensor } from '../../server/src/compute/onnx/onnxTrainer';
import { builtInTask } from '../../server/src/compute/taskData';
import { resolveOptimizer } from '../../server/src/core/optim/hyperparameters';
import { parseRangeTestSection } from '../../server/src/core/rangeTest/index';
import { rangeTestLearningRates } from '../../server/src/core/rangeTest/ramp';

const ort = require('onnxruntime-node') as OnnxRuntimeModule;

/** -0.5 (a^T b) + 0.25 p for a [3, 2], b [3, 4], p [2, 4]; `readFirst` makes another node read a^T b first. */
function scaledProductGraph(readFirst: boolean): { model: Uint8Array; opTypes: string[] } {
  const g = new GraphBuilder('scaled_sum');
  const a = g.input('a', [3, 2]);
  const b = g.input('b', [3, 4]);
  const p = g.input('p', [2, 4]);
  const product = g.one('Gemm', [a, b], { transA: 1 });
  if (readFirst) g.output(g.one('Relu', [product]), 'other', [2, 4]);
  g.output(g.scaledSum(product, -0.5, { value: p, factor: 0.25 }), 'y', [2, 4]);
  const opTypes = (g as unknown as { nodes: { opType: string }[] }).nodes.map((node) => node.opType);
  return { model: g.encode(), opTypes };
}

async function run(model: Uint8Array, feeds: Record<string, OrtTensor>): Promise<number[]> {
  const session = await ort.InferenceSession.create(model);
  const out = await session.run(feeds);
  await session.release();
  return Array.from(out.y!.data);
}

test('scaledSum folds the factors into the Gemm that nothing else reads, and computes the same sum as Mul and Add', async () => {
  const folded = scaledProductGraph(false);
  const unfolded = scaledProductGraph(true);
  assert.deepEqual(folded.opTypes, ['Gemm'], 'no element-wise node when the Gemm can take alpha, C and beta');
  assert.deepEqual(unfolded.opTypes, ['Gemm', 'Relu', 'Mul', 'Mul', 'Add'], 'a Gemm read elsewhere keeps its value');

  const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float32Array.from([1, -1, 2, 0.5, 0, 3, -2, 1, 4, 1, 1, -3]);
  const p = Float32Array.from([8, -4, 2, 6, 1, 0, -2, 10]);
  const feeds = {
    a: new ort.Tensor('float32', a, [3, 2]),
    b: new ort.Tensor('float32', b, [3, 4]),
    p: new ort.Tensor('float32', p, [2, 4]),
  };
  // Worked by hand: (a^T b)[i][j] = sum_k a[k][i] b[k][j].
  const expected: number[] = [];
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += a[k * 2 + i]! * b[k * 4 + j]!;
      expected.push(-0.5 * sum + 0.25 * p[i * 4 + j]!);
    }
  }
  assert.deepEqual(await run(folded.model, feeds), expected);
  assert.deepEqual(await run(unfolded.model, feeds), expected);
});

test('an MLP trainer given the schedule runs four steps per call: the same losses, one per step, and the schedule is enforced', async () => {
  // 10 steps: two full runs of four and one run whose last two steps are past the schedule.
  const params = parseRangeTestSection({
    task: 'mnist_mlp',
    num_iter: 10,
    seed: 2,
    batch_size: 32,
    start_lr: 1e-3,
    end_lr: 1e-1,
  }).params!;
  const { resolved } = resolveOptimizer({ type: 'AdamW', params: { lr: 1e-3, weight_decay: 0.01 } });
  assert.ok(resolved);
  const ramp = rangeTestLearningRates(params.startLr, params.endLr, params.numIter, params.stepMode);
  const curve = async (schedule?: readonly number[]): Promise<number[]> => {
    const trainer = await createTrainer(ort, builtInTask(params)!, resolved.rule, resolved.hyperparameters, schedule);
    assert.ok(typeof trainer !== 'string', String(trainer));
    const losses: number[] = [];
    for (const lr of ramp) losses.push(await trainer.step(lr));
    await trainer.dispose();
    return losses;
  };
  const oneByOne = await curve();
  const grouped = await curve(ramp);
  assert.equal(grouped.length, 10);
  grouped.forEach((loss, i) =>
    assert.ok(Math.abs(loss - oneByOne[i]!) <= 1e-6 * Math.abs(oneByOne[i]!), `step ${i}: ${loss} vs ${oneByOne[i]}`),
  );
  assert.ok(oneByOne[9] !== oneByOne[0], 'the weights moved');

  const trainer = await createTrainer(ort, builtInTask(params)!, resolved.rule, resolved.hyperparameters, ramp);
  assert.ok(typeof trainer !== 'string');
  await trainer.step(ramp[0]!);
  await assert.rejects(trainer.step(ramp[1]! * 2), /schedule given in advance was not followed/);
  await trainer.dispose();
});
