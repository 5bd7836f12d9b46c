// Messages between the extension host and the panel webviews, both directions, with their schemas.
//
// The host owns the state: it replays a `snapshot` whenever the webview says `ready` and whenever the panel
// becomes visible again, since a hidden webview receives nothing. The webview keeps only UI toggles and a
// copy of the last snapshot (through `vscode.setState`) so that it can repaint at once after being hidden.
// This file is shared by the webview bundles and the client, so it uses neither DOM nor Node APIs. The views
// themselves (schedule, range test, simulation) are defined once, in `server/src/core/views.ts`.
//
// Messages cross a process boundary, so nothing is trusted: every guard below is a valibot schema, and `schemaOf`
// makes the compiler check each schema against its type in both directions (what passes is of that type, and every
// value of that type passes), so a field added to a view or a message cannot be forgotten here.

import * as v from 'valibot';
import {
  APPLY_TARGETS,
  MEASURED_ON,
  RANGE_TEST_STOPS,
  SCHEDULE_MARKER_KINDS,
  SIMULATION_VERDICTS,
  type ApplyTarget,
  type RangeTestSnapshot,
  type ScheduleData,
  type SimulationView,
} from '../../server/src/core/views';

export type {
  ApplyTarget,
  RangeTestSnapshot,
  RangeTestSuggestionKind,
  RangeTestRuntime as RangeTestRuntimeSnapshot,
  RangeTestSuggestionView as RangeTestSuggestionSnapshot,
  ScheduleData as ScheduleSnapshot,
  ScheduleMarker as ScheduleMarkerSnapshot,
  SimulationRunView as SimulationRunSnapshot,
  SimulationStatementView as SimulationStatementSnapshot,
  SimulationView as SimulationSnapshot,
} from '../../server/src/core/views';

/** The most metric values the panel sends (one per scheduler step); the engine's longest schedule is longer. */
export const MAX_METRIC_VALUES = 1_000_000;

/**
 * The metric values a user typed or pasted: numbers separated by commas, spaces, semicolons or new lines, e.g.
 * `1.0, 0.9, 0.9, 0.9, 0.8`. An error names the first item that is not a number.
 */
export function parseMetricList(text: string): { readonly values: number[] } | { readonly error: string } {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  if (parts.length > MAX_METRIC_VALUES)
    return { error: `${parts.length} values is more than the ${MAX_METRIC_VALUES} the panel draws.` };
  const values: number[] = [];
  for (const [index, part] of parts.entries()) {
    const value = Number(part);
    if (!Number.isFinite(value)) return { error: `Item ${index + 1} ('${part}') is not a number.` };
    values.push(value);
  }
  return { values };
}

/** Everything the schedule webview shows, sent as one message so that a fresh webview paints once. */
export interface SchedulePanelSnapshot {
  /** The last good schedule, or `null` when there has never been one for this document. */
  readonly schedule: ScheduleData | null;
  /** The pinned schedule drawn dashed beside the current one, or `null`. */
  readonly pinned: ScheduleData | null;
  /** Why the current document has no plot right now; the last good plot stays greyed behind it. */
  readonly error: string | null;
}

