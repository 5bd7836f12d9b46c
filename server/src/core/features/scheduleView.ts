// "Config to schedule, schedule to view": the schedule a request asks for and the plain data the panel, the CLI's
// plots and `--json` show. One home for both, used by the LSP handler and the CLI alike.

import { LINT_SCHEDULE_STEPS, type Analysis } from '../analysis';
import type { ConfigModel } from '../model';
import { scheduleMarkers } from '../plot/scheduleSpec';
import type { ScheduleData } from '../views';
import { computeSchedule, type ScheduleFacts } from './scheduleFacts';

/** What a schedule request may give beyond the file: a length, and the metric series of a metric-driven scheduler. */
export interface ScheduleQuery {
  readonly steps?: number;
  readonly metrics?: readonly number[];
}

/** The schedule of an analysed file for a query, and the metric series it was drawn from (when one was used). */
export interface ScheduleAnswer {
  readonly facts: ScheduleFacts | undefined;
  readonly metrics: readonly number[] | undefined;
}

/**
 * Evaluates the schedule a query asks for. The analysis already evaluated the whole run unless it was capped for
 * linting, so that is reused rather than redone. Metrics are used only by a metric-driven scheduler; they draw one
 * scheduler step per value, as far as the values go and never past the run.
 */
export function scheduleForQuery(analysis: Analysis, query: ScheduleQuery): ScheduleAnswer {
  const model = analysis.model;
  if (!model) return { facts: undefined, metrics: undefined };
  const run = model.training?.totalSteps;
  const needsMetrics = model.scheduler?.entry?.needsMetric === true;
  const metrics = needsMetrics && query.metrics && query.metrics.length > 0 ? query.metrics : undefined;
  const reusable =
    query.steps === undefined && metrics === undefined && (run === undefined || run <= LINT_SCHEDULE_STEPS);
  const steps = query.steps ?? (metrics ? Math.min(metrics.length + 1, run ?? Infinity) : undefined);
  const facts = reusable
    ? analysis.schedule
    : computeSchedule(model, { ...(steps !== undefined ? { steps } : {}), ...(metrics ? { metrics } : {}) });
  return { facts, metrics };
}

/** Where the view goes, and what it was drawn from. */
export interface ScheduleViewTarget {
  readonly uri: string;
  readonly version: number;
  /** The metric series the schedule was drawn from, when there was one. */
  readonly metrics?: readonly number[];
  /**
   * Whether the notes about assumptions (default lr, default length, metrics against the run) join the errors, as
   * the panel shows them. The CLI prints its notes on stderr and leaves them out of its plots.
   */
  readonly withNotes?: boolean;
}

/**
 * The schedule as the panel and the CLI see it. `null` when the file has no scheduler; a scheduler of an unknown
 * type gives an empty curve with one error.
 */
export function toScheduleData(
  model: ConfigModel,
  facts: ScheduleFacts | undefined,
  target: ScheduleViewTarget,
): ScheduleData | null {
  if (!facts) {
    if (!model.scheduler) return null;
    return {
      uri: target.uri,
      version: target.version,
      title: model.scheduler.typeName || 'scheduler',
      lr: [],
      markers: [],
      errors: [`Unknown scheduler \`${model.scheduler.typeName}\`.`],
    };
  }
  const { series } = facts;
  const run = model.training?.totalSteps;
  const needsMetrics = model.scheduler?.entry?.needsMetric === true;
  const metrics = target.metrics;
  const beta = series.betas;
  const withNotes = target.withNotes !== false;
  return {
    uri: target.uri,
    version: target.version,
    title: facts.title,
    lr: Array.from(series.lr),
    ...(series.momentum ? { momentum: Array.from(series.momentum) } : {}),
    ...(beta ? { betas: Array.from(beta[0], (b1, i) => [b1, beta[1][i] ?? 0] as const) } : {}),
    // The schedule's markers and the run's end, labelled here so that every plot draws the same ones.
    markers: scheduleMarkers({
      markers: series.markers.map((marker) => ({ step: marker.step, label: marker.label, kind: marker.kind })),
      ...(run !== undefined ? { totalSteps: run } : {}),
    }),
    ...(run !== undefined ? { totalSteps: run } : {}),
    errors: [
      ...facts.located.filter((issue) => issue.severity === 'error').map((issue) => issue.message),
      ...(withNotes ? [...facts.notes, ...metricNotes(metrics, run)] : []),
    ],
    ...(needsMetrics ? { needsMetrics } : {}),
    ...(metrics ? { metrics: Array.from(metrics) } : {}),
  };
}

/** The schedule view for a query, and the notes that go with it. */
export interface ScheduleView {
  /** The evaluated schedule (the CLI's text summary and exit code read it); `undefined` as in `scheduleForQuery`. */
  readonly facts: ScheduleFacts | undefined;
  /** What the panel draws and the CLI prints as `--json` and plots; `null` when the file has no scheduler. */
  readonly data: ScheduleData | null;
  /** The notes about assumptions (default lr, default length, metrics against the run), with or without `withNotes`. */
  readonly notes: readonly string[];
}

/**
 * The one way from an analysed file and a query (a length, metrics) to the schedule's view: the LSP handler (for the
 * panel) and the CLI's `schedule` (text, `--json`, `--out`) both call it, so they cannot differ for the same file
 * and metrics.
 */
export function scheduleView(
  analysis: Analysis,
  query: ScheduleQuery,
  target: Omit<ScheduleViewTarget, 'metrics'>,
): ScheduleView {
  const model = analysis.model;
  if (!model) return { facts: undefined, data: null, notes: [] };
  const { facts, metrics } = scheduleForQuery(analysis, query);
  const data = toScheduleData(model, facts, { ...target, ...(metrics ? { metrics } : {}) });
  const notes = facts ? [...facts.notes, ...metricNotes(metrics, model.training?.totalSteps)] : [];
  return { facts, data, notes };
}

/** The CLI's `schedule --json` contract, `{"lr": [...], "momentum"?: [...], "betas"?: [[b1, b2], ...]}`: the view's series. */
export function scheduleSeriesJson(data: ScheduleData): {
  lr: readonly number[];
  momentum?: readonly number[];
  betas?: readonly (readonly [number, number])[];
} {
  return {
    lr: data.lr,
    ...(data.momentum ? { momentum: data.momentum } : {}),
    ...(data.betas ? { betas: data.betas } : {}),
  };
}

function metricNotes(metrics: readonly number[] | undefined, run: number | undefined): string[] {
  if (!metrics || run === undefined || metrics.length + 1 === run) return [];
  return metrics.length + 1 < run
    ? [`Drawn for the ${metrics.length} metric values given (${metrics.length + 1} steps); the run is ${run} steps.`]
    : [`The run is ${run} steps: the last ${metrics.length + 1 - run} metric values are not used.`];
}
