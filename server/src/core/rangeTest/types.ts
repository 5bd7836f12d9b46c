// Public types of the LR range test: its parameters, the curve it produces and the suggestions drawn from it.

import { RANGE_TEST_RULES, type UpdateRuleName } from '../optim/updateRules';

/**
 * `pytorch`: the user's own PyTorch model and data, run by the Python runner in the user's interpreter.
 * The built-in proxy tasks (`spiral`, `mnist_mlp`, `cnn`) and `user` (a TensorFlow.js Layers model and a CSV from the
 * workspace) run in the compute worker; their results say nothing about the user's own model.
 */
export const RANGE_TEST_TASKS = ['pytorch', 'spiral', 'mnist_mlp', 'cnn', 'user'] as const;
export type RangeTestTaskName = (typeof RANGE_TEST_TASKS)[number];

/** The synthetic tasks, whose results are measured on a model that is not the user's. */
export const PROXY_TASKS: readonly RangeTestTaskName[] = ['spiral', 'mnist_mlp', 'cnn'];

/**
 * The built-in losses of `task: pytorch`, each with the PyTorch call the runner makes
 * (`compute/python/optlens_range_test.py`); anything else is a `module:callable` entry point.
 */
export const BUILT_IN_LOSS_CALLS = {
  cross_entropy: 'torch.nn.functional.cross_entropy(outputs, targets)',
  mse: 'torch.nn.functional.mse_loss(outputs, targets)',
} as const;
export type BuiltInLoss = keyof typeof BUILT_IN_LOSS_CALLS;
export const BUILT_IN_LOSSES = Object.keys(BUILT_IN_LOSS_CALLS) as readonly BuiltInLoss[];

/**
 * The optimizers a range test can train with, on every engine (torch.optim's single-tensor update rules): the rules
 * marked `rangeTest` in the update-rule table (core/optim/updateRules.ts).
 */
export const RANGE_TEST_UPDATE_RULES: readonly UpdateRuleName[] = RANGE_TEST_RULES;

/** Layer sizes of the built-in tasks that are MLPs (ReLU between layers, logits out). */
export const BUILT_IN_MLP_SIZES: Partial<Record<RangeTestTaskName, readonly number[]>> = {
  spiral: [2, 64, 64, 3],
  mnist_mlp: [784, 256, 10],
};

export type RangeTestStepMode = 'exp' | 'linear';

/** The `range_test:` section with every default filled in. */
export interface RangeTestParams {
  readonly task: RangeTestTaskName;
  readonly startLr: number;
  readonly endLr: number;
  readonly numIter: number;
  readonly stepMode: RangeTestStepMode;
  /** Beta of the bias-corrected exponential moving average of the loss. */
  readonly smooth: number;
  /** Stop once the smoothed loss exceeds this multiple of the best smoothed loss so far. */
  readonly divergeThreshold: number;
  readonly batchSize: number;
  readonly seed: number;
  /**
   * Task `pytorch`: a Python entry point `module:callable` returning a `torch.nn.Module`.
   * Task `user`: the workspace-relative path of a TensorFlow.js Layers `model.json`.
   */
  readonly model?: string;
  /**
   * Task `pytorch`: a Python entry point `module:callable` returning an iterable of batches.
   * Task `user`: the workspace-relative path of a CSV of features with the label in the last column.
   */
  readonly data?: string;
  /** Task `pytorch`: `cross_entropy`, `mse` or a `module:callable(outputs, targets)`; absent when the model returns its loss. */
  readonly loss?: string;
  /** Task `pytorch`: `auto` (cuda, then mps, then cpu) or a torch device string such as `cuda:1`. */
  readonly device: string;
}

/** A problem in the `range_test:` section; `path` starts at the section key, e.g. `['range_test', 'start_lr']`. */
export interface RangeTestIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export type RangeTestStop = 'completed' | 'diverged' | 'cancelled';

/** One suggested learning rate with the sentence that explains where it came from. */
export interface LearningRateSuggestion {
  readonly lr: number;
  /** Index into the curve of the point the suggestion was read from. */
  readonly index: number;
  readonly explanation: string;
}

/** In the order they are shown: fastai's default (valley) first. */
export interface RangeTestSuggestions {
  readonly valley: LearningRateSuggestion | null;
  readonly steepest: LearningRateSuggestion | null;
  readonly minimum: LearningRateSuggestion | null;
}
