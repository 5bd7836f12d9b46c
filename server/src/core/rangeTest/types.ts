// Public types of the LR range test: its parameters, the curve it produces and the suggestions drawn from it.

import type { UpdateRuleName } from '../optim/hyperparameters';

/** The built-in proxy tasks plus `user` (a TensorFlow.js Layers model and a CSV from the workspace). */
export type RangeTestTaskName = 'spiral' | 'mnist_mlp' | 'cnn' | 'user';

/** The optimizers a range test can train with, on every engine (torch.optim's single-tensor update rules). */
export const RANGE_TEST_UPDATE_RULES: readonly UpdateRuleName[] = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'];

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
  /** Workspace-relative path of a TensorFlow.js Layers `model.json` (task `user`). */
  readonly model?: string;
  /** Workspace-relative path of a CSV of features with the label in the last column (task `user`). */
  readonly data?: string;
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

export interface RangeTestSuggestions {
  readonly steepest: LearningRateSuggestion | null;
  readonly valley: LearningRateSuggestion | null;
  readonly minimum: LearningRateSuggestion | null;
}
