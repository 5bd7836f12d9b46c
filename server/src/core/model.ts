// The semantic model: what a config means (optimizer, scheduler, run length), whatever dialect it was written in.
// Every value keeps the span it came from so diagnostics, hovers and edits land on the right characters.

import type { Dialect } from './catalog/dialects';
import type { OptimizerEntry, SchedulerEntry, Severity } from './catalog/types';
import type { MapNode, Node, Span, SyntaxTree } from './syntax/tree';

export type { Dialect } from './catalog/dialects';

/** One keyword argument as written in the file. */
export interface ParamValue {
  /** The catalog name of the parameter (PyTorch's spelling), which may differ from the key in the file. */
  readonly name: string;
  /** The key as written (e.g. `learning_rate` in a Hugging Face file for `lr`). */
  readonly key: string;
  readonly keySpan: Span;
  /** `null` when the key has no value (`lr:`). */
  readonly node: Node | null;
  /** The plain JavaScript value after the dialect's own coercions. */
  readonly value: unknown;
  /**
   * Set when the value is only known at run time: DeepSpeed `"auto"` (filled in by the HF Trainer / Accelerate), an
   * OmegaConf `${...}` interpolation or `???`, or a number the trainer derives (HF `num_training_steps` from epochs).
   * Such a value counts as given but is never type-checked nor fed to the schedule engine.
   */
  readonly opaque?: 'auto' | 'interpolation' | 'missing' | 'derived';
}

export interface OptimizerBlock {
  /** The `type:` value as written, e.g. `torch.optim.AdamW`. */
  readonly typeName: string;
  /** Span of the type name value (or of the block key when there is no type). */
  readonly typeSpan: Span;
  readonly entry: OptimizerEntry | undefined;
  readonly params: ReadonlyMap<string, ParamValue>;
  /** The whole block (may be null for dialects that spread the optimizer over top-level keys). */
  readonly node: MapNode | null;
  /** Span of the section key (`optimizer:`), for code lenses and symbols. */
  readonly keySpan: Span;
}

export interface SchedulerBlock {
  readonly typeName: string;
  readonly typeSpan: Span;
  readonly entry: SchedulerEntry | undefined;
  readonly params: ReadonlyMap<string, ParamValue>;
  /** Nested schedulers of a composite (SequentialLR / ChainedScheduler), in order. */
  readonly children: readonly SchedulerBlock[];
  readonly node: MapNode | null;
  readonly keySpan: Span;
  /** Lightning: `interval` of the lr_scheduler config ('epoch' is Lightning's default). */
  readonly interval?: 'step' | 'epoch';
}

export interface TrainingBlock {
  readonly params: ReadonlyMap<string, ParamValue>;
  readonly node: MapNode | null;
  readonly keySpan: Span;
  /** Total optimizer updates in the run, when it can be derived (`steps`, or `epochs * steps_per_epoch`). */
  readonly totalSteps: number | undefined;
  /** Span to blame for the run length in messages. */
  readonly totalStepsSpan: Span | undefined;
}

export interface ConfigModel {
  readonly dialect: Dialect;
  readonly tree: SyntaxTree;
  readonly optimizer: OptimizerBlock | null;
  readonly scheduler: SchedulerBlock | null;
  readonly training: TrainingBlock | null;
  /** Sections other issues define; kept as nodes with their key spans. */
  readonly rangeTest: { readonly node: Node | null; readonly keySpan: Span } | null;
  readonly simulate: { readonly node: Node | null; readonly keySpan: Span } | null;
  /** The program that reads the file (e.g. "axolotl", "LightningCLI (jsonargparse)"), when the dialect can tell. */
  readonly reader?: string;
}

/** A text edit on the source: replace [start, end) with `newText`. */
export interface TextEdit extends Span {
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix a user most likely wants (VS Code applies it with "auto fix"). */
  readonly preferred?: boolean;
}

/** A problem found in a config: the core's only kind of error. */
export interface Problem extends Span {
  /** Stable code from the rules catalog, e.g. `OL101`. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fixes?: readonly Fix[];
}
