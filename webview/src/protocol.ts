// Messages between the extension host and the schedule webview, both directions, with type guards.
//
// The host owns the state: it replays a `snapshot` whenever the webview says `ready` and whenever the panel
// becomes visible again, since a hidden webview receives nothing. The webview keeps only UI toggles and a
// copy of the last snapshot (through `vscode.setState`) so that it can repaint at once after being hidden.
// This file is shared by the webview bundle and the client, so it uses neither DOM nor Node APIs.

/** A marker where a schedule phase changes. Mirrors `ScheduleMarker` in `server/src/protocol.ts`. */
export interface ScheduleMarkerSnapshot {
  readonly step: number;
  readonly label: string;
  /** One of the server's marker kinds; kept as a string so that a new kind never breaks an older webview. */
  readonly kind: string;
}

/**
 * A computed schedule as the webview receives it. Structurally the same as `ScheduleData` in
 * `server/src/protocol.ts`; the client checks at compile time that a `ScheduleData` is assignable to it.
 * Index `i` of every array is step `i`.
 */
export interface ScheduleSnapshot {
  readonly uri: string;
  readonly version: number;
  readonly title: string;
  readonly lr: readonly number[];
  readonly momentum?: readonly number[];
  readonly betas?: readonly (readonly [number, number])[];
  readonly markers: readonly ScheduleMarkerSnapshot[];
  readonly totalSteps?: number;
  readonly errors: readonly string[];
}

/** Everything the webview shows, sent as one message so that a fresh webview paints once. */
export interface SchedulePanelSnapshot {
  /** The last good schedule, or `null` when there has never been one for this document. */
  readonly schedule: ScheduleSnapshot | null;
  /** The pinned schedule drawn dashed beside the current one, or `null`. */
  readonly pinned: ScheduleSnapshot | null;
  /** Why the current document has no plot right now; the last good plot stays greyed behind it. */
  readonly error: string | null;
}

export type ExportFormat = 'png' | 'svg' | 'csv';

// ---- Host to webview ----

/** Sent by the host in reply to `ready` and when the panel becomes visible again: the whole state. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: SchedulePanelSnapshot;
}

/** Sent by the host when a new schedule was computed; it clears any error. */
export interface SetScheduleMessage {
  readonly type: 'setSchedule';
  readonly schedule: ScheduleSnapshot;
}

/** Sent by the host when the document cannot be plotted; the webview greys the last plot and shows the message. */
export interface SetErrorMessage {
  readonly type: 'setError';
  readonly message: string;
}

/** Sent by the host after a `pin` or `unpin`: the schedule now pinned, or `null`. */
export interface PinnedMessage {
  readonly type: 'pinned';
  readonly pinned: ScheduleSnapshot | null;
}

/** Sent by the host after it handled an `export`: where the file went, or `null` when the user cancelled. */
export interface ExportedMessage {
  readonly type: 'exported';
  readonly format: ExportFormat;
  readonly savedTo: string | null;
  readonly error?: string;
}

export type HostToWebviewMessage = SnapshotMessage | SetScheduleMessage | SetErrorMessage | PinnedMessage | ExportedMessage;

// ---- Webview to host ----

/** Sent by the webview once its script runs and it listens for messages. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Sent by the webview with the bytes to save; the host asks where and writes the file. */
export interface ExportMessage {
  readonly type: 'export';
  readonly format: ExportFormat;
  /** A file name the save dialog proposes, without folder. */
  readonly suggestedName: string;
  /** Base64 for PNG, UTF-8 text for SVG and CSV. */
  readonly encoding: 'base64' | 'utf8';
  readonly content: string;
}

/** Sent by the webview when the user pins the schedule on screen. */
export interface PinMessage {
  readonly type: 'pin';
}

/** Sent by the webview when the user removes the pinned schedule. */
export interface UnpinMessage {
  readonly type: 'unpin';
}

