// The range test's training loop runs on an engine: TensorFlow.js (any of its backends, every task) or ONNX
// Runtime (the built-in tasks: the MLPs and the CNN; and the user's model where its graph can be built). Both
// start from the same data, weights and batch order.

import type { Hyperparameters, UpdateRuleName } from '../core/optim/hyperparameters';
import type { RangeTestParams, RangeTestTaskName } from '../core/rangeTest/types';
import type { BackendFilter, BackendName, LoadedBackend } from './backends';
import { rangeTestLearningRates } from '../core/rangeTest/ramp';
import { PROXY_TASKS, RANGE_TEST_UPDATE_RULES } from '../core/rangeTest/types';
import { createGraphTrainer, createTrainer } from './onnx/onnxTrainer';
import {
  loadUserGraphTask,
  userModelRefusal,
  userModelSource,
  type ReadText,
  type UserModelSource,
} from './onnx/userModelGraph';
import { createOptimizerStep } from './optimizerStep';
import { builtInTask } from './taskData';
import { createTask, RangeTestInputError } from './tasks';

export interface TrainingEngine {
  /** e.g. `spiral: MLP 2-64-64-3 on 3000 points of a 3-arm spiral`. */
  readonly description: string;
  /**
   * Runs one training step at `lr` and resolves with the losses that are known now: one per step, except on
   * backends where a read-back waits for a device, which return several at once every few steps (and on `last`).
   */
  step(lr: number, last: boolean): Promise<number[]>;
  /** Losses of steps that ran but were not read back yet (after a cancel). */
  flush(): number[];
  dispose(): Promise<void>;
}

/** Backends where each read-back waits for a device; there, losses are read in groups of this many. */
const GROUPED_READ_BACK: Partial<Record<BackendName, number>> = { webgpu: 8, 'tfjs-node-gpu': 8 };

/** The tasks ONNX Runtime has a training graph for: the built-in MLPs and the CNN. */
const ONNX_TASKS: readonly RangeTestTaskName[] = PROXY_TASKS;

/**
 * Why a backend cannot run this range test although it may load; used to pass it over visibly. For `task: user`
 * it reads the model.json from `workspaceRoot` (through the workspace file checks, once per `userModel`) to see
 * whether ONNX Runtime can build its graph.
 */
export function rangeTestFilter(
  params: RangeTestParams,
  rule: UpdateRuleName,
  workspaceRoot: string = process.cwd(),
  userModel: UserModelSource = userModelSource(params, workspaceRoot),
): BackendFilter {
  return (name) => {
    if (name !== 'onnxruntime') return undefined;
    if (params.task !== 'user' && !ONNX_TASKS.includes(params.task))
      return `runs the built-in tasks (${ONNX_TASKS.join(', ')}); task ${params.task} needs TensorFlow.js`;
    if (!RANGE_TEST_UPDATE_RULES.includes(rule)) return `has no ${rule} update`;
    return params.task === 'user' ? userModelRefusal(params, workspaceRoot, userModel) : undefined;
  };
}

/**
 * The backend filter and the engine of one range test, sharing what they read: for `task: user`, the model.json
 * is read once (on first use) for the filter's "can ONNX Runtime build this graph?" and the ONNX loader alike.
 */
export function rangeTestEngines(
  params: RangeTestParams,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  workspaceRoot: string,
  readText?: ReadText,
): { readonly filter: BackendFilter; create(backend: LoadedBackend): Promise<TrainingEngine> } {
  const userModel = userModelSource(params, workspaceRoot, readText);
  return {
    filter: rangeTestFilter(params, rule, workspaceRoot, userModel),
    create: (backend) => createEngine(backend, params, rule, hyper, workspaceRoot, userModel),
  };
}

/** Builds the engine for the loaded backend. Throws RangeTestInputError for problems with the user's inputs. */
export async function createEngine(
  backend: LoadedBackend,
  params: RangeTestParams,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  workspaceRoot: string,
  userModel: UserModelSource = userModelSource(params, workspaceRoot),
): Promise<TrainingEngine> {
  if (backend.kind === 'onnxruntime') {
    // The filter only lets ONNX Runtime through for a built-in task, or a user model whose graph can be built.
    const task =
      params.task === 'user'
        ? await loadUserGraphTask(params, workspaceRoot, rule, hyper, userModel)
        : builtInTask(params)!;
    // The job steps through this very ramp, so a built-in MLP can run several steps per native call.
    const ramp = rangeTestLearningRates(params.startLr, params.endLr, params.numIter, params.stepMode);
    const trainer =
      'graph' in task
        ? await createGraphTrainer(backend.ort, task, rule, hyper)
        : await createTrainer(backend.ort, task, rule, hyper, ramp);
    if (typeof trainer === 'string') throw new RangeTestInputError(trainer);
    return {
      description: task.description,
      step: async (lr) => [await trainer.step(lr)],
      flush: () => [],
      dispose: () => trainer.dispose(),
    };
  }

  const { tf } = backend;
  const task = await createTask(tf, params, workspaceRoot);
  const optimizerStep = createOptimizerStep(tf, rule, hyper, task.variables);
  if (typeof optimizerStep === 'string') {
    task.dispose();
    throw new RangeTestInputError(optimizerStep);
  }
  const groupSize = GROUPED_READ_BACK[backend.name] ?? 1;
  const pending: import('@tensorflow/tfjs-core').Scalar[] = [];
  const flush = (): number[] => {
    if (pending.length === 0) return [];
    const values = pending.length === 1 ? pending[0]!.dataSync() : tf.tidy(() => tf.stack(pending)).dataSync();
    tf.dispose(pending.splice(0, pending.length));
    return Array.from(values);
  };
  return {
    description: task.description,
    step: async (lr, last) => {
      const batch = task.batch();
      pending.push(optimizerStep.step(() => task.loss(batch.features, batch.labels), lr));
      return pending.length >= groupSize || last ? flush() : [];
    },
    flush,
    dispose: async () => {
      tf.dispose(pending);
      optimizerStep.dispose();
      task.dispose();
    },
  };
}
