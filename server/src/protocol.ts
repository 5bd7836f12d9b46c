// Custom messages between the extension client and the language server. One namespace per message,
// each with its method name and type; the JSDoc says who sends it. Plain data only.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

/** A marker on a schedule plot: where a phase changes. */
export interface ScheduleMarker {
  readonly step: number;
  readonly label: string;
  readonly kind: 'warmup-end' | 'milestone' | 'restart' | 'peak' | 'phase' | 'end' | 'run-end';
}

/** A computed schedule as the panel and the CLI see it. Arrays are plain numbers for JSON transport. */
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
}

export namespace ScheduleRequest {
  export const method = 'optimizerLens/schedule';
  /** Sent by the client: compute the schedule of the document. `null` when the document has no scheduler. */
  export const type = new RequestType<{ uri: string; steps?: number }, ScheduleData | null, void>(method);
}

export namespace AnalysisChangedNotification {
  export const method = 'optimizerLens/analysisChanged';
  /** Sent by the server after it re-analysed a document, so that open panels can refresh. */
  export const type = new NotificationType<{ uri: string; version: number }>(method);
}

// ------------------------------------------------------------------------------------------- range test

export interface RangeTestSuggestionView {
  readonly lr: number;
  /** Index into `lrs` of the point the suggestion was read from. */
  readonly index: number;
  readonly explanation: string;
}

/** A finished (or cancelled) range test as the results view shows it. */
export interface RangeTestView {
  readonly uri: string;
  /** The backend that actually ran it, e.g. `wasm`. */
  readonly backend: string;
  /** Every backend tried before, with why it did not load (a fallback is visible, never silent). */
  readonly backendAttempts: readonly { readonly name: string; readonly loaded: boolean; readonly reason?: string }[];
  readonly task: string;
  /** e.g. `AdamW(weight_decay=0.05, betas=[0.9, 0.999])`. */
  readonly optimizerLabel: string;
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  readonly smoothed: readonly number[];
  readonly stopped: 'completed' | 'diverged' | 'cancelled';
  readonly suggestions: {
    readonly steepest: RangeTestSuggestionView | null;
    readonly valley: RangeTestSuggestionView | null;
    readonly minimum: RangeTestSuggestionView | null;
  };
  readonly notes: readonly string[];
  readonly seconds: number;
  /** Which optimizer/scheduler key "Apply" writes: `lr`, or `max_lr` for OneCycleLR/CyclicLR-style schedules. */
  readonly applyTarget: 'lr' | 'max_lr';
  /** The value the file has now, when it has one. */
  readonly currentLr?: number;
}

export type RangeTestOutcome =
  | { readonly status: 'completed' | 'cancelled'; readonly view: RangeTestView }
  | { readonly status: 'failed'; readonly reason: string };

export namespace RangeTestRequest {
  export const method = 'optimizerLens/rangeTest';
  /**
   * Sent by the client: run the LR range test of the document's `range_test:` section (defaults when absent) with
   * its optimizer. The server reports LSP work-done progress (cancellable) and answers when the job ends.
   */
  export const type = new RequestType<{ uri: string }, RangeTestOutcome, void>(method);
}

export namespace ApplyLearningRateRequest {
  export const method = 'optimizerLens/applyLearningRate';
  /**
   * Sent by the client: the text edits that set the optimizer's lr (or the scheduler's max_lr) to `lr` in the
   * document, as LSP TextEdits; the client applies them as a normal, undoable edit. `null` when there is nowhere to write.
   */
  export const type = new RequestType<{ uri: string; lr: number; target: 'lr' | 'max_lr' }, { edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] } | null, void>(method);
}

export namespace ComputeBackendsRequest {
  export const method = 'optimizerLens/computeBackends';
  /** Sent by the client: which compute backends load here, and why the others do not. */
  export const type = new RequestType<Record<string, never>, { name: string; loaded: boolean; reason?: string }[], void>(method);
}

export namespace JobStatusNotification {
  export const method = 'optimizerLens/jobStatus';
  /** Sent by the server when a compute job starts or ends, for the status bar. */
  export const type = new NotificationType<{ running: boolean; title?: string; backend?: string }>(method);
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
  /** Effective per-coordinate step |x[k+1]-x[k]| / |g| style size, per update (for the AdaGrad / dormant lessons). */
  readonly stepSize?: readonly (readonly number[])[];
  /** Why the run stopped early (diverged to non-finite values), if it did. */
  readonly stoppedEarly?: string;
}

export interface SimulationView {
  readonly uri: string;
  /** Function label, e.g. `rosenbrock` or the user expression. */
  readonly functionLabel: string;
  readonly dim: number;
  /** For 2-D functions: the sampled landscape for contours (row-major, `values[j * nx + i]` at (xs[i], ys[j])). */
  readonly grid?: { readonly xs: readonly number[]; readonly ys: readonly number[]; readonly values: readonly (number | null)[] };
  readonly minima: readonly (readonly number[])[];
  readonly runs: readonly SimulationRunView[];
  /** Quadratics: the stability limit 2/lambda_max and the configured lr. */
  readonly stability?: { readonly lambdaMax: number; readonly limit: number; readonly lr: number };
  /** Grid sweeps: final loss (or steps to tolerance) per cell. */
  readonly heatmap?: { readonly xLabel: string; readonly yLabel: string; readonly xs: readonly number[]; readonly ys: readonly number[]; readonly values: readonly (number | null)[]; readonly metric: string };
  readonly notes: readonly string[];
  readonly backend: string;
  readonly seconds: number;
}

export type SimulationOutcome =
  | { readonly status: 'completed' | 'cancelled'; readonly view: SimulationView }
  | { readonly status: 'failed'; readonly reason: string };

export namespace SimulationRequest {
  export const method = 'optimizerLens/simulate';
  /** Sent by the client: run the document's `simulate:` section; progress and cancel as for the range test. */
  export const type = new RequestType<{ uri: string }, SimulationOutcome, void>(method);
}

// ------------------------------------------------------------------------------------------- convert

export type ConvertTarget = 'optim' | 'deepspeed' | 'lightning' | 'hf';

export namespace ConvertRequest {
  export const method = 'optimizerLens/convert';
  /** Sent by the client: the document's optimizer and schedule written in another dialect, and what could not be carried over. */
  export const type = new RequestType<{ uri: string; to: ConvertTarget }, { text: string; format: 'yaml' | 'json'; lost: string[] } | null, void>(method);
}
