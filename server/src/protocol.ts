// Custom messages between the extension client and the language server. One namespace per message,
// each with its method name and type; the JSDoc says who sends it. Plain data only.

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { RangeTestOverrides } from './core/features/rangeTest';
import type {
  ApplyTarget,
  BackendAttemptView,
  ConvertResponse,
  ConvertTarget,
  RangeTestRuntime,
  RangeTestView,
  ScheduleData,
  SimulationView,
} from './core/views';

export type { ScheduleData, ScheduleMarker, ScheduleMarkerKind } from './core/views';

export namespace ScheduleRequest {
  export const method = 'optimizerLens/schedule';
  /**
   * Sent by the client: compute the schedule of the document. `null` when the document has no scheduler.
   * `metrics` feeds a metric-driven scheduler (ReduceLROnPlateau), one value per scheduler step.
   */
  export const type = new RequestType<
    { uri: string; steps?: number; metrics?: readonly number[] },
    ScheduleData | null,
    void
  >(method);
}

/** A document the server analysed again, at this version. */
export interface AnalysisChangedParams {
  readonly uri: string;
  readonly version: number;
}

export namespace AnalysisChangedNotification {
  export const method = 'optimizerLens/analysisChanged';
  /** Sent by the server after it re-analysed a document, so that open panels can refresh. */
  export const type = new NotificationType<AnalysisChangedParams>(method);
}

// ------------------------------------------------------------------------------------------- range test

/**
 * A finished (or cancelled) range test as the results view shows it: built by `toRangeTestView` in
 * `core/features/rangeTest.ts` (the one mapping from a result to its view, for the editor and the CLI alike).
 */
export type {
  ApplyTarget,
  BackendAttemptView,
  RangeTestRuntime,
  RangeTestSuggestionView,
  RangeTestView,
} from './core/views';
export type { RangeTestOverrides };

export type RangeTestOutcome =
  | { readonly status: 'completed' | 'cancelled'; readonly view: RangeTestView }
  | {
      readonly status: 'failed';
      readonly reason: string;
      readonly kind?: string;
      readonly file?: string;
      readonly line?: number;
    };

/** The interpreter the client found for the user's code: the setting, the Python extension's environment, or PATH. */
export interface PythonChoice {
  readonly path: string;
  readonly source: 'setting' | 'python-extension' | 'path';
}

/** What "Run LR Range Test" would do on a file, so the client can ask before it runs anything. */
export type RangeTestPlanView =
  | {
      readonly kind: 'pytorch';
      readonly source: 'section' | 'command' | 'lightning';
      /** e.g. `AdamW(weight_decay=0.05)`, or `configure_optimizers()`. */
      readonly optimizerLabel: string;
      /** e.g. `train.models:build_model` or `my_pkg.LitModel`. */
      readonly modelLabel: string;
      readonly dataLabel: string;
      readonly settings: RangeTestCommandSettings;
    }
  | {
      readonly kind: 'proxy';
      readonly task: string;
      readonly description: string;
      readonly reason: 'no-section' | 'built-in-task';
      readonly native: boolean;
      readonly optimizerLabel: string;
      readonly settings: RangeTestCommandSettings;
    }
  | {
      readonly kind: 'worker';
      readonly task: string;
      readonly description: string;
      readonly optimizerLabel: string;
      readonly settings: RangeTestCommandSettings;
    }
  | {
      readonly kind: 'needs-settings';
      readonly dialect: string;
      readonly missing: readonly ('model' | 'data')[];
      readonly message: string;
      readonly settings: RangeTestCommandSettings;
    }
  | { readonly kind: 'refused'; readonly reason: string };

/** The settings a quick pick shows and remembers (per file, in the workspace state). */
export interface RangeTestCommandSettings {
  readonly startLr: number;
  readonly endLr: number;
  readonly numIter: number;
  readonly seed: number;
  readonly model?: string;
  readonly data?: string;
  readonly loss?: string;
  readonly device?: string;
}

export namespace RangeTestPlanRequest {
  export const method = 'optimizerLens/rangeTestPlan';
  /** Sent by the client before a range test: what it would run on this file with these command settings. */
  export const type = new RequestType<{ uri: string; overrides?: RangeTestOverrides }, RangeTestPlanView, void>(method);
}

