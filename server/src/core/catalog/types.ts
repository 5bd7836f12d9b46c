// The shape of the catalog: the one place where knowledge about optimizers, schedulers and config sections lives.

/** The value type of a parameter, as the config file writes it. */
export type ParamType =
  | 'number'
  | 'integer'
  | 'boolean'
  | 'string'
  | 'enum'
  /** Two numbers, e.g. Adam's `betas`. */
  | 'numberPair'
  | 'numberList'
  | 'integerList'
  /** A list of nested scheduler blocks (SequentialLR, ChainedScheduler). */
  | 'schedulerList'
  /** A number or a list of numbers (per-parameter-group values, e.g. OneCycleLR max_lr). */
  | 'numberOrList'
  /** A number or a string (e.g. HF `warmup_steps` can be a ratio), or anything opaque. */
  | 'any';

/** A numeric bound; `exclusive` makes it strict. */
export interface Bound {
  readonly value: number;
  readonly exclusive?: boolean;
}

export interface ParamSpec {
  /** The keyword argument name, exactly as PyTorch / HF / DeepSpeed spell it. */
  readonly name: string;
  readonly type: ParamType;
  /** Allowed values for `enum` parameters. */
  readonly values?: readonly string[];
  /** The library's default; `undefined` when the argument is required. */
  readonly default?: unknown;
  readonly required?: boolean;
  /** Required before this PyTorch release, defaulted from it on (SGD's `lr`, which has a default since 2.2). */
  readonly requiredUntil?: string;
  /** Range of the number (or of each element of a pair / list). */
  readonly min?: Bound;
  readonly max?: Bound;
  /** One-line Markdown description. */
  readonly doc: string;
  /**
   * What the number counts, so cross-field rules can compare it with the run length:
   * `steps` (optimizer updates, when the scheduler is stepped per batch) or `ratio` (a fraction of the run).
   */
  readonly unit?: 'steps' | 'ratio' | 'lr';
  /** For a step count (`unit: 'steps'`): what it marks in the run, for the run-length checks (see `StepRole`). */
  readonly stepRole?: StepRole;
  /** Accepted but ignored or deprecated: the message explains. */
  readonly deprecated?: string;
  /** The PyTorch release that deprecated it (then `deprecated` applies from that release on only). */
  readonly deprecatedIn?: string;
  /** The PyTorch release that added the keyword; absent when 1.13 has it (torch.optim entries only). */
  readonly since?: string;
  /** The PyTorch release that removed the keyword. */
  readonly removedIn?: string;
  /** What the numerical engines (which reproduce PyTorch 1.13) do with it, when that differs from PyTorch's maths. */
  readonly engineNote?: string;
  /** Other names people write for this parameter (other libraries' spellings), so did-you-mean finds it. */
  readonly synonyms?: readonly string[];
}

export interface Reference {
  readonly title: string;
  readonly url: string;
}

/**
 * What a step-count parameter means for the run-length checks: the end of a warmup, a decay milestone, the
 * length of the whole schedule, or a period.
 */
export type StepRole = 'warmup' | 'milestone' | 'total' | 'period';

/** Shared fields of every catalog entry. */
export interface EntryBase {
  /** Canonical name used in `type:` (e.g. `AdamW`, `CosineAnnealingLR`, `hf.cosine`, `WarmupLR`). */
  readonly name: string;
  /** Other spellings accepted in `type:` (e.g. `torch.optim.AdamW`, DeepSpeed lower-case names). */
  readonly aliases?: readonly string[];
  /** One sentence, shown in completion lists. */
  readonly summary: string;
  /** Markdown: the update rule or formula, when to use it, pitfalls. */
  readonly doc: string;
  readonly references: readonly Reference[];
  readonly params: readonly ParamSpec[];
  /** The PyTorch release that added the class; absent when 1.13 has it (torch.optim entries only). */
  readonly since?: string;
  /** The PyTorch release that removed the class. */
  readonly removedIn?: string;
}