export const EXPORT_FORMATS = ['png', 'svg', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ---- Host to webview ----

/** Sent by the host in reply to `ready` and when the panel becomes visible again: the whole state. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  readonly snapshot: SchedulePanelSnapshot;
}

/** Sent by the host when a new schedule was computed; it clears any error. */
export interface SetScheduleMessage {
  readonly type: 'setSchedule';
  readonly schedule: ScheduleData;
}

/** Sent by the host when the document cannot be plotted; the webview greys the last plot and shows the message. */
export interface SetErrorMessage {
  readonly type: 'setError';
  readonly message: string;
}

/** Sent by the host after a `pin` or `unpin`: the schedule now pinned, or `null`. */
export interface PinnedMessage {
  readonly type: 'pinned';
  readonly pinned: ScheduleData | null;
}

/** Sent by the host after it handled an `export`: where the file went, or `null` when the user cancelled. */
export interface ExportedMessage {
  readonly type: 'exported';
  readonly format: ExportFormat;
  readonly savedTo: string | null;
  readonly error?: string;
}

export type HostToWebviewMessage =
  SnapshotMessage | SetScheduleMessage | SetErrorMessage | PinnedMessage | ExportedMessage;

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

/** Sent by the webview when the user gives the metric series of a metric-driven schedule (empty: forget it). */
export interface SetMetricsMessage {
  readonly type: 'setMetrics';
  readonly metrics: readonly number[];
}

export type WebviewToHostMessage = ReadyMessage | ExportMessage | PinMessage | UnpinMessage | SetMetricsMessage;

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

// =========================================================================================== range test view
//
// The range-test and landscape panels follow the same rules as the schedule panel: the host owns the state,
// replays a `snapshot` on `ready` and when the panel becomes visible again, and the webview keeps a copy in
// `vscode.setState` so that it repaints at once and so that the panel serializer can bring it back after a restart.

/** The outcome of the last Apply, kept by the host so that a replayed snapshot still shows it. */
export interface AppliedLearningRate {
  readonly lr: number;
  readonly target: ApplyTarget;
  readonly ok: boolean;
  /** The value as written into the file (e.g. `3.16e-4`), when it was written. */
  readonly written?: string;
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

export interface LandscapePanelSnapshot {
  readonly view: SimulationView | null;
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

// =========================================================================================== schemas
//
// Each schema is followed by the exported guard made from it.

/** Deeply readonly, so that a readonly view can be compared with a schema's (mutable) input type. */
type DeepReadonly<T> = T extends readonly (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** True when the schema `S` checks exactly the type `T`: every `T` passes, and no key of `T` goes unchecked. */
type Covers<S extends v.GenericSchema, T> = [T] extends [DeepReadonly<v.InferInput<S>>]
  ? [Exclude<keyof T, keyof v.InferInput<S>>] extends [never]
    ? true
    : false
  : false;

/**
 * Ties a schema to the type it guards: the call compiles only when every value the schema accepts is a `T` (the
 * bound on `S`) and the schema covers `T` (else the parameter's type is `never`).
 */
function schemaOf<T>() {
  return <S extends v.GenericSchema<unknown, T>>(schema: S & (Covers<S, T> extends true ? unknown : never)): S =>
    schema;
}

/** The type guard of a schema that `schemaOf` tied to `T`: what passes is a `T`. */
function guardOf<T>(schema: v.GenericSchema<unknown, T>): (value: unknown) => value is T {
  return (value: unknown): value is T => v.is(schema, value);
}

const numbers = v.array(v.number());
/** A number array after JSON transport: NaN and infinities arrive as `null`. */
const numbersOrNull = v.array(v.nullable(v.number()));
const strings = v.array(v.string());
const finite = v.pipe(v.number(), v.finite());

const scheduleSchema = schemaOf<ScheduleData>()(
  v.object({
    uri: v.string(),
    version: v.number(),
    title: v.string(),
    lr: numbers,
    momentum: v.optional(numbers),
    betas: v.optional(v.array(v.strictTuple([v.number(), v.number()]))),
    markers: v.array(v.object({ step: v.number(), label: v.string(), kind: v.picklist(SCHEDULE_MARKER_KINDS) })),
    totalSteps: v.optional(v.number()),
    errors: strings,
    needsMetrics: v.optional(v.boolean()),
    metrics: v.optional(numbers),
  }),
);

const schedulePanelSnapshotSchema = schemaOf<SchedulePanelSnapshot>()(
  v.object({ schedule: v.nullable(scheduleSchema), pinned: v.nullable(scheduleSchema), error: v.nullable(v.string()) }),
);

const exportedSchema = schemaOf<ExportedMessage>()(
  v.object({
    type: v.literal('exported'),
    format: v.picklist(EXPORT_FORMATS),
    savedTo: v.nullable(v.string()),
    error: v.optional(v.string()),
  }),
);

const readySchema = schemaOf<ReadyMessage>()(v.object({ type: v.literal('ready') }));

const exportSchema = schemaOf<ExportMessage>()(
  v.object({
    type: v.literal('export'),
    format: v.picklist(EXPORT_FORMATS),
    suggestedName: v.string(),
    encoding: v.picklist(['base64', 'utf8']),
    content: v.string(),
  }),
);

/** A panel's messages to its webview: the `snapshot` that replays its state, its own kinds, and `exported`. */
function hostMessagesSchema<Snapshot extends v.GenericSchema, const Options extends v.VariantOptions<'type'>>(
  snapshot: Snapshot,
  ...options: Options
) {
  return v.variant('type', [v.object({ type: v.literal('snapshot'), snapshot }), ...options, exportedSchema]);
}

/** A webview's messages to its panel: `ready`, `export`, and the panel's own kinds. */
function webviewMessagesSchema<const Options extends v.VariantOptions<'type'>>(...options: Options) {
  return v.variant('type', [readySchema, exportSchema, ...options]);
}

const hostToWebviewSchema = schemaOf<HostToWebviewMessage>()(
  hostMessagesSchema(
    schedulePanelSnapshotSchema,
    v.object({ type: v.literal('setSchedule'), schedule: scheduleSchema }),
    v.object({ type: v.literal('setError'), message: v.string() }),
    v.object({ type: v.literal('pinned'), pinned: v.nullable(scheduleSchema) }),
  ),
);
export const isHostToWebviewMessage = guardOf<HostToWebviewMessage>(hostToWebviewSchema);

const webviewToHostSchema = schemaOf<WebviewToHostMessage>()(
  webviewMessagesSchema(
    v.object({ type: v.literal('pin') }),
    v.object({ type: v.literal('unpin') }),
    v.object({ type: v.literal('setMetrics'), metrics: v.pipe(v.array(finite), v.maxLength(MAX_METRIC_VALUES)) }),
  ),
);
export const isWebviewToHostMessage = guardOf<WebviewToHostMessage>(webviewToHostSchema);

const scheduleWebviewStateSchema = schemaOf<ScheduleWebviewState>()(
  v.object({
    stateVersion: v.literal(1),
    uri: v.nullable(v.string()),
    logScale: v.boolean(),
    view: v.nullable(v.object({ min: v.number(), max: v.number() })),
    snapshot: v.nullable(schedulePanelSnapshotSchema),
  }),
);
export const isScheduleWebviewState = guardOf<ScheduleWebviewState>(scheduleWebviewStateSchema);

const suggestionSchema = v.nullable(v.object({ lr: v.number(), index: v.number(), explanation: v.string() }));
const applyTargetSchema = v.picklist(APPLY_TARGETS);

const rangeTestSnapshotSchema = schemaOf<RangeTestSnapshot>()(
  v.object({
    uri: v.string(),
    fileName: v.string(),
    measuredOn: v.picklist(MEASURED_ON),
    runtime: v.optional(
      v.object({
        python: v.string(),
        torch: v.string(),
        device: v.string(),
        deviceName: v.string(),
        interpreter: v.string(),
        interpreterSource: v.string(),
      }),
    ),
    running: v.optional(v.object({ total: v.number() })),
    backend: v.string(),
    backendAttempts: v.array(v.object({ name: v.string(), loaded: v.boolean(), reason: v.optional(v.string()) })),
    task: v.string(),
    optimizerLabel: v.string(),
    lrs: numbers,
    losses: numbersOrNull,
    smoothed: numbersOrNull,
    stopped: v.picklist(RANGE_TEST_STOPS),
    suggestions: v.object({ steepest: suggestionSchema, valley: suggestionSchema, minimum: suggestionSchema }),
    notes: strings,
    seconds: v.number(),
    applyTarget: applyTargetSchema,
    currentLr: v.optional(v.number()),
  }),
);
export const isRangeTestSnapshot = guardOf<RangeTestSnapshot>(rangeTestSnapshotSchema);

const appliedSchema = schemaOf<AppliedLearningRate>()(
  v.object({
    lr: v.number(),
    target: applyTargetSchema,
    ok: v.boolean(),
    written: v.optional(v.string()),
    message: v.string(),
  }),
);

const rangeTestPanelSnapshotSchema = schemaOf<RangeTestPanelSnapshot>()(
  v.object({ view: v.nullable(rangeTestSnapshotSchema), applied: v.nullable(appliedSchema) }),
);

const rangeTestHostSchema = schemaOf<RangeTestHostMessage>()(
  hostMessagesSchema(rangeTestPanelSnapshotSchema, v.object({ type: v.literal('applied'), applied: appliedSchema })),
);
export const isRangeTestHostMessage = guardOf<RangeTestHostMessage>(rangeTestHostSchema);

const rangeTestWebviewSchema = schemaOf<RangeTestWebviewMessage>()(
  webviewMessagesSchema(
    v.object({ type: v.literal('apply'), lr: v.pipe(finite, v.gtValue(0)), target: applyTargetSchema }),
  ),
);
export const isRangeTestWebviewMessage = guardOf<RangeTestWebviewMessage>(rangeTestWebviewSchema);

const rangeTestWebviewStateSchema = schemaOf<RangeTestWebviewState>()(
  v.object({ stateVersion: v.literal(1), snapshot: rangeTestPanelSnapshotSchema }),
);
export const isRangeTestWebviewState = guardOf<RangeTestWebviewState>(rangeTestWebviewStateSchema);

const simulationSchema = schemaOf<SimulationView>()(
  v.object({
    uri: v.string(),
    functionLabel: v.string(),
    dim: v.number(),
    grid: v.optional(v.object({ xs: numbers, ys: numbers, values: numbersOrNull })),
    minima: v.array(numbers),
    runs: v.array(
      v.object({
        label: v.string(),
        x: v.array(numbers),
        loss: numbersOrNull,
        steps: v.optional(numbers),
        stepSize: v.optional(v.array(numbersOrNull)),
        stoppedEarly: v.optional(v.string()),
      }),
    ),
    stability: v.optional(
      v.array(
        v.object({
          run: v.string(),
          basis: v.picklist(['bound', 'measured']),
          verdict: v.picklist(SIMULATION_VERDICTS),
          text: v.string(),
          bound: v.optional(v.object({ rule: v.string(), limit: v.number(), lr: v.number(), lambdaMax: v.number() })),
        }),
      ),
    ),
    heatmap: v.optional(
      v.object({
        xLabel: v.string(),
        yLabel: v.string(),
        xs: numbers,
        ys: numbers,
        values: numbersOrNull,
        metric: v.string(),
      }),
    ),
    notes: strings,
    backend: v.string(),
    seconds: v.number(),
  }),
);
export const isSimulationSnapshot = guardOf<SimulationView>(simulationSchema);

const landscapePanelSnapshotSchema = schemaOf<LandscapePanelSnapshot>()(
  v.object({ view: v.nullable(simulationSchema) }),
);

const landscapeHostSchema = schemaOf<LandscapeHostMessage>()(hostMessagesSchema(landscapePanelSnapshotSchema));
export const isLandscapeHostMessage = guardOf<LandscapeHostMessage>(landscapeHostSchema);

const landscapeWebviewSchema = schemaOf<LandscapeWebviewMessage>()(webviewMessagesSchema());
export const isLandscapeWebviewMessage = guardOf<LandscapeWebviewMessage>(landscapeWebviewSchema);

const landscapeWebviewStateSchema = schemaOf<LandscapeWebviewState>()(
  v.object({ stateVersion: v.literal(1), snapshot: landscapePanelSnapshotSchema, step: v.number() }),
);
export const isLandscapeWebviewState = guardOf<LandscapeWebviewState>(landscapeWebviewStateSchema);
