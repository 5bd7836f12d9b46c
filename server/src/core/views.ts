// The plain views that cross a boundary: server to client (LSP), client to webview (postMessage), and the CLI's
// `--json`. One definition each, imported by the server, the client and the webview bundles alike, so this module
// imports nothing but the core's own lists: no `vscode*`, no DOM, no Node. The webview's schemas check these shapes
// at run time (`webview/src/protocol.ts`), and the compiler checks that the schemas and these types agree.

export type { ConvertTarget } from './catalog/dialects';

// ------------------------------------------------------------------------------------------- schedule

/** The kinds of schedule markers, in the order a legend lists them. */
export const SCHEDULE_MARKER_KINDS = ['warmup-end', 'milestone', 'restart', 'peak', 'phase', 'end', 'run-end'] as const;
export type ScheduleMarkerKind = (typeof SCHEDULE_MARKER_KINDS)[number];

/** A marker on a schedule plot: where a phase changes. */
export interface ScheduleMarker {
  readonly step: number;
  readonly label: string;
  readonly kind: ScheduleMarkerKind;
}

/** A computed schedule as the panel and the CLI see it. Index `i` of every array is step `i`. */
export interface ScheduleData {
  readonly uri: string;
  readonly version: number;
  /** e.g. `SequentialLR(LinearLR, CosineAnnealingLR)`. */
  readonly title: string;
  readonly lr: readonly number[];
  readonly momentum?: readonly number[];
  readonly betas?: readonly (readonly [number, number])[];
  readonly markers: readonly ScheduleMarker[];
  /** The run length from `training:`, when known. */
  readonly totalSteps?: number;
  /** Problems that stopped evaluation (e.g. OneCycleLR stepped past total_steps), as messages. */
  readonly errors: readonly string[];
  /** True when the schedule is driven by a metric (ReduceLROnPlateau): it is drawn only from a metric series. */
  readonly needsMetrics?: boolean;
  /** The metric series the schedule was drawn from, when the request gave one. */
  readonly metrics?: readonly number[];
}

// ------------------------------------------------------------------------------------------- range test

/** Where a range test ran: the compute worker's backend, or the user's Python. */
export interface RangeTestRuntime {
  readonly python: string;
  readonly torch: string;
  /** e.g. `cuda:0`. */
  readonly device: string;
  /** e.g. `NVIDIA H100 80GB HBM3`. */
  readonly deviceName: string;
  readonly interpreter: string;
  /** How the interpreter was chosen: `setting`, `python-extension`, `path` or `cli`. */
  readonly interpreterSource: string;
}

export const RANGE_TEST_SUGGESTION_KINDS = ['steepest', 'valley', 'minimum'] as const;
export type RangeTestSuggestionKind = (typeof RANGE_TEST_SUGGESTION_KINDS)[number];

/** One suggested learning rate with the sentence that explains where it came from. */
export interface RangeTestSuggestionView {
  readonly lr: number;
  /** Index into `lrs` of the point the suggestion was read from. */
  readonly index: number;
  readonly explanation: string;
}

export const APPLY_TARGETS = ['lr', 'max_lr'] as const;
/** Which config key "Apply" writes: `lr`, or `max_lr` for OneCycleLR/CyclicLR-style schedules. */
export type ApplyTarget = (typeof APPLY_TARGETS)[number];

export const RANGE_TEST_STOPS = ['completed', 'diverged', 'cancelled'] as const;
export type RangeTestStopView = (typeof RANGE_TEST_STOPS)[number];

export const MEASURED_ON = ['your-model', 'proxy'] as const;

export interface BackendAttemptView {
  readonly name: string;
  readonly loaded: boolean;
  /** Why it did not load, or why it could not run the job. */
  readonly reason?: string;
}

/**
 * A finished (or cancelled) range test, as the panel, the CLI's `--json` and the webview tests see it: built by
 * `toRangeTestView` in `core/features/rangeTest.ts`. Index `i` of `lrs`, `losses` and `smoothed` is iteration `i`.
 */
export interface RangeTestView {
  readonly uri: string;
  /** The config's file name, shown with the result so that it is never read as another file's. */
  readonly fileName: string;
  /** The backend that actually ran it, e.g. `wasm`. */
  readonly backend: string;
  /** Every backend tried before, with why it did not load (a fallback is visible, never silent). */
  readonly backendAttempts: readonly BackendAttemptView[];
  readonly task: string;
  /** `your-model`: measured on the user's own model; `proxy`: on a synthetic model (say so wherever the lr is shown). */
  readonly measuredOn: (typeof MEASURED_ON)[number];
  readonly runtime?: RangeTestRuntime;
  /** e.g. `AdamW(weight_decay=0.05, betas=[0.9, 0.999])`. */
  readonly optimizerLabel: string;
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  readonly smoothed: readonly number[];
  readonly stopped: RangeTestStopView;
  readonly suggestions: { readonly [kind in RangeTestSuggestionKind]: RangeTestSuggestionView | null };
  readonly notes: readonly string[];
  readonly seconds: number;
  readonly applyTarget: ApplyTarget;
  /** The value the file has now, when it has one. */
  readonly currentLr?: number;
}

