// The custom schedule request: the full-length series for the schedule panel.

import { LINT_SCHEDULE_STEPS } from '../../core/analysis';
import { computeSchedule } from '../../core/features/scheduleFacts';
import { ScheduleRequest, type ScheduleData } from '../../protocol';
import type { ServerContext } from '../context';
import { guard } from '../guard';

export function registerSchedule(context: ServerContext): void {
  context.connection.onRequest(ScheduleRequest.type, guard(context.connection, 'schedule', null, (params): ScheduleData | null => {
    const found = context.analysisOf(params.uri);
    const model = found?.analysis.model;
    if (!found || !model) return null;
    // The analysis already evaluated the whole run unless it was capped for linting: reuse it, do not redo it.
    const run = model.training?.totalSteps;
    const needsMetrics = model.scheduler?.entry?.needsMetric === true;
    const metrics = needsMetrics && params.metrics && params.metrics.length > 0 ? params.metrics : undefined;
    const reusable = params.steps === undefined && metrics === undefined && (run === undefined || run <= LINT_SCHEDULE_STEPS);
    // A metric series draws one scheduler step per value: as far as the values go, never past the run.
    const steps = params.steps ?? (metrics ? Math.min(metrics.length + 1, run ?? Infinity) : undefined);
    const facts = reusable ? found.analysis.schedule : computeSchedule(model, { ...(steps !== undefined ? { steps } : {}), ...(metrics ? { metrics } : {}) });
    if (!facts) {
      if (!model.scheduler) return null;
      return { uri: params.uri, version: found.document.version, title: model.scheduler.typeName || 'scheduler', lr: [], markers: [], errors: [`Unknown scheduler \`${model.scheduler.typeName}\`.`] };
    }
    const { series } = facts;
    const total = model.training?.totalSteps;
    const beta = series.betas;
    return {
      uri: params.uri,
      version: found.document.version,
      title: facts.title,
      lr: Array.from(series.lr),
      ...(series.momentum ? { momentum: Array.from(series.momentum) } : {}),
      ...(beta ? { betas: Array.from(beta[0], (b1, i) => [b1, beta[1][i] ?? 0] as const) } : {}),
      markers: series.markers.map((marker) => ({ step: marker.step, label: marker.label, kind: marker.kind })),
      ...(total !== undefined ? { totalSteps: total } : {}),
      errors: [...facts.located.filter((issue) => issue.severity === 'error').map((issue) => issue.message), ...facts.notes, ...metricNotes(metrics, run)],
      ...(needsMetrics ? { needsMetrics } : {}),
      ...(metrics ? { metrics: Array.from(metrics) } : {}),
    };
  }));
}

function metricNotes(metrics: readonly number[] | undefined, run: number | undefined): string[] {
  if (!metrics || run === undefined || metrics.length + 1 === run) return [];
  return metrics.length + 1 < run
    ? [`Drawn for the ${metrics.length} metric values given (${metrics.length + 1} steps); the run is ${run} steps.`]
    : [`The run is ${run} steps: the last ${metrics.length + 1 - run} metric values are not used.`];
}
