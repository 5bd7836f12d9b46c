// Runs the range test's training steps on ONNX Runtime's native CPU engine (onnxruntime-node, an optional
// dependency): one session per test over the training-step graph, one `run` per iteration.

import * as os from 'node:os';
import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { BuiltInTask } from '../taskData';
import { gatherBatch } from '../taskData';
import { buildMlpTrainingGraph, FEATURES, LABELS, LOSS, stepScalars } from './trainingGraph';

/** The parts of the onnxruntime-node API used here (typed locally: the package is optional). */
export interface OrtTensor {
  readonly data: Float32Array | ArrayLike<number>;
  readonly dims: readonly number[];
}
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OnnxRuntimeModule {
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
  readonly InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  readonly env: { readonly versions?: Record<string, string> };
}

/** Session options of every ONNX Runtime session here. */
export function onnxSessionOptions(): Record<string, unknown> {
  // One worker thread per core is ONNX Runtime's own default; it is spelt out so the figure is reproducible.
  return {
    intraOpNumThreads: Math.max(1, os.availableParallelism()),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

export interface OnnxTrainer {
  /** Runs one training step at `lr` and resolves with the loss before the update. */
  step(lr: number): Promise<number>;
  dispose(): Promise<void>;
}

/**
 * Creates the session and batches for a built-in MLP task; returns a reason string for a task that is not an
 * MLP or an optimizer the graph does not implement.
 */
export async function createMlpTrainer(ort: OnnxRuntimeModule, task: BuiltInTask, rule: UpdateRuleName, hyper: Hyperparameters): Promise<OnnxTrainer | string> {
  const { mlpSizes: sizes, dataset, order } = task;
  if (!sizes) return `${task.description} is not an MLP`;
  const graph = buildMlpTrainingGraph(sizes, order.size, rule, hyper);
  if (typeof graph === 'string') return graph;
  const session = await ort.InferenceSession.create(graph.model, onnxSessionOptions());
  const batches = Array.from({ length: order.batchCount }, (_, b) => {
    const { features, oneHot } = gatherBatch(dataset, order.batchRows(b));
    return { features: new ort.Tensor('float32', features, [order.size, sizes[0]!]), labels: new ort.Tensor('float32', oneHot, [order.size, dataset.classes]) };
  });
  // Weights and optimizer state go in every step and come back updated as `${name}.next`.
  const carried: { name: string; shape: readonly number[]; value: Float32Array }[] = [
    ...graph.parameters.map((name, index) => ({ name, shape: graph.parameterShapes[index]!, value: Float32Array.from(task.weights[index]!.values) })),
    ...graph.state.map((slot) => {
      const shape = graph.parameterShapes[slot.parameter]!;
      return { name: slot.name, shape, value: new Float32Array(task.weights[slot.parameter]!.values.length).fill(slot.initial) };
    }),
  ];
  let step = 0;

  return {
    async step(lr) {
      step += 1;
      const batch = batches[order.next()]!;
      const feeds: Record<string, OrtTensor> = { [FEATURES]: batch.features, [LABELS]: batch.labels };
      for (const tensor of carried) feeds[tensor.name] = new ort.Tensor('float32', tensor.value, tensor.shape);
      const scalars = stepScalars(rule, hyper, step, lr);
      for (const name of graph.scalars) feeds[name] = new ort.Tensor('float32', Float32Array.of(scalars[name]!), []);
      const out = await session.run(feeds);
      for (const tensor of carried) tensor.value = out[`${tensor.name}.next`]!.data as Float32Array;
      return out[LOSS]!.data[0]!;
    },
    async dispose() {
      await session.release();
    },
  };
}