export type WebviewToHostMessage = ReadyMessage | ExportMessage | PinMessage | UnpinMessage;

/** What the webview stores with `vscode.setState`; the panel serializer reads `uri` back after a restart. */
export interface ScheduleWebviewState {
  readonly stateVersion: 1;
  readonly uri: string | null;
  readonly logScale: boolean;
  /** The visible step range, or `null` for the whole schedule. */
  readonly view: { readonly min: number; readonly max: number } | null;
  /** The last snapshot, with series possibly decimated to keep the state small. */
  readonly snapshot: SchedulePanelSnapshot | null;
}

// ---- Guards. Messages cross a process boundary, so nothing is trusted. ----

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

function isMarker(value: unknown): value is ScheduleMarkerSnapshot {
  return isRecord(value) && typeof value.step === 'number' && typeof value.label === 'string' && typeof value.kind === 'string';
}

function isBetaPair(value: unknown): value is readonly [number, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
}

export function isScheduleSnapshot(value: unknown): value is ScheduleSnapshot {
  if (!isRecord(value)) return false;
  return (
    typeof value.uri === 'string' &&
    typeof value.version === 'number' &&
    typeof value.title === 'string' &&
    isNumberArray(value.lr) &&
    (value.momentum === undefined || isNumberArray(value.momentum)) &&
    (value.betas === undefined || (Array.isArray(value.betas) && value.betas.every(isBetaPair))) &&
    Array.isArray(value.markers) &&
    value.markers.every(isMarker) &&
    (value.totalSteps === undefined || typeof value.totalSteps === 'number') &&
    Array.isArray(value.errors) &&
    value.errors.every((item) => typeof item === 'string')
  );
}

function isScheduleOrNull(value: unknown): value is ScheduleSnapshot | null {
  return value === null || isScheduleSnapshot(value);
}

export function isSchedulePanelSnapshot(value: unknown): value is SchedulePanelSnapshot {
  return (
    isRecord(value) &&
    isScheduleOrNull(value.schedule) &&
    isScheduleOrNull(value.pinned) &&
    (value.error === null || typeof value.error === 'string')
  );
}

function isExportFormat(value: unknown): value is ExportFormat {
  return value === 'png' || value === 'svg' || value === 'csv';
}

export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'snapshot':
      return isSchedulePanelSnapshot(value.snapshot);
    case 'setSchedule':
      return isScheduleSnapshot(value.schedule);
    case 'setError':
      return typeof value.message === 'string';
    case 'pinned':
      return isScheduleOrNull(value.pinned);
    case 'exported':
      return (
        isExportFormat(value.format) &&
        (value.savedTo === null || typeof value.savedTo === 'string') &&
        (value.error === undefined || typeof value.error === 'string')
      );
    default:
      return false;
  }
}

export function isWebviewToHostMessage(value: unknown): value is WebviewToHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
    case 'pin':
    case 'unpin':
      return true;
    case 'export':
      return (
        isExportFormat(value.format) &&
        typeof value.suggestedName === 'string' &&
        (value.encoding === 'base64' || value.encoding === 'utf8') &&
        typeof value.content === 'string'
      );
    default:
      return false;
  }
}

export function isScheduleWebviewState(value: unknown): value is ScheduleWebviewState {
  if (!isRecord(value) || value.stateVersion !== 1) return false;
  const view = value.view;
  const viewOk = view === null || (isRecord(view) && typeof view.min === 'number' && typeof view.max === 'number');
  return (
    (value.uri === null || typeof value.uri === 'string') &&
    typeof value.logScale === 'boolean' &&
    viewOk &&
    (value.snapshot === null || isSchedulePanelSnapshot(value.snapshot))
  );
}

// =========================================================================================== range test view
//
// The range-test and landscape panels follow the same rules as the schedule panel: the host owns the state,
// replays a `snapshot` on `ready` and when the panel becomes visible again, and the webview keeps a copy in
// `vscode.setState` so that it repaints at once and so that the panel serializer can bring it back after a restart.

