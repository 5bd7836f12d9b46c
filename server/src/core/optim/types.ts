// Public types of the optimizer engine: configs as written, issues, and single or batched optimizers.

/** An optimizer as the config writes it: the `type:` name and the keyword arguments verbatim. */
export interface OptimizerConfig {
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A problem with an optimizer config; `path` is relative to the optimizer block (`['lr']`, `['betas', 0]`, `['type']`). */
export interface OptimizerIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** One trajectory, float64, with state per coordinate. */
export interface Optimizer {
  readonly dim: number;
  /** One update in place; lrOverride replaces the lr (a schedule). */
  step(x: Float64Array, grad: Float64Array, lrOverride?: number): void;
}

/**
 * `count` trajectories of `dim` coordinates each, stored row by row (`x[t * dim + j]`), each with its own
 * hyperparameters. All trajectories step together, so they share the step counter.
 */
export interface BatchedOptimizer {
  readonly dim: number;
  readonly count: number;
  /** One update of every trajectory in place; each trajectory's lr is multiplied by `lrScale` (a schedule factor). */
  step(x: Float64Array, grad: Float64Array, lrScale?: number): void;
}

/** Coordinates grouped into blocks that stand for layers (LAMB / LARS trust ratios); lengths must sum to `dim`. */
export interface OptimizerOptions {
  readonly blocks?: readonly number[];
  /**
   * `fused` (default): multiply-adds rounded once, as PyTorch's CPU kernels do, so the torch.optim rules match
   * PyTorch 1.13 bit for bit on the reference cases. `plain`: two roundings, about an ulp apart per operation
   * and several times faster; meant for large batched sweeps.
   */
  readonly arithmetic?: 'fused' | 'plain';
}