export namespace RangeTestRequest {
  export const method = 'optimizerLens/rangeTest';
  /**
   * Sent by the client: run the LR range test the plan describes (the file's `range_test:` section, the Lightning
   * file's own model, or the command's settings in `overrides`). The server streams points with
   * RangeTestPointNotification, reports LSP work-done progress and answers when the job ends; cancelling the request
   * ends the job (for the user's Python, its process within a second).
   */
  export const type = new RequestType<
    { uri: string; overrides?: RangeTestOverrides; python?: PythonChoice; clientProgress?: boolean },
    RangeTestOutcome,
    void
  >(method);
}

/** One point of a running range test, for the live curve and the progress notification. */
export interface RangeTestPointParams {
  readonly uri: string;
  readonly index: number;
  readonly total: number;
  readonly lr: number;
  readonly loss: number;
  readonly smoothed: number;
  /** The first point of a run on the user's model carries where it runs, e.g. `cuda:0 NVIDIA H100 80GB HBM3`. */
  readonly runtime?: RangeTestRuntime;
  readonly backend?: string;
}

export namespace RangeTestPointNotification {
  export const method = 'optimizerLens/rangeTestPoint';
  /** Sent by the server for every recorded point of a running range test. */
  export const type = new NotificationType<RangeTestPointParams>(method);
}

/** The edits of an Apply, and the value as they write it (e.g. `3.16e-4`). */
export interface ApplyLearningRateResult {
  readonly edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[];
  readonly written: string;
}

export namespace ApplyLearningRateRequest {
  export const method = 'optimizerLens/applyLearningRate';
  /**
   * Sent by the client: the text edits that set the optimizer's lr (or the scheduler's max_lr) to `lr` in the
   * document, as LSP TextEdits; the client applies them as a normal, undoable edit. `null` when there is nowhere to write.
   */
  export const type = new RequestType<
    { uri: string; lr: number; target: ApplyTarget },
    ApplyLearningRateResult | null,
    void
  >(method);
}

export namespace ComputeBackendsRequest {
  export const method = 'optimizerLens/computeBackends';
  /** Sent by the client: which compute backends load here, and why the others do not. */
  export const type = new RequestType<Record<string, never>, BackendAttemptView[], void>(method);
}

/** A compute job started (`running`, with its title) or ended; `backend` once it is known. */
export interface JobStatusParams {
  readonly running: boolean;
  readonly title?: string;
  readonly backend?: string;
}

export namespace JobStatusNotification {
  export const method = 'optimizerLens/jobStatus';
  /** Sent by the server when a compute job starts or ends, for the status bar. */
  export const type = new NotificationType<JobStatusParams>(method);
}

// ------------------------------------------------------------------------------------------- simulation

export type { SimulationRunView, SimulationStatementView, SimulationView } from './core/views';

export type SimulationOutcome =
  | { readonly status: 'completed' | 'cancelled'; readonly view: SimulationView }
  | { readonly status: 'failed'; readonly reason: string };

export namespace SimulationRequest {
  export const method = 'optimizerLens/simulate';
  /** Sent by the client: run the document's `simulate:` section; progress and cancel as for the range test. */
  export const type = new RequestType<{ uri: string }, SimulationOutcome, void>(method);
}

// ------------------------------------------------------------------------------------------- convert

export type { ConvertResponse, ConvertTarget } from './core/views';

export namespace ConvertRequest {
  export const method = 'optimizerLens/convert';
  /** Sent by the client: the document's optimizer and schedule written in another dialect, and what could not be carried over. */
  export const type = new RequestType<{ uri: string; to: ConvertTarget }, ConvertResponse | null, void>(method);
}

// ------------------------------------------------------------------------------------------- workspace trust

/** What the client puts in `initializationOptions` besides `settings`. */
export interface TrustInitializationOptions {
  /**
   * VS Code's `workspace.isTrusted` when the server starts. Absent means trusted: an LSP client without Workspace
   * Trust (another editor, the tests) is a user running the server on their own files.
   */
  readonly workspaceTrusted?: boolean;
}

export namespace WorkspaceTrustNotification {
  export const method = 'optimizerLens/workspaceTrust';
  /**
   * Sent by the client when the user grants Workspace Trust after the server started (VS Code reloads the window
   * when trust is taken away, so in practice `trusted` is true). Jobs that read workspace files as models or data,
   * or run workspace code, are refused while the workspace is not trusted.
   */
  export const type = new NotificationType<{ trusted: boolean }>(method);
}
