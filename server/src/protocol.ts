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