/**
 * A range test as its panel holds it: a `RangeTestView` after JSON transport (JSON has no NaN or infinities, so a
 * diverged loss arrives as `null`), or, while the test runs, the curve so far with `running` set (built by
 * `runningRangeTestView` in `core/features/rangeTest.ts`, which the client calls).
 */
export interface RangeTestSnapshot extends Omit<RangeTestView, 'losses' | 'smoothed'> {
  readonly losses: readonly (number | null)[];
  readonly smoothed: readonly (number | null)[];
  /** Set while the test runs: `total` steps planned. */
  readonly running?: { readonly total: number };
}

// ------------------------------------------------------------------------------------------- simulation

export interface SimulationRunView {
  readonly label: string;
  /** x[0] is the start point, x[k] the point after update k. */
  readonly x: readonly (readonly number[])[];
  /** JSON has no NaN/Infinity: a diverged value arrives as null. */
  readonly loss: readonly (number | null)[];
  /** The update number of each recorded point (runs longer than the recording limit are sampled). */
  readonly steps?: readonly number[];
  /** Effective per-coordinate step |x[k+1]-x[k]| / |g| style size, per update (for the AdaGrad / dormant lessons); null where not finite. */
  readonly stepSize?: readonly (readonly (number | null)[])[];
  /** Why the run stopped early (diverged to non-finite values), if it did. */
  readonly stoppedEarly?: string;
}

export const SIMULATION_VERDICTS = [
  'stable',
  'unstable',
  'diverged',
  'growing',
  'converged',
  'oscillating',
  'descending',
  'drifting',
] as const;
export type SimulationVerdict = (typeof SIMULATION_VERDICTS)[number];

/** What one run did, in one sentence; built by `runStatements` in the core. */
export interface SimulationStatementView {
  /** The run's label, as in `runs`. */
  readonly run: string;
  readonly basis: 'bound' | 'measured';
  readonly verdict: SimulationVerdict;
  readonly text: string;
  /** For a bound: stable iff lr < limit; `rule` names it (`2/λmax`, `2(1+β)/λmax`, ...); `lr` is the run's largest lr. */
  readonly bound?: { readonly rule: string; readonly limit: number; readonly lr: number; readonly lambdaMax: number };
}

/** A finished simulation. Grid and heatmap values may be `null`: JSON turns NaN and infinities into `null`. */
export interface SimulationView {
  readonly uri: string;
  /** Function label, e.g. `rosenbrock` or the user expression. */
  readonly functionLabel: string;
  readonly dim: number;
  /** For 2-D functions: the sampled landscape for contours (row-major, `values[j * nx + i]` at (xs[i], ys[j])). */
  readonly grid?: {
    readonly xs: readonly number[];
    readonly ys: readonly number[];
    readonly values: readonly (number | null)[];
  };
  readonly minima: readonly (readonly number[])[];
  readonly runs: readonly SimulationRunView[];
  /**
   * One statement per run, in the order of `runs` (none for sweeps): a stability bound where one is proven for that
   * optimizer on that landscape (`basis: 'bound'`, with the lr limit), otherwise what the run did, measured from its
   * trajectory (`basis: 'measured'`). See docs/simulate.md for the rules and the measured criterion.
   */
  readonly stability?: readonly SimulationStatementView[];
  /** Grid sweeps: final loss (or steps to tolerance) per cell. */
  readonly heatmap?: {
    readonly xLabel: string;
    readonly yLabel: string;
    readonly xs: readonly number[];
    readonly ys: readonly number[];
    readonly values: readonly (number | null)[];
    readonly metric: string;
  };
  readonly notes: readonly string[];
  readonly backend: string;
  readonly seconds: number;
}

// ------------------------------------------------------------------------------------------- convert

/** The converted text, what could not be carried over, and how far the converted schedule is from the original. */
export interface ConvertResponse {
  readonly text: string;
  readonly format: 'yaml' | 'json';
  readonly lost: string[];
  /** The largest lr difference over the run as a fraction of the original's peak lr, and its step. */
  readonly scheduleDifference?: { readonly relative: number; readonly step: number; readonly steps: number };
}
