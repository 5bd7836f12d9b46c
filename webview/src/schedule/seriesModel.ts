// Which lines the schedule plot draws for a schedule and an optional pinned one, and the CSV export of a schedule.

import type { ScheduleSnapshot } from '../protocol';
import { fileNameOf } from '../../../server/src/core/util/fileName';
import { csvNumber, exportBaseNameOf } from '../common/lineChartSvg';

export type SeriesKey = 'lr' | 'momentum' | 'beta1' | 'pinnedLr' | 'pinnedMomentum' | 'pinnedBeta1';

/** `lr` is the left axis; `momentum` is the right axis, shared by momentum and beta1 since both live in [0, 1]. */
export type AxisKey = 'lr' | 'momentum';

export interface PlottedSeries {
  readonly key: SeriesKey;
  readonly label: string;
  readonly axis: AxisKey;
  readonly values: ArrayLike<number>;
  readonly pinned: boolean;
}

export function beta1Of(schedule: ScheduleSnapshot): number[] | undefined {
  return schedule.betas?.map((pair) => pair[0]);
}

/** The current schedule's lines first, then the pinned schedule's, drawn dashed. */
export function plottedSeriesOf(schedule: ScheduleSnapshot | null, pinned: ScheduleSnapshot | null): PlottedSeries[] {
  const series: PlottedSeries[] = [];
  if (schedule) {
    series.push({ key: 'lr', label: 'lr', axis: 'lr', values: schedule.lr, pinned: false });
    if (schedule.momentum)
      series.push({ key: 'momentum', label: 'momentum', axis: 'momentum', values: schedule.momentum, pinned: false });
    const beta1 = beta1Of(schedule);
    if (beta1) series.push({ key: 'beta1', label: 'β1', axis: 'momentum', values: beta1, pinned: false });
  }
  if (pinned) {
    // Pinned lines say which file they come from: a pin may be compared on another file's plot.
    const from = `pinned: ${fileNameOf(pinned.uri)}`;
    series.push({ key: 'pinnedLr', label: `lr (${from})`, axis: 'lr', values: pinned.lr, pinned: true });
    if (pinned.momentum) {
      series.push({
        key: 'pinnedMomentum',
        label: `momentum (${from})`,
        axis: 'momentum',
        values: pinned.momentum,
        pinned: true,
      });
    }
    const beta1 = beta1Of(pinned);
    if (beta1)
      series.push({ key: 'pinnedBeta1', label: `β1 (${from})`, axis: 'momentum', values: beta1, pinned: true });
  }
  return series;
}

/** `step,lr[,momentum][,beta1,beta2]`, one row per step of the full (not decimated) schedule. */
export function scheduleCsv(schedule: ScheduleSnapshot): string {
  const header = ['step', 'lr'];
  if (schedule.momentum) header.push('momentum');
  if (schedule.betas) header.push('beta1', 'beta2');
  const rows: string[] = [header.join(',')];
  for (let step = 0; step < schedule.lr.length; step++) {
    const cells: string[] = [String(step), csvNumber(schedule.lr[step])];
    if (schedule.momentum) cells.push(csvNumber(schedule.momentum[step]));
    if (schedule.betas) {
      const pair = schedule.betas[step];
      cells.push(csvNumber(pair?.[0]), csvNumber(pair?.[1]));
    }
    rows.push(cells.join(','));
  }
  return rows.join('\n') + '\n';
}

/** A file name for exports, from the schedule's document, e.g. `adamw.schedule`. */
export function exportBaseName(schedule: ScheduleSnapshot): string {
  return exportBaseNameOf(schedule.uri, 'schedule', 'schedule');
}
