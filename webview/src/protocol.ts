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
