// uPlot axes whose ranges, tick values and labels are the core plot module's (`linearScale`, `logScale`,
// `linearTicks`, `formatTick`), at the core line plot's tick density, so that a live chart, its SVG export and the
// CLI's plot show the same ticks and labels for the same view. Each axis remembers what it last chose (range, tick
// target, labels) so that the export can be laid out with the same choices and tests can read the labels.
//
// Invariant: no module-level state; an axis object belongs to one chart's options.

import type uPlot from 'uplot';
import {
  formatTick,
  linearScale,
  linearTicks,
  logScale,
  tickTarget,
  type AxisScale,
} from '../../../server/src/core/plot/ticks';

/** The core's tick labels. */
export function tickLabels(ticks: readonly number[]): string[] {
  return ticks.map((tick) => formatTick(tick));
}

/**
 * Ticks of a position axis whose ends are given (steps, a zoom window, the lr ramp): the core line plot's
 * `positionScale`, i.e. the nice ticks of `linearScale`/`logScale` that fall inside [min, max].
 */
export function positionTicks(min: number, max: number, log: boolean, target: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (!log) return linearTicks(min, max, target);
  if (!(min > 0) || !(max > 0)) return [];
  const inside = (tick: number): boolean => tick >= min * (1 - 1e-9) && tick <= max * (1 + 1e-9);
  return logScale(min, max, target).ticks.filter(inside);
}

/**
 * The scale of a value axis from the data's extent, as the core line plot's `valueScale` makes it: log axes from
 * the enclosing decades, linear ones with 3 % headroom and nice ends, from zero when `zeroFloor` and nothing is
 * negative.
 */
export function valueScale(
  dataMin: number | null,
  dataMax: number | null,
  log: boolean,
  target: number,
  zeroFloor = false,
): { scale: AxisScale; domain: { min: number; max: number } } {
  if (log) {
    // Within what float64 can place on a log axis (uPlot's own log splits stop working beyond 1e±16; ours do not).
    const low = Math.max(
      1e-300,
      dataMin !== null && dataMin > 0 && Number.isFinite(dataMin)
        ? dataMin
        : dataMax !== null && dataMax > 0 && Number.isFinite(dataMax)
          ? dataMax
          : 0.1,
    );
    const high = Math.min(
      1e300,
      Math.max(low, dataMax !== null && dataMax > 0 && Number.isFinite(dataMax) ? dataMax : low),
    );
    return { scale: logScale(low, high, target), domain: { min: low, max: high } };
  }
  let low = dataMin !== null && Number.isFinite(dataMin) ? dataMin : 0;
  let high = dataMax !== null && Number.isFinite(dataMax) ? dataMax : 1;
  if (zeroFloor && low >= 0) low = 0;
  if (high > low) high += (high - low) * 0.03;
  return { scale: linearScale(low, high, target), domain: { min: low, max: high } };
}

/** What an axis chose at its last layout: enough for an export to reproduce it, and the labels it drew. */
export interface LiveAxisChoice {
  /** The tick target used, from the axis's length in CSS pixels. */
  readonly target: number;
  /** For value axes: the extent to give the export (`yDomain`) so that it derives the same scale. */
  readonly domain: { readonly min: number; readonly max: number } | null;
  readonly ticks: readonly number[];
  readonly labels: readonly string[];
}

export interface LiveAxis {
  /** For the uPlot scale (value axes only; position axes keep their own range). */
  readonly range: (chart: uPlot, dataMin: number | null, dataMax: number | null) => uPlot.Range.MinMax;
  readonly splits: (chart: uPlot, axisIndex: number, min: number, max: number) => number[];
  readonly values: (chart: uPlot, splits: (number | null)[]) => string[];
  /** Keeps every split: uPlot's default filter for log scales would blank some of the core's decades. */
  readonly filter: (chart: uPlot, splits: number[]) => (number | null)[];
  /** The last choice; `null` before the first draw. */
  choice(): LiveAxisChoice | null;
}

export interface LiveAxisOptions {
  readonly direction: 'x' | 'y';
  readonly log: boolean;
  /** Value axes get their range from the data; position axes have their ends given. */
  readonly kind: 'value' | 'position';
  readonly zeroFloor?: boolean;
  /**
   * A value axis's extent when the panel decides it (the range test's loss window) rather than the data; no
   * headroom is added, as the export adds none to an extent it is given.
   */
  readonly extent?: () => { min: number; max: number };
  /** The axis length in CSS pixels before the chart has laid itself out (from the options' size). */
  readonly initialLength: () => number;
}

/** The plot area's length along `direction` in CSS pixels, or `fallback` before uPlot has laid the chart out. */
function plotLength(chart: uPlot | null, direction: 'x' | 'y', fallback: number): number {
  const ratio = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;
  const box = chart?.bbox;
  const length = box ? (direction === 'x' ? box.width : box.height) / ratio : 0;
  return length > 0 ? length : fallback;
}

/** A uPlot axis (and scale range, for value axes) on the core's ticks. */
export function liveAxis(options: LiveAxisOptions): LiveAxis {
  let choice: LiveAxisChoice | null = null;
  let ranged: { scale: AxisScale; domain: { min: number; max: number }; target: number } | null = null;
  const range = (chart: uPlot, dataMin: number | null, dataMax: number | null): uPlot.Range.MinMax => {
    const target = tickTarget(plotLength(chart, options.direction, options.initialLength()), options.direction);
    const fixed = options.extent?.();
    const { scale, domain } = fixed
      ? {
          scale: options.log ? logScale(fixed.min, fixed.max, target) : linearScale(fixed.min, fixed.max, target),
          domain: fixed,
        }
      : valueScale(dataMin, dataMax, options.log, target, options.zeroFloor === true);
    ranged = { scale, domain, target };
    return [scale.min, scale.max];
  };
  const splits = (chart: uPlot, _axisIndex: number, min: number, max: number): number[] => {
    let ticks: number[];
    let target: number;
    let domain: { min: number; max: number } | null = null;
    const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    if (options.kind === 'value' && ranged && same(ranged.scale.min, min) && same(ranged.scale.max, max)) {
      ticks = [...ranged.scale.ticks];
      target = ranged.target;
      domain = ranged.domain;
    } else {
      // A position axis, or a value axis whose range was set from outside (a zoom): nice ticks inside the range.
      target = tickTarget(plotLength(chart, options.direction, options.initialLength()), options.direction);
      ticks = positionTicks(min, max, options.log, target);
      if (options.kind === 'value') domain = { min, max };
    }
    choice = { target, domain, ticks, labels: tickLabels(ticks) };
    return ticks;
  };
  const values = (_chart: uPlot, ticks: (number | null)[]): string[] => {
    const labels = ticks.map((tick) => (tick === null ? '' : formatTick(tick)));
    if (choice) choice = { ...choice, labels: labels.filter((label) => label !== '') };
    return labels;
  };
  const filter = (_chart: uPlot, ticks: number[]): (number | null)[] => ticks;
  return { range, splits, values, filter, choice: () => choice };
}
