// Runs the range test's training steps on ONNX Runtime's native CPU engine (onnxruntime-node, an optional
// dependency): one session per test over the training-step graph of a built-in task (an MLP or the CNN) or of
// the user's model (onnx/userModelGraph.ts), one `run` per iteration.

import * as os from 'node:os';
import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import { isRangeTestRule } from '../../core/optim/updateRules';
import type { BatchOrder, BuiltInTask } from '../taskData';
import { gatherBatch } from '../taskData';
import { buildCnnTrainingGraph, cnnFeatureShape, toCnnGraphLayout } from './cnnTrainingGraph';
import type { TrainingGraph } from './trainingGraph';
import {
  buildMlpTrainingGraph,
  createStepScalars,
  FEATURES,
  LABELS,
  LOSS,
  rangeTestRefusal,
  stepName,
} from './trainingGraph';

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

/**
 * A task in graph form, whatever it came from: its training-step graph (or why there is none), the initial
 * weights in graph layout, the batch order, and each batch's features and labels (one-hot or targets).
 */
export interface GraphTask {
  readonly graph: TrainingGraph | string;
  readonly weights: readonly Float32Array[];
  readonly order: BatchOrder;
  batch(index: number): {
    features: Float32Array;
    featureShape: readonly number[];
    labels: Float32Array;
    labelShape: readonly number[];
  };
}

/**
 * Training steps per `run` of an MLP's graph when the learning rates are known in advance. onnxruntime-node 1.30
 * returns every fetched output as a new copy (the weights and optimizer state: 2.4 MB a step for mnist_mlp's
 * Adam); V8 counts those copies as external memory, and in the bundled worker, whose heap is larger, they set off
 * a full collection every few dozen steps. Four steps per run copy and collect a quarter as often. Only for
 * weights this large: on the spiral's small MLP, the four times larger graph took longer to load than it saved.
 */
const MLP_STEPS_PER_RUN = 4;
const MULTI_STEP_MIN_WEIGHT = 65536;

/** A built-in task in graph form: the MLP's or the CNN's graph, its weights in graph layout, one-hot labels. */
function taskGraph(task: BuiltInTask, rule: UpdateRuleName, hyper: Hyperparameters, steps = 1): GraphTask {
  const { mlpSizes, order, dataset } = task;
  const featureShape = mlpSizes ? [order.size, mlpSizes[0]!] : cnnFeatureShape(order.size);
  const batch = (index: number) => {
    const { features, oneHot } = gatherBatch(dataset, order.batchRows(index));
    return { features, featureShape, labels: oneHot, labelShape: [order.size, dataset.classes] };
  };
  if (mlpSizes) {
    return {
      graph: buildMlpTrainingGraph(mlpSizes, order.size, rule, hyper, steps),
      weights: task.weights.map((weight) => Float32Array.from(weight.values)),
      order,
      batch,
    };
  }
  return {
    graph: buildCnnTrainingGraph(order.size, rule, hyper),
    weights: toCnnGraphLayout(task.weights),
    order,
    batch,
  };
}

/**
 * Creates the session and batches for a built-in task (an MLP, or the CNN when `task.mlpSizes` is absent);
 * returns a reason string for an optimizer the graphs do not implement. Given `learningRates`, the whole
 * schedule that `step` will be called with, in order, an MLP runs several steps per native call (the losses come
 * back one per `step` all the same; after an early stop, up to three extra steps were computed and are dropped).
 */
export const createTrainer: TrainerFactory<BuiltInTask> = async (ort, task, rule, hyper, learningRates) => {
  const large = task.weights.some((weight) => weight.values.length > MULTI_STEP_MIN_WEIGHT);
  const steps =
    learningRates && task.mlpSizes && large ? Math.max(1, Math.min(MLP_STEPS_PER_RUN, learningRates.length)) : 1;
  return createGraphTrainer(ort, taskGraph(task, rule, hyper, steps), rule, hyper, learningRates);
};

/** How a trainer is made from a task: a trainer, or the reason (a string) the graphs cannot run it. */
type TrainerFactory<Task> = (
  ort: OnnxRuntimeModule,
  task: Task,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  learningRates?: readonly number[],
) => Promise<OnnxTrainer | string>;

