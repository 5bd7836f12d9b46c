// The schedule engine's public data: what a caller asks for (a scheduler block plus the optimizer) and the series it gets back.

export interface SchedulerConfig {
  readonly type: string;
  /**
   * Keyword arguments as written in the file, not resolved: the engine fills the defaults from the catalog.
   * Composite schedulers carry their children as `params.schedulers: SchedulerConfig[]`, in list order.
   */
  readonly params: Readonly<Record<string, unknown>>;
}

export interface OptimizerContext {
  /** The optimizer's lr, which PyTorch schedulers take as their base lr. */
  readonly lr: number;
  /** Present when the optimizer has a `momentum` hyperparameter (SGD, RMSprop), even when it is 0. */
  readonly momentum?: number;
  /** Present when the optimizer has `betas` (the Adam family). */
  readonly betas?: readonly [number, number];
}

export interface ScheduleRequest {
  readonly scheduler: SchedulerConfig;
  readonly optimizer: OptimizerContext;
  /** N: the engine returns lr[0..N-1], where lr[i] is the lr used by optimizer update i. */
  readonly steps: number;
  /** ReduceLROnPlateau only: metrics[i] is passed to the step between lr[i] and lr[i+1]. */
  readonly metrics?: ArrayLike<number>;
}

export interface ScheduleIssue {
  /** Path of the offending value relative to the scheduler block, e.g. ['T_mult'] or ['schedulers', 1, 'total_steps']; [] for the block itself. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what PyTorch (or HF / DeepSpeed) would do. */
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export type ScheduleMarkerKind = 'warmup-end' | 'milestone' | 'restart' | 'peak' | 'phase' | 'end';

export interface ScheduleMarker {
  readonly step: number;
  readonly label: string;
  readonly kind: ScheduleMarkerKind;
}

export interface ScheduleSeries {
  /** Length `steps`, or shorter when the library would raise at some step (then an issue says so). */
  readonly lr: Float64Array;
  /** Present when a scheduler cycles SGD-style momentum. */
  readonly momentum?: Float64Array;
  /** Present when a scheduler cycles Adam's beta1 (OneCycleLR, DeepSpeed OneCycle). */
  readonly betas?: readonly [Float64Array, Float64Array];
  readonly markers: readonly ScheduleMarker[];
  readonly issues: readonly ScheduleIssue[];
  /** What the curve assumes or leaves out (e.g. a timm scheduler's unit, its random noise); absent when nothing. */
  readonly notes?: readonly string[];
  /** What one point counts when it is not one optimizer step: `epoch` (a timm scheduler stepped per epoch) or `update`. */
  readonly unit?: 'epoch' | 'update';
}

export interface ScheduleSummary {
  readonly start: number;
  readonly peak: number;
  readonly peakStep: number;
  readonly final: number;
  readonly min: number;
  readonly minStep: number;
}
