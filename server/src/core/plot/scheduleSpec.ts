// Turns a computed schedule into a line-plot spec: lr on the left axis, momentum or beta1 on the right.

import { formatStepCount } from '../util/numberFormat';
import type { ScheduleData, ScheduleMarker, ScheduleMarkerKind } from '../views';
import type { LinePlotMarker, LinePlotSeries, LinePlotSpec } from './linePlot';
import { plotTheme, type PlotColor, type PlotTheme } from './scene';

export interface SchedulePlotOptions {
  readonly width?: number;
  readonly height?: number;
  readonly logY?: boolean;
  readonly theme?: 'light' | 'dark';
}

export function scheduleLinePlotSpec(data: ScheduleData, options: SchedulePlotOptions = {}): LinePlotSpec {
  const theme = plotTheme(options.theme);
  const logY = options.logY === true;
  const series: LinePlotSeries[] = [{ label: 'lr', y: data.lr, color: theme.palette[0]! }];
  let y2Label: string | undefined;
  if (data.momentum && data.momentum.length > 0) {
    series.push({ label: 'momentum', y: data.momentum, axis: 'right', color: theme.palette[1]! });
    y2Label = 'momentum';
  } else if (data.betas && data.betas.length > 0) {
    series.push({ label: 'beta1', y: data.betas.map((pair) => pair[0]), axis: 'right', color: theme.palette[1]! });
    y2Label = 'beta1';
  }
  const markers: LinePlotMarker[] = scheduleMarkers(data).map((marker) => ({
    x: marker.step,
    label: marker.label,
    color: markerColor(marker.kind, theme),
  }));
  return {
    title: data.title.trim() === '' ? 'Learning-rate schedule' : data.title,
    xLabel: 'step',
    ...scheduleLrAxis(
      logY,
      data.lr.every((value) => !(value < 0)),
    ),
    series,
    markers,
    ...(y2Label !== undefined ? { y2Label } : {}),
    notes: data.errors.map((message) => `error: ${message}`),
    ...(options.width !== undefined ? { width: options.width } : {}),
    ...(options.height !== undefined ? { height: options.height } : {}),
    ...(options.theme !== undefined ? { theme: options.theme } : {}),
  };
}

/**
 * Every marker a schedule plot draws, with its label: the schedule's own, then the end of the run when its length is
 * known and no marker already ends the schedule there. The one home of the run-end marker: the CLI's plots and the
 * panel (live chart and export) draw what this returns.
 */
export function scheduleMarkers(data: Pick<ScheduleData, 'markers' | 'totalSteps'>): ScheduleMarker[] {
  const markers = [...data.markers];
  const total = data.totalSteps;
  if (total !== undefined && Number.isFinite(total) && total > 0) {
    const alreadyMarked = data.markers.some((marker) => isEndMarker(marker.kind) && marker.step === total);
    if (!alreadyMarked) markers.push({ step: total, label: `run end ${formatStepCount(total)}`, kind: 'run-end' });
  }
  return markers;
}

/** Marker kinds that mean "the schedule or the run stops here"; plots draw them apart from the phase markers. */
export function isEndMarker(kind: ScheduleMarkerKind): boolean {
  return kind === 'end' || kind === 'run-end';
}

/** The lr axis of every schedule plot (CLI and panel export): its title, scale, and where it starts. */
export function scheduleLrAxis(
  logY: boolean,
  lrAllNonNegative: boolean,
): Pick<LinePlotSpec, 'yLabel' | 'logY' | 'yDomain'> {
  return {
    yLabel: logY ? 'learning rate (log scale)' : 'learning rate',
    logY,
    // A linear lr axis starts at zero so that decay reads as a fraction of the peak.
    ...(!logY && lrAllNonNegative ? { yDomain: { min: 0 } } : {}),
  };
}

function markerColor(kind: ScheduleMarkerKind, theme: PlotTheme): PlotColor {
  switch (kind) {
    case 'warmup-end':
      return theme.accents.warmup;
    case 'peak':
      return theme.accents.peak;
    case 'restart':
      return theme.accents.restart;
    default:
      return isEndMarker(kind) ? theme.text : theme.marker;
  }
}
