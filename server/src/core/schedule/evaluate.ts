// evaluateSchedule: the lr (and momentum / betas) a scheduler block produces at every optimizer step, exactly as the library computes it.

import { buildScheduler, type DrawingFacts } from './build';
import { LibraryRaise, newParamGroup } from './runtime';
import type { SteppableScheduler } from './runtime';
import { ReduceLrOnPlateauScheduler } from './torchSchedulers';
import { formatNumber } from '../util/numberFormat';
import type { ScheduleIssue, ScheduleMarker, ScheduleRequest, ScheduleSeries, ScheduleSummary } from './types';

function emptySeries(issues: readonly ScheduleIssue[]): ScheduleSeries {
  return { lr: new Float64Array(0), markers: [], issues };
}

function raiseIssue(raised: LibraryRaise, when: string): ScheduleIssue {
  return { path: raised.path, message: `${raised.who} ${when}: ${raised.detail}`, severity: 'error' };
}

/**
 * Simulates the request the way the reference harness runs PyTorch: construct (the initial step), then for each
 * step i read lr[i] and, unless it is the last one, call `scheduler.step()`. Never throws; anything the library
 * would raise becomes an error issue and the series stops at the step that raised.
 */
export function evaluateSchedule(request: ScheduleRequest): ScheduleSeries {
  const issues: ScheduleIssue[] = [];
  const drawing: DrawingFacts = { notes: [] };
  const { optimizer } = request;
  const steps = request.steps;
  if (!Number.isInteger(steps) || steps < 0) {
    return emptySeries([
      { path: [], message: `The number of steps must be a non-negative integer, got ${steps}.`, severity: 'error' },
    ]);
  }
  if (typeof optimizer.lr !== 'number' || !Number.isFinite(optimizer.lr)) {
    return emptySeries([
      { path: [], message: `The optimizer's lr must be a number, got ${String(optimizer.lr)}.`, severity: 'error' },
    ]);
  }
  const group = newParamGroup(optimizer.lr, optimizer.momentum, optimizer.betas);
  let scheduler: SteppableScheduler | undefined;
  try {
    scheduler = buildScheduler(request.scheduler, [], { group, issues, runSteps: steps, drawing });
  } catch (caught) {
    issues.push(caught instanceof LibraryRaise ? raiseIssue(caught, 'when it is constructed') : internalIssue(caught));
    return emptySeries(issues);
  }
  if (scheduler === undefined || issues.some((issue) => issue.severity === 'error')) return emptySeries(issues);

  let limit = steps;
  const metrics = request.metrics;
  const isPlateau = scheduler instanceof ReduceLrOnPlateauScheduler;
  if (isPlateau) {
    const available = metrics === undefined ? 0 : metrics.length;
    if (available < steps - 1) {
      limit = Math.min(steps, available + 1);
      issues.push({
        path: [],
        message: `ReduceLROnPlateau needs one metric per step (${Math.max(0, steps - 1)} values for ${steps} steps) but got ${available}, so the curve stops at step ${limit}.`,
        severity: 'warning',
      });
    }
  }

  const lr = new Float64Array(steps);
  const momentum = group.cyclesMomentum ? new Float64Array(steps) : undefined;
  const beta1 = group.cyclesBetas ? new Float64Array(steps) : undefined;
  const beta2 = group.cyclesBetas ? new Float64Array(steps) : undefined;
  let recorded = 0;
  try {
    for (let index = 0; index < limit; index++) {
      lr[index] = group.lr;
      if (momentum !== undefined) momentum[index] = group.momentum as number;
      if (beta1 !== undefined && beta2 !== undefined) {
        beta1[index] = group.beta1 as number;
        beta2[index] = group.beta2 as number;
      }
      recorded = index + 1;
      if (index < limit - 1) {
        if (isPlateau) scheduler.step((metrics as ArrayLike<number>)[index]);
        else scheduler.step();
      }
    }
  } catch (caught) {
    issues.push(caught instanceof LibraryRaise ? raiseIssue(caught, `at step ${recorded}`) : internalIssue(caught));
  }

  const cut = <T extends Float64Array | undefined>(array: T): T =>
    array === undefined || recorded === steps ? array : (array.slice(0, recorded) as T);
  const lrSeries = cut(lr);
  const series: ScheduleSeries = {
    lr: lrSeries,
    markers: collectMarkers(scheduler, lrSeries),
    issues,
    ...(drawing.notes.length > 0 ? { notes: drawing.notes } : {}),
    ...(drawing.unit !== undefined ? { unit: drawing.unit } : {}),
    ...(momentum !== undefined ? { momentum: cut(momentum) } : {}),
    ...(beta1 !== undefined && beta2 !== undefined ? { betas: [cut(beta1), cut(beta2)] as const } : {}),
  };
  return series;
}

function internalIssue(caught: unknown): ScheduleIssue {
  const detail = caught instanceof Error ? caught.message : String(caught);
  return {
    path: [],
    message: `The schedule engine failed unexpectedly (${detail}); no curve is shown.`,
    severity: 'error',
  };
}

/** The schedulers' own markers inside the recorded range, plus the peak of the series, sorted by step. */
function collectMarkers(scheduler: SteppableScheduler, lr: Float64Array): ScheduleMarker[] {
  let markers: ScheduleMarker[];
  try {
    markers = scheduler.markers(lr.length).filter((marker) => marker.step >= 0 && marker.step < lr.length);
  } catch {
    markers = [];
  }
  if (lr.length > 1) {
    const summary = summarizeSchedule({ lr, markers: [], issues: [] });
    if (
      summary.peak > summary.start &&
      !markers.some((marker) => marker.kind === 'peak' && marker.step === summary.peakStep)
    ) {
      markers.push({ step: summary.peakStep, kind: 'peak', label: `peak lr ${formatNumber(summary.peak)}` });
    }
  }
  return markers.sort((a, b) => a.step - b.step);
}

/** Start, peak, final and minimum of a series; NaN (and step -1) for an empty one. The first occurrence wins ties. */
export function summarizeSchedule(series: ScheduleSeries): ScheduleSummary {
  const { lr } = series;
  if (lr.length === 0)
    return { start: Number.NaN, peak: Number.NaN, peakStep: -1, final: Number.NaN, min: Number.NaN, minStep: -1 };
  let peak = lr[0]!;
  let peakStep = 0;
  let min = lr[0]!;
  let minStep = 0;
  for (let index = 1; index < lr.length; index++) {
    const value = lr[index]!;
    if (value > peak) {
      peak = value;
      peakStep = index;
    }
    if (value < min) {
      min = value;
      minStep = index;
    }
  }
  return { start: lr[0]!, peak, peakStep, final: lr[lr.length - 1]!, min, minStep };
}