export interface OptimizerEntry extends EntryBase {
  readonly kind: 'optimizer';
  /** Where the class lives. */
  readonly library: 'torch' | 'deepspeed' | 'other';
  /** The optimizer has a `momentum` hyperparameter (what CyclicLR / OneCycleLR cycle on SGD-like optimizers). */
  readonly hasMomentum: boolean;
  /** The optimizer has `betas` (OneCycleLR cycles beta1). */
  readonly hasBetas: boolean;
  /**
   * How `weight_decay` acts: `l2` adds wd*x to the gradient (coupled), `decoupled` shrinks the weights
   * directly (AdamW), `none` when there is no weight decay argument.
   */
  readonly weightDecay: 'l2' | 'decoupled' | 'none';
  /** Adaptive (per-coordinate) methods, for which coupled L2 decay is a known trap. */
  readonly adaptive: boolean;
  /**
   * The lr range practitioners usually use, for the "lr far outside the usual range" warning. The low end of the Adam
   * family covers preference and RL fine-tuning (DPO, PPO: 5e-7 to 1e-6 are the usual values there).
   */
  readonly typicalLr: readonly [number, number];
  /** The canonical optimizer that this one is "the decoupled version" of, e.g. Adam -> AdamW. */
  readonly decoupledVariant?: string;
  /**
   * How a DeepSpeed ds_config names it. `types`: the `optimizer.type` spellings DeepSpeed maps to this class (it
   * compares them lower-cased; a torch.optim class is also found by its own name). `write`: the type that convert
   * writes for it; absent when a ds_config cannot build it.
   */
  readonly deepspeed?: { readonly types?: readonly string[]; readonly write?: string };
  /** transformers TrainingArguments `optim` values that run this update rule; the first is the one convert writes. */
  readonly hfOptim?: readonly string[];
  /**
   * For an optimizer outside torch.optim with the same update rule as a torch.optim class (what the range test on the
   * user's model builds instead): that class, another one when a boolean keyword is false, and the keywords torch's
   * class does not take (their defaults are torch's behaviour).
   */
  readonly torchEquivalent?: {
    readonly classPath: string;
    readonly whenFalse?: { readonly param: string; readonly classPath: string };
    readonly dropParams: readonly string[];
  };
}

export type SchedulerFamily = 'torch' | 'hf' | 'deepspeed' | 'timm';

export interface SchedulerEntry extends EntryBase {
  readonly kind: 'scheduler';
  readonly family: SchedulerFamily;
  /** The schedule is meant to end lower than it starts (the "ends at or above its start" check). */
  readonly decays: boolean;
  /** The scheduler cycles momentum / betas when the optimizer has them (CyclicLR, OneCycleLR). */
  readonly cyclesMomentum: boolean;
  /** Composite: its `schedulers` parameter nests other scheduler blocks. */
  readonly composite: boolean;
  /** Must be stepped with a metric value (ReduceLROnPlateau). */
  readonly needsMetric: boolean;
  /** Whether the lr given to the optimizer is overridden by the scheduler (CyclicLR, OneCycleLR, DeepSpeed). */
  readonly overridesLr: boolean;
  /** The transformers `lr_scheduler_type` (SchedulerType) value that builds this schedule, if any. */
  readonly hfSchedulerType?: string;
}

/** A key of a config section that is not an optimizer or scheduler (training:, range_test:, simulate:). */
export interface SectionEntry {
  readonly kind: 'section';
  readonly name: string;
  readonly summary: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  readonly references: readonly Reference[];
}

export type CatalogEntry = OptimizerEntry | SchedulerEntry | SectionEntry;

/** Default severity of a diagnostic code; users can override it per code in settings. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface RuleEntry {
  /** Stable code, e.g. `OL101`. Never reused. */
  readonly code: string;
  /** Short kebab-case name, e.g. `unknown-optimizer`. */
  readonly name: string;
  readonly severity: Severity;
  /** One sentence: what the rule catches. */
  readonly summary: string;
  /** Markdown explanation used for docs/rules.md. */
  readonly doc: string;
}