/** Creates the session and batches for a task in graph form (a built-in one, or the user's model). */
export const createGraphTrainer: TrainerFactory<GraphTask> = async (ort, task, rule, hyper, learningRates) => {
  const { graph, weights, order } = task;
  if (typeof graph === 'string') return graph;
  if (!isRangeTestRule(rule)) return rangeTestRefusal(rule);
  const scalarsAt = createStepScalars(rule, hyper);
  const stepsPerRun = graph.steps ?? 1;
  if (stepsPerRun > 1 && !learningRates)
    throw new Error('A multi-step training graph needs the learning rates in advance.');
  const session = await ort.InferenceSession.create(graph.model, onnxSessionOptions());
  const batches = Array.from({ length: order.batchCount }, (_, b) => {
    const { features, featureShape, labels, labelShape } = task.batch(b);
    return {
      features: new ort.Tensor('float32', features, featureShape),
      labels: new ort.Tensor('float32', labels, labelShape),
    };
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
    ...graph.state.map((slot) => ({
      name: slot.name,
      shape: graph.groups[slot.group]!.shape,
      initial: new Float32Array(groupValues[slot.group]!.length).fill(slot.initial),
    })),
  ].map(({ name, shape, initial }) => ({
    name,
    buffers: [
      new ort.Tensor('float32', initial, shape),
      new ort.Tensor('float32', new Float32Array(initial.length), shape),
    ] as const,
  }));
  // The per-step scalars are tensors over one-value arrays rewritten before each run, and the feeds and fetches
  // of even and odd steps are built once. (What a step still allocates is onnxruntime-node's: 1.30 returns every
  // fetched output as a new copy, even one written into a preallocated tensor.)
  const runSteps = Array.from({ length: stepsPerRun }, (_, k) => k);
  const scalarValues = runSteps.map(() => graph.scalars.map(() => new Float32Array(1)));
  const scalarTensors = Object.fromEntries(
    runSteps.flatMap((k) =>
      graph.scalars.map(
        (name, index) => [stepName(name, k), new ort.Tensor('float32', scalarValues[k]![index]!, [])] as const,
      ),
    ),
  );
  const losses = Object.fromEntries(runSteps.map((k) => [stepName(LOSS, k), null]));
  const parities = [0, 1].map((current) => ({
    feeds: {
      ...scalarTensors,
      ...Object.fromEntries(carried.map((tensor) => [tensor.name, tensor.buffers[current]!])),
    } as Record<string, OrtTensor>,
    fetches: {
      ...losses,
      ...Object.fromEntries(carried.map((tensor) => [`${tensor.name}.next`, tensor.buffers[1 - current]!])),
    } as Record<string, OrtTensor | null>,
  }));
  let runs = 0;
  let taken = 0;
  /** Losses of the last run's steps not yet handed out. */
  let pending: number[] = [];

  return {
    async step(lr) {
      if (pending.length === 0) {
        const { feeds, fetches } = parities[runs % 2]!;
        for (const k of runSteps) {
          // Past the end of the schedule a run repeats its last rate; those steps' losses are never asked for.
          const index = taken + k;
          const rate = stepsPerRun === 1 ? lr : learningRates![Math.min(index, learningRates!.length - 1)]!;
          const batch = batches[order.next()]!;
          feeds[stepName(FEATURES, k)] = batch.features;
          feeds[stepName(LABELS, k)] = batch.labels;
          const scalars = scalarsAt(index + 1, rate);
          graph.scalars.forEach((name, i) => (scalarValues[k]![i]![0] = scalars[name]!));
        }
        runs += 1;
        const out = await session.run(feeds, fetches);
        pending = runSteps.map((k) => out[stepName(LOSS, k)]!.data[0]!);
      }
      if (stepsPerRun > 1 && lr !== learningRates![taken])
        throw new Error(
          `Step ${taken + 1} ran at ${learningRates![taken]}, not at ${lr}: the schedule given in advance was not followed.`,
        );
      taken += 1;
      return pending.shift()!;
    },
    async dispose() {
      await session.release();
    },
  };
};
