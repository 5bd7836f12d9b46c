// Runs the range test's training steps on ONNX Runtime's native CPU engine (onnxruntime-node, an optional
// dependency): one session per test over the training-step graph, one `run` per iteration.

import * as os from 'node:os';
import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { BatchOrder, Dataset, InitialWeight } from '../taskData';
import { gatherBatch } from '../taskData';
import { buildMlpTrainingGraph, FEATURES, LABELS, LOSS, stepScalars } from './trainingGraph';
import { GraphBuilder } from './onnxModel';

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

const NOT_INSTALLED = 'not installed (optional dependency onnxruntime-node)';

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}

function sessionOptions(): Record<string, unknown> {
  // One worker thread per core is ONNX Runtime's own default; it is spelt out so the figure is reproducible.
  return {
    intraOpNumThreads: Math.max(1, os.availableParallelism()),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
}

/** One line for a failure to load onnxruntime-node: absent, or a native library that does not load. */
export function explainOnnxRuntimeFailure(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'MODULE_NOT_FOUND' && firstLine(error).includes("'onnxruntime-node'")) return NOT_INSTALLED;
  return `onnxruntime-node could not be loaded: ${firstLine(error)}`;
}

/**
 * Loads onnxruntime-node and, with `selfTest`, proves it works by running a one-node graph (a job skips that:
 * its own session is the test). Resolves with the module, or one line saying why it cannot be used (not
 * installed, a native library that does not load, ...).
 */
export async function loadOnnxRuntime(selfTest: boolean): Promise<OnnxRuntimeModule | string> {
  let ort: OnnxRuntimeModule;
  try {
    ort = require('onnxruntime-node') as OnnxRuntimeModule;
  } catch (error) {
    return explainOnnxRuntimeFailure(error);
  }
  if (!selfTest) return ort;
  try {
    const g = new GraphBuilder('probe');
    g.output(g.one('Add', [g.input('a', [2]), g.input('b', [2])]), 'sum', [2]);
    const session = await ort.InferenceSession.create(g.encode(), sessionOptions());
    const out = await session.run({ a: new ort.Tensor('float32', Float32Array.of(1, 2), [2]), b: new ort.Tensor('float32', Float32Array.of(3, 4), [2]) });
    await session.release();
    const sum = Array.from(out.sum!.data);
    if (sum[0] !== 4 || sum[1] !== 6) return `onnxruntime-node gave a wrong answer on a self-test (${sum.join(', ')})`;
  } catch (error) {
    return `onnxruntime-node failed its self-test: ${firstLine(error)}`;
  }
  return ort;
}

export interface OnnxTrainer {
  /** Runs one training step at `lr` and resolves with the loss before the update. */
  step(lr: number): Promise<number>;
  dispose(): Promise<void>;
}

export interface MlpTrainingSetup {
  readonly sizes: readonly number[];
  readonly weights: readonly InitialWeight[];
  readonly dataset: Dataset;
  readonly order: BatchOrder;
  readonly rule: UpdateRuleName;
  readonly hyper: Hyperparameters;
}

/** Creates the session and batches for an MLP; returns a reason string for an optimizer it does not implement. */
export async function createMlpTrainer(ort: OnnxRuntimeModule, setup: MlpTrainingSetup): Promise<OnnxTrainer | string> {
  const { sizes, dataset, order, rule, hyper } = setup;
  const graph = buildMlpTrainingGraph(sizes, order.size, rule, hyper);
  if (typeof graph === 'string') return graph;
  const session = await ort.InferenceSession.create(graph.model, sessionOptions());
  const inputWidth = sizes[0]!;
  const batches = Array.from({ length: order.batchCount }, (_, b) => {
    const { features, oneHot } = gatherBatch(dataset, order.batchRows(b));
    return { features: new ort.Tensor('float32', features, [order.size, inputWidth]), labels: new ort.Tensor('float32', oneHot, [order.size, dataset.classes]) };
  });
  const values = new Map<string, Float32Array>();
  graph.parameters.forEach((name, index) => values.set(name, Float32Array.from(setup.weights[index]!.values)));
  for (const slot of graph.state) values.set(slot.name, new Float32Array(values.get(graph.parameters[slot.parameter]!)!.length).fill(slot.initial));
  const shapes = new Map<string, readonly number[]>();
  graph.parameters.forEach((name, index) => shapes.set(name, graph.parameterShapes[index]!));
  for (const slot of graph.state) shapes.set(slot.name, graph.parameterShapes[slot.parameter]!);
  const carried = [...graph.parameters, ...graph.state.map((slot) => slot.name)];
  let step = 0;

  return {
    async step(lr) {
      step += 1;
      const batch = batches[order.next()]!;
      const feeds: Record<string, OrtTensor> = { [FEATURES]: batch.features, [LABELS]: batch.labels };
      for (const name of carried) feeds[name] = new ort.Tensor('float32', values.get(name)!, shapes.get(name)!);
      const scalars = stepScalars(rule, hyper, step, lr);
      for (const name of graph.scalars) feeds[name] = new ort.Tensor('float32', Float32Array.of(scalars[name] ?? 0), []);
      const out = await session.run(feeds);
      for (const name of carried) values.set(name, out[`${name}.next`]!.data as Float32Array);
      return out[LOSS]!.data[0]!;
    },
    async dispose() {
      await session.release();
    },
  };
}
