// Runs the range test's training steps on ONNX Runtime's native CPU engine (onnxruntime-node, an optional
// dependency): one session per test over the training-step graph of a built-in task (an MLP or the CNN), one
// `run` per iteration.

import * as os from 'node:os';
import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { BuiltInTask } from '../taskData';
import { gatherBatch } from '../taskData';
import { buildCnnTrainingGraph, cnnFeatureShape, toCnnGraphLayout } from './cnnTrainingGraph';
import { buildMlpTrainingGraph, FEATURES, LABELS, LOSS, stepScalars } from './trainingGraph';

/** The parts of the onnxruntime-node API used here (typed locally: the package is optional). */
export interface OrtTensor {
  readonly data: Float32Array | ArrayLike<number>;
  readonly dims: readonly number[];
}
interface OrtSession {
  /** `fetches` names the outputs wanted: into a preallocated tensor, or (null) into a new one. */
  run(feeds: Record<string, OrtTensor>, fetches?: Record<string, OrtTensor | null>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OnnxRuntimeModule {
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  readonly InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  readonly env: { readonly versions?: Record<string, string> };
}

/** Session options of every ONNX Runtime session here. */
export function onnxSessionOptions(): Record<string, unknown> {
  return {
    // One worker thread per core is ONNX Runtime's own default; it is spelt out so the figure is reproducible.
    intraOpNumThreads: Math.max(1, os.availableParallelism()),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Idle workers sleep instead of spinning. A step is a few hundred small kernels, and spinning workers compete
    // with everything else for the cores: on the 2-core benchmark machine under load, spinning made the MLP and
    // CNN loops 2 to 3 times slower (bench/rangeTest.bench.ts; docs/range-test.md, Speed).
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

export interface OnnxTrainer {
  /** Runs one training step at `lr` and resolves with the loss before the update. */
  step(lr: number): Promise<number>;
  dispose(): Promise<void>;
}

/** The training-step graph of a built-in task, its initial weights in graph layout and its features' shape. */
function taskGraph(task: BuiltInTask, rule: UpdateRuleName, hyper: Hyperparameters) {
  const { mlpSizes, order } = task;
  if (mlpSizes) {
    return { graph: buildMlpTrainingGraph(mlpSizes, order.size, rule, hyper), weights: task.weights.map((weight) => Float32Array.from(weight.values)), featureShape: [order.size, mlpSizes[0]!] };
  }
  return { graph: buildCnnTrainingGraph(order.size, rule, hyper), weights: toCnnGraphLayout(task.weights), featureShape: cnnFeatureShape(order.size) };
}

/**
 * Creates the session and batches for a built-in task (an MLP, or the CNN when `task.mlpSizes` is absent);
 * returns a reason string for an optimizer the graphs do not implement.
 */
export async function createTrainer(ort: OnnxRuntimeModule, task: BuiltInTask, rule: UpdateRuleName, hyper: Hyperparameters): Promise<OnnxTrainer | string> {
  const { dataset, order } = task;
  const { graph, weights, featureShape } = taskGraph(task, rule, hyper);
  if (typeof graph === 'string') return graph;
  const session = await ort.InferenceSession.create(graph.model, onnxSessionOptions());
  const batches = Array.from({ length: order.batchCount }, (_, b) => {
    const { features, oneHot } = gatherBatch(dataset, order.batchRows(b));
    return { features: new ort.Tensor('float32', features, featureShape), labels: new ort.Tensor('float32', oneHot, [order.size, dataset.classes]) };
  });
  // Weights and optimizer state go in every step and come back updated as `${name}.next`, written by ONNX
  // Runtime into preallocated tensors: two per value, fed and fetched in turn, so a step allocates no weight-sized
  // arrays and no weight is touched by JavaScript (an output cannot overwrite its input: other nodes still read it).
  const groupValues = graph.groups.map((group) => {
    const values = new Float32Array(group.shape.reduce((a, b) => a * b, 1));
    let offset = 0;
    for (const member of group.members) {
      values.set(weights[member]!, offset);
      offset += weights[member]!.length;
    }
    return values;
  });
  const carried = [
    ...graph.groups.map((group, index) => ({ name: group.name, shape: group.shape, initial: groupValues[index]! })),
    ...graph.state.map((slot) => ({ name: slot.name, shape: graph.groups[slot.group]!.shape, initial: new Float32Array(groupValues[slot.group]!.length).fill(slot.initial) })),
  ].map(({ name, shape, initial }) => ({
    name,
    buffers: [new ort.Tensor('float32', initial, shape), new ort.Tensor('float32', new Float32Array(initial.length), shape)] as const,
  }));
  let step = 0;

  return {
    async step(lr) {
      const batch = batches[order.next()]!;
      const feeds: Record<string, OrtTensor> = { [FEATURES]: batch.features, [LABELS]: batch.labels };
      const fetches: Record<string, OrtTensor | null> = { [LOSS]: null };
      const current = step % 2;
      for (const tensor of carried) {
        feeds[tensor.name] = tensor.buffers[current];
        fetches[`${tensor.name}.next`] = tensor.buffers[1 - current];
      }
      step += 1;
      const scalars = stepScalars(rule, hyper, step, lr);
      for (const name of graph.scalars) feeds[name] = new ort.Tensor('float32', Float32Array.of(scalars[name]!), []);
      const out = await session.run(feeds, fetches);
      return out[LOSS]!.data[0]!;
    },
    async dispose() {
      await session.release();
    },
  };
}