/** One suggested learning rate. Mirrors `RangeTestSuggestionView` in `server/src/protocol.ts`. */
export interface RangeTestSuggestionSnapshot {
  readonly lr: number;
  readonly index: number;
  readonly explanation: string;
}

export type RangeTestSuggestionKind = 'steepest' | 'valley' | 'minimum';

/** Which config key "Apply" writes. */
export type ApplyTarget = 'lr' | 'max_lr';

/**
 * A finished range test. Structurally the same as `RangeTestView` in `server/src/protocol.ts`; the client checks at
 * compile time that a `RangeTestView` is assignable to it. Index `i` of `lrs`, `losses` and `smoothed` is iteration `i`.
 */
export interface RangeTestSnapshot {
  readonly uri: string;
  readonly backend: string;
  readonly backendAttempts: readonly { readonly name: string; readonly loaded: boolean; readonly reason?: string }[];
  readonly task: string;
  readonly optimizerLabel: string;
  readonly lrs: readonly number[];
  /** Non-finite losses arrive as `null` after JSON transport; the view treats both alike. */
  readonly losses: readonly (number | null)[];
  readonly smoothed: readonly (number | null)[];
  readonly stopped: 'completed' | 'diverged' | 'cancelled';
  readonly suggestions: { readonly [kind in RangeTestSuggestionKind]: RangeTestSuggestionSnapshot | null };
  readonly notes: readonly string[];
  readonly seconds: number;
  readonly applyTarget: ApplyTarget;
  readonly currentLr?: number;
}

/** The outcome of the last Apply, kept by the host so that a replayed snapshot still shows it. */
export interface AppliedLearningRate {
  readonly lr: number;
  readonly target: ApplyTarget;
  readonly ok: boolean;
  /** Why it failed, or what was written, in a sentence. */
  readonly message: string;
}

export interface RangeTestPanelSnapshot {
  readonly view: RangeTestSnapshot | null;
  readonly applied: AppliedLearningRate | null;
}

/** Host to range-test webview: the whole state, in reply to `ready`, when shown again and after each new test. */
export interface RangeTestSnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: RangeTestPanelSnapshot;
}

/** Host to range-test webview: the outcome of an `apply`. */
export interface AppliedMessage {
  readonly type: 'applied';
  readonly applied: AppliedLearningRate;
}

export type RangeTestHostMessage = RangeTestSnapshotMessage | AppliedMessage | ExportedMessage;

/** Range-test webview to host: write `lr` into the document's optimizer `lr` (or scheduler `max_lr`). */
export interface ApplyMessage {
  readonly type: 'apply';
  readonly lr: number;
  readonly target: ApplyTarget;
}

export type RangeTestWebviewMessage = ReadyMessage | ExportMessage | ApplyMessage;

/** What the range-test webview stores with `vscode.setState`; the serializer rebuilds the host state from it. */
export interface RangeTestWebviewState {
  readonly stateVersion: 1;
  readonly snapshot: RangeTestPanelSnapshot;
}

// =========================================================================================== landscape view

/** One optimizer's trajectory. Mirrors `SimulationRunView` in `server/src/protocol.ts`. */
export interface SimulationRunSnapshot {
  readonly label: string;
  readonly x: readonly (readonly number[])[];
  readonly loss: readonly (number | null)[];
  readonly stepSize?: readonly (readonly (number | null)[])[];
  readonly stoppedEarly?: string;
}

/**
 * A finished simulation. Structurally the same as `SimulationView` in `server/src/protocol.ts` (the client checks it
 * at compile time), except that grid and heatmap values may be `null`: JSON turns NaN and infinities into `null`.
 */
export interface SimulationSnapshot {
  readonly uri: string;
  readonly functionLabel: string;
  readonly dim: number;
  readonly grid?: { readonly xs: readonly number[]; readonly ys: readonly number[]; readonly values: readonly (number | null)[] };
  readonly minima: readonly (readonly number[])[];
  readonly runs: readonly SimulationRunSnapshot[];
  readonly stability?: { readonly lambdaMax: number; readonly limit: number; readonly lr: number };
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

export interface LandscapePanelSnapshot {
  readonly view: SimulationSnapshot | null;
}

/** Host to landscape webview: the whole state. */
export interface LandscapeSnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: LandscapePanelSnapshot;
}

export type LandscapeHostMessage = LandscapeSnapshotMessage | ExportedMessage;

export type LandscapeWebviewMessage = ReadyMessage | ExportMessage;

/** What the landscape webview stores with `vscode.setState`: the view (when small enough) and the scrubber step. */
export interface LandscapeWebviewState {
  readonly stateVersion: 1;
  readonly snapshot: LandscapePanelSnapshot;
  readonly step: number;
}

// ---- Guards of the range-test and landscape messages ----

function isFiniteOrNullArray(value: unknown): value is (number | null)[] {
  return Array.isArray(value) && value.every((item) => item === null || typeof item === 'number');
}

function isPoint(value: unknown): value is number[] {
  return isNumberArray(value);
}

function isSuggestionOrNull(value: unknown): value is RangeTestSuggestionSnapshot | null {
  return value === null || (isRecord(value) && typeof value.lr === 'number' && typeof value.index === 'number' && typeof value.explanation === 'string');
}

function isApplyTarget(value: unknown): value is ApplyTarget {
  return value === 'lr' || value === 'max_lr';
}

export function isRangeTestSnapshot(value: unknown): value is RangeTestSnapshot {
  if (!isRecord(value) || !isRecord(value.suggestions)) return false;
  const suggestions = value.suggestions;
  return (
    typeof value.uri === 'string' &&
    typeof value.backend === 'string' &&
    Array.isArray(value.backendAttempts) &&
    value.backendAttempts.every(
      (attempt) => isRecord(attempt) && typeof attempt.name === 'string' && typeof attempt.loaded === 'boolean' && (attempt.reason === undefined || typeof attempt.reason === 'string'),
    ) &&
    typeof value.task === 'string' &&
    typeof value.optimizerLabel === 'string' &&
    isNumberArray(value.lrs) &&
    isFiniteOrNullArray(value.losses) &&
    isFiniteOrNullArray(value.smoothed) &&
    (value.stopped === 'completed' || value.stopped === 'diverged' || value.stopped === 'cancelled') &&
    isSuggestionOrNull(suggestions.steepest) &&
    isSuggestionOrNull(suggestions.valley) &&
    isSuggestionOrNull(suggestions.minimum) &&
    Array.isArray(value.notes) &&
    value.notes.every((note) => typeof note === 'string') &&
    typeof value.seconds === 'number' &&
    isApplyTarget(value.applyTarget) &&
    (value.currentLr === undefined || typeof value.currentLr === 'number')
  );
}

function isAppliedLearningRate(value: unknown): value is AppliedLearningRate {
  return isRecord(value) && typeof value.lr === 'number' && isApplyTarget(value.target) && typeof value.ok === 'boolean' && typeof value.message === 'string';
}

export function isRangeTestPanelSnapshot(value: unknown): value is RangeTestPanelSnapshot {
  return (
    isRecord(value) &&
    (value.view === null || isRangeTestSnapshot(value.view)) &&
    (value.applied === null || isAppliedLearningRate(value.applied))
  );
}

function isExportedMessage(value: Record<string, unknown>): boolean {
  return (
    isExportFormat(value.format) &&
    (value.savedTo === null || typeof value.savedTo === 'string') &&
    (value.error === undefined || typeof value.error === 'string')
  );
}

function isExportMessage(value: Record<string, unknown>): boolean {
  return (
    isExportFormat(value.format) &&
    typeof value.suggestedName === 'string' &&
    (value.encoding === 'base64' || value.encoding === 'utf8') &&
    typeof value.content === 'string'
  );
}

export function isRangeTestHostMessage(value: unknown): value is RangeTestHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'snapshot':
      return isRangeTestPanelSnapshot(value.snapshot);
    case 'applied':
      return isAppliedLearningRate(value.applied);
    case 'exported':
      return isExportedMessage(value);
    default:
      return false;
  }
}

export function isRangeTestWebviewMessage(value: unknown): value is RangeTestWebviewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready':
      return true;
    case 'export':
      return isExportMessage(value);
    case 'apply':
      return typeof value.lr === 'number' && Number.isFinite(value.lr) && value.lr > 0 && isApplyTarget(value.target);
    default:
      return false;
  }
}

export function isRangeTestWebviewState(value: unknown): value is RangeTestWebviewState {
  return isRecord(value) && value.stateVersion === 1 && isRangeTestPanelSnapshot(value.snapshot);
}

function isSimulationRun(value: unknown): value is SimulationRunSnapshot {
  return (
    isRecord(value) &&
    typeof value.label === 'string' &&
    Array.isArray(value.x) &&
    value.x.every(isPoint) &&
    isFiniteOrNullArray(value.loss) &&
    (value.stepSize === undefined || (Array.isArray(value.stepSize) && value.stepSize.every(isFiniteOrNullArray))) &&
    (value.stoppedEarly === undefined || typeof value.stoppedEarly === 'string')
  );
}

export function isSimulationSnapshot(value: unknown): value is SimulationSnapshot {
  if (!isRecord(value)) return false;
  const grid = value.grid;
  const heatmap = value.heatmap;
  const stability = value.stability;
  return (
    typeof value.uri === 'string' &&
    typeof value.functionLabel === 'string' &&
    typeof value.dim === 'number' &&
    (grid === undefined || (isRecord(grid) && isNumberArray(grid.xs) && isNumberArray(grid.ys) && isFiniteOrNullArray(grid.values))) &&
    Array.isArray(value.minima) &&
    value.minima.every(isPoint) &&
    Array.isArray(value.runs) &&
    value.runs.every(isSimulationRun) &&
    (stability === undefined ||
      (isRecord(stability) && typeof stability.lambdaMax === 'number' && typeof stability.limit === 'number' && typeof stability.lr === 'number')) &&
    (heatmap === undefined ||
      (isRecord(heatmap) &&
        typeof heatmap.xLabel === 'string' &&
        typeof heatmap.yLabel === 'string' &&
        isNumberArray(heatmap.xs) &&
        isNumberArray(heatmap.ys) &&
        isFiniteOrNullArray(heatmap.values) &&
        typeof heatmap.metric === 'string')) &&
    Array.isArray(value.notes) &&
    value.notes.every((note) => typeof note === 'string') &&
    typeof value.backend === 'string' &&
    typeof value.seconds === 'number'
  );
}

export function isLandscapePanelSnapshot(value: unknown): value is LandscapePanelSnapshot {
  return isRecord(value) && (value.view === null || isSimulationSnapshot(value.view));
}

export function isLandscapeHostMessage(value: unknown): value is LandscapeHostMessage {
  if (!isRecord(value)) return false;
  if (value.type === 'snapshot') return isLandscapePanelSnapshot(value.snapshot);
  if (value.type === 'exported') return isExportedMessage(value);
  return false;
}

export function isLandscapeWebviewMessage(value: unknown): value is LandscapeWebviewMessage {
  if (!isRecord(value)) return false;
  if (value.type === 'ready') return true;
  if (value.type === 'export') return isExportMessage(value);
  return false;
}

export function isLandscapeWebviewState(value: unknown): value is LandscapeWebviewState {
  return isRecord(value) && value.stateVersion === 1 && typeof value.step === 'number' && isLandscapePanelSnapshot(value.snapshot);
}
