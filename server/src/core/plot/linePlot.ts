// Lays out a generic line plot (axes, ticks, grid, curves, markers, legend) as a scene for SVG and PNG: the layout
// of the CLI's plots and of the panels' SVG exports.

import { decimateByPixelColumn } from './decimate';
import {
  fitText,
  plotTheme,
  textWidth,
  type PlotColor,
  type PlotTheme,
  type Scene,
  type SceneItem,
  type SceneLine,
  type SceneText,
} from './scene';
import { formatTick, linearScale, logScale, scaleFraction, tickTarget, type AxisScale } from './ticks';

export interface LinePlotSeries {
  readonly label: string;
  /** X values; the index 0, 1, 2, ... when absent (steps). */
  readonly x?: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly dashed?: boolean;
  readonly color?: PlotColor;
  /** Stroke width in pixels; 2 when absent. */
  readonly width?: number;
  /** 0..1; 1 when absent. */
  readonly opacity?: number;
  /** The y axis the series is read on; `right` uses `y2Label`. Left when absent. */
  readonly axis?: 'left' | 'right';
}

export interface LinePlotMarker {
  readonly x: number;
  readonly label: string;
  readonly color?: PlotColor;
  /** Dashed unless `false`. */
  readonly dashed?: boolean;
}

export interface AxisDomain {
  readonly min?: number;
  readonly max?: number;
}

export interface LinePlotSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly series: readonly LinePlotSeries[];
  readonly markers?: readonly LinePlotMarker[];
  /** The title of the right axis; shown when some series has `axis: 'right'`. */
  readonly y2Label?: string;
  /** Fixed ends of an axis; the data decide the rest. */
  readonly xDomain?: AxisDomain;
  readonly yDomain?: AxisDomain;
  readonly y2Domain?: AxisDomain;
  /** Tick counts to aim for; from the plot area's size (one per 95 px across, 55 px up) when absent. A live chart
   * passes its own so that its export has the same ticks. */
  readonly xTickCount?: number;
  readonly yTickCount?: number;
  /** Lines shown under the plot in the error colour (at most three are drawn). */
  readonly notes?: readonly string[];
  readonly width?: number;
  readonly height?: number;
  /** A built-in theme, or a panel's own colours. */
  readonly theme?: 'light' | 'dark' | PlotTheme;
}

export const DEFAULT_PLOT_WIDTH = 800;
export const DEFAULT_PLOT_HEIGHT = 450;
const MIN_PLOT_WIDTH = 240;
const MIN_PLOT_HEIGHT = 160;
const MAX_PLOT_SIDE = 8000;
const MAX_NOTES = 3;
const MARKER_LABEL_ROWS = 3;

/** The plot rectangle in pixels: integer edges, so that 1-pixel lines at `edge + 0.5` are crisp. */
export interface PlotArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

interface SeriesPixels {
  readonly series: LinePlotSeries;
  readonly color: PlotColor;
  readonly pieces: number[][];
}

/** The whole picture for `spec`. Never throws: empty or non-finite data give empty axes. */
export function linePlotScene(spec: LinePlotSpec): Scene {
  const theme = plotTheme(spec.theme);
  const width = clampSide(spec.width, DEFAULT_PLOT_WIDTH, MIN_PLOT_WIDTH);
  const height = clampSide(spec.height, DEFAULT_PLOT_HEIGHT, MIN_PLOT_HEIGHT);
  const hasRight = spec.series.some((series) => series.axis === 'right');
  const notes = (spec.notes ?? []).slice(0, MAX_NOTES);

  const top = 58;
  const bottom = height - 40 - notes.length * 13;
  const yTickCount = spec.yTickCount ?? tickTarget(bottom - top, 'y');
  const yScale = valueScale(
    spec.series.filter((series) => series.axis !== 'right'),
    spec.logY === true,
    spec.yDomain,
    yTickCount,
  );
  const y2Scale = hasRight
    ? valueScale(
        spec.series.filter((series) => series.axis === 'right'),
        false,
        spec.y2Domain,
        yTickCount,
      )
    : undefined;
  const widest = (scale: AxisScale | undefined) =>
    Math.max(0, ...(scale?.ticks ?? []).map((tick) => textWidth(formatTick(tick), 1)));
  const left = Math.round(26 + widest(yScale) + 8);
  const right = Math.round(hasRight ? width - (26 + widest(y2Scale) + 8) : width - 18);
  const area: PlotArea = { left, right, top, bottom };
  const xTickCount = spec.xTickCount ?? tickTarget(right - left, 'x');
  const xScale = positionScale(spec, xTickCount);

  const items: SceneItem[] = [];
  const toPixelX = (value: number) => left + clampUnit(scaleFraction(xScale, value)) * (right - left);
  const toPixelY = (scale: AxisScale, value: number) =>
    bottom - clampUnit(scaleFraction(scale, value)) * (bottom - top);

  items.push({ kind: 'rect', x: 0, y: 0, width, height, fill: theme.background, role: 'background' });
  drawGrid(items, theme, area, xScale, yScale, toPixelX, (value) => toPixelY(yScale, value));

  const pixels: SeriesPixels[] = spec.series.map((series, index) => {
    const scale = series.axis === 'right' && y2Scale ? y2Scale : yScale;
    return {
      series,
      color: series.color ?? theme.palette[index % theme.palette.length]!,
      pieces: seriesPieces(series, xScale, scale, area, spec.logY === true && series.axis !== 'right'),
    };
  });
  const markerLabels = drawMarkers(items, theme, area, spec.markers ?? [], xScale, toPixelX);
  for (const { series, color, pieces } of pixels) {
    for (const points of pieces) {
      items.push({
        kind: 'polyline',
        points,
        color,
        width: series.width ?? 2,
        ...(series.opacity !== undefined ? { opacity: series.opacity } : {}),
        ...(series.dashed ? { dash: [6, 4] } : {}),
        role: 'series',
        label: series.label,
      });
    }
  }
  // Marker labels go over the curves, marker lines under them.
  items.push(...markerLabels);
  drawFrame(items, theme, area, hasRight);
  drawAxisLabels(items, theme, area, spec, xScale, yScale, y2Scale, toPixelX, toPixelY, width);
  drawHeader(items, theme, spec, pixels, width);
  notes.forEach((note, index) => {
    const y = height - 8 - (notes.length - 1 - index) * 13;
    items.push(textItem(16, y, fitText(note, 1, width - 32), theme.error, 'start', 'note'));
  });
  if (pixels.every((entry) => entry.pieces.length === 0)) {
    items.push(textItem((left + right) / 2, (top + bottom) / 2, 'no data to plot', theme.mutedText, 'middle', 'empty'));
  }
  return { width, height, background: theme.background, title: spec.title, items };
}

/** A straight line; 1 pixel wide and solid unless `style` says otherwise. */
function lineItem(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  color: PlotColor,
  role: string,
  style: { readonly width?: number; readonly dash?: readonly number[] } = {},
): SceneLine {
  return {
    kind: 'line',
    x1,
    y1,
    x2,
    y2,
    color,
    width: style.width ?? 1,
    ...(style.dash ? { dash: style.dash } : {}),
    role,
  };
}

/** A line of text with its baseline at `y`; label size (scale 1) and upright unless `style` says otherwise. */
function textItem(
  x: number,
  y: number,
  text: string,
  color: PlotColor,
  anchor: SceneText['anchor'],
  role: string,
  style: { readonly scale?: number; readonly rotate?: -90 | 90 } = {},
): SceneText {
  return {
    kind: 'text',
    x,
    y,
    text,
    scale: style.scale ?? 1,
    color,
    anchor,
    ...(style.rotate !== undefined ? { rotate: style.rotate } : {}),
    role,
  };
}

function clampSide(requested: number | undefined, fallback: number, minimum: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return fallback;
  return Math.round(Math.min(MAX_PLOT_SIDE, Math.max(minimum, requested)));
}

function clampUnit(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}

/** The range of finite values of `values` (positive ones only when `positiveOnly`). */
function finiteRange(values: ArrayLike<number>, positiveOnly: boolean): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value) || (positiveOnly && value <= 0)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return { min, max };
}

function valueScale(
  series: readonly LinePlotSeries[],
  log: boolean,
  domain: AxisDomain | undefined,
  tickCount: number,
): AxisScale {
  let min = Infinity;
  let max = -Infinity;
  for (const entry of series) {
    const range = finiteRange(entry.y, log);
    min = Math.min(min, range.min);
    max = Math.max(max, range.max);
  }
  if (domain?.min !== undefined && (!log || domain.min > 0)) min = domain.min;
  if (domain?.max !== undefined && (!log || domain.max > 0)) max = domain.max;
  if (!Number.isFinite(min) || !Number.isFinite(max))
    return log ? logScale(0.1, 1, tickCount) : linearScale(0, 1, tickCount);
  if (log) return logScale(min, max, tickCount);
  // A little headroom keeps a peak that lands on a nice number off the frame.
  if (domain?.max === undefined && max > min) max += (max - min) * 0.03;
  return linearScale(min, max, tickCount);
}

/** The x axis spans the data exactly (a schedule ends where the run ends); ticks fall inside. */
function positionScale(spec: LinePlotSpec, tickCount: number): AxisScale {
  const log = spec.logX === true;
  let min = Infinity;
  let max = -Infinity;
  for (const series of spec.series) {
    if (series.x) {
      const range = finiteRange(series.x, log);
      min = Math.min(min, range.min);
      max = Math.max(max, range.max);
    } else if (series.y.length > 0) {
      min = Math.min(min, log ? 1 : 0);
      max = Math.max(max, series.y.length - 1);
    }
  }
  for (const marker of spec.markers ?? []) {
    if (Number.isFinite(marker.x) && (!log || marker.x > 0)) max = Math.max(max, marker.x);
  }
  if (spec.xDomain?.min !== undefined) min = spec.xDomain.min;
  if (spec.xDomain?.max !== undefined) max = spec.xDomain.max;
  if (!Number.isFinite(min) || !Number.isFinite(max))
    return log ? logScale(1, 10, tickCount) : linearScale(0, 1, tickCount);
  if (max <= min) return log ? logScale(min, max, tickCount) : linearScale(min, max, tickCount);
  const nice = log ? logScale(min, max, tickCount) : linearScale(min, max, tickCount);
  const inside = (tick: number) =>
    tick >= min * (1 - 1e-9) - 1e-9 * (max - min) && tick <= max * (1 + 1e-9) + 1e-9 * (max - min);
  return { ...nice, min, max, ticks: nice.ticks.filter(inside), minorTicks: nice.minorTicks.filter(inside) };
}

function seriesPieces(
  series: LinePlotSeries,
  xScale: AxisScale,
  yScale: AxisScale,
  area: PlotArea,
  logY: boolean,
): number[][] {
  const count = series.x ? Math.min(series.x.length, series.y.length) : series.y.length;
  const pixelX = new Float64Array(count);
  const pixelY = new Float64Array(count);
  const spanX = area.right - area.left;
  const spanY = area.bottom - area.top;
  for (let index = 0; index < count; index++) {
    const x = series.x ? series.x[index]! : index;
    const y = series.y[index]!;
    // On a log x axis a non-positive x cannot be placed; it becomes a gap. On a log y axis zero
    // sits on the floor, which is where a schedule that decays to zero belongs.
    const placeable = Number.isFinite(x) && Number.isFinite(y) && !(xScale.log && x <= 0) && !(logY && y < 0);
    pixelX[index] = placeable ? area.left + clampUnit(scaleFraction(xScale, x)) * spanX : Number.NaN;
    pixelY[index] = placeable ? area.bottom - clampUnit(scaleFraction(yScale, y)) * spanY : Number.NaN;
  }
  return decimateByPixelColumn(pixelX, pixelY, spanX).map((piece) => piece.map(roundPixel));
}

/** Two decimals are far below a pixel and keep the SVG small. */
function roundPixel(value: number): number {
  return Math.round(value * 100) / 100;
}

function drawGrid(
  items: SceneItem[],
  theme: PlotTheme,
  area: PlotArea,
  xScale: AxisScale,
  yScale: AxisScale,
  toPixelX: (value: number) => number,
  toPixelY: (value: number) => number,
): void {
  const crisp = (value: number) => Math.round(value) + 0.5;
  // The minor grid first, so that the major lines are drawn over it.
  const layers = [
    { xTicks: xScale.minorTicks, yTicks: yScale.minorTicks, color: theme.minorGrid, role: 'grid-minor' },
    { xTicks: xScale.ticks, yTicks: yScale.ticks, color: theme.grid, role: 'grid' },
  ];
  for (const { xTicks, yTicks, color, role } of layers) {
    for (const x of xTicks.map((tick) => crisp(toPixelX(tick))))
      items.push(lineItem(x, area.top, x, area.bottom, color, role));
    for (const y of yTicks.map((tick) => crisp(toPixelY(tick))))
      items.push(lineItem(area.left, y, area.right, y, color, role));
  }
}

function drawFrame(items: SceneItem[], theme: PlotTheme, area: PlotArea, hasRight: boolean): void {
  const left = area.left + 0.5;
  const right = area.right - 0.5;
  const bottom = area.bottom - 0.5;
  const top = area.top + 0.5;
  items.push(lineItem(left, top, left, bottom, theme.axis, 'axis'));
  items.push(lineItem(left, bottom, right, bottom, theme.axis, 'axis'));
  items.push(lineItem(right, top, right, bottom, hasRight ? theme.axis : theme.grid, 'axis'));
  items.push(lineItem(left, top, right, top, theme.grid, 'axis'));
}

/**
 * Dashed vertical lines with labels along the top of the plot. Labels go right of their line, or
 * left of it near the right edge, into the first of three rows where they overlap nothing;
 * a label that fits nowhere is left out, its line stays. Pushes the lines; returns the labels.
 */
function drawMarkers(
  items: SceneItem[],
  theme: PlotTheme,
  area: PlotArea,
  markers: readonly LinePlotMarker[],
  xScale: AxisScale,
  toPixelX: (value: number) => number,
): SceneItem[] {
  const occupied: { from: number; to: number }[][] = Array.from({ length: MARKER_LABEL_ROWS }, () => []);
  const ordered = markers
    .filter((marker) => Number.isFinite(marker.x) && !(xScale.log && marker.x <= 0))
    .slice()
    .sort((a, b) => a.x - b.x);
  const labels: SceneItem[] = [];
  for (const marker of ordered) {
    const color = marker.color ?? theme.marker;
    const x = Math.round(toPixelX(marker.x)) + 0.5;
    items.push(lineItem(x, area.top, x, area.bottom, color, 'marker', marker.dashed === false ? {} : { dash: [4, 3] }));
    const text = fitText(marker.label, 1, (area.right - area.left) / 2);
    if (text === '') continue;
    const labelWidth = textWidth(text, 1);
    const placeRight = x + 4 + labelWidth <= area.right - 3;
    const from = placeRight ? x + 3 : x - 4 - labelWidth - 1;
    const to = from + labelWidth + 2;
    if (from < area.left + 2) continue;
    const row = occupied.findIndex((taken) => taken.every((span) => to + 4 <= span.from || from >= span.to + 4));
    if (row < 0) continue;
    occupied[row]!.push({ from, to });
    const baseline = area.top + 12 + row * 12;
    labels.push({
      kind: 'rect',
      x: from,
      y: baseline - 9,
      width: to - from,
      height: 11,
      fill: theme.background,
      opacity: 0.85,
      role: 'marker-label-background',
    });
    labels.push(
      textItem(placeRight ? x + 4 : x - 4, baseline, text, color, placeRight ? 'start' : 'end', 'marker-label'),
    );
  }
  return labels;
}

function drawAxisLabels(
  items: SceneItem[],
  theme: PlotTheme,
  area: PlotArea,
  spec: LinePlotSpec,
  xScale: AxisScale,
  yScale: AxisScale,
  y2Scale: AxisScale | undefined,
  toPixelX: (value: number) => number,
  toPixelY: (scale: AxisScale, value: number) => number,
  width: number,
): void {
  let lastEnd = -Infinity;
  for (const tick of xScale.ticks) {
    const x = Math.round(toPixelX(tick)) + 0.5;
    const text = formatTick(tick);
    const half = textWidth(text, 1) / 2;
    items.push(lineItem(x, area.bottom, x, area.bottom + 4, theme.axis, 'tick'));
    // Tick labels that would touch their neighbour are skipped rather than overlapped.
    if (x - half < lastEnd + 6) continue;
    lastEnd = x + half;
    items.push(textItem(x, area.bottom + 15, text, theme.mutedText, 'middle', 'x-tick'));
  }
  const yTicks = (scale: AxisScale, side: 'left' | 'right') => {
    for (const tick of scale.ticks) {
      const exact = toPixelY(scale, tick);
      const y = Math.round(exact) + 0.5;
      const edge = side === 'left' ? area.left : area.right;
      const outward = side === 'left' ? -1 : 1;
      items.push(lineItem(edge, y, edge + outward * 4, y, theme.axis, 'tick'));
      // The label sits at the exact value (its baseline 3.5 px below), so readers can map pixels back to values.
      const anchor = side === 'left' ? 'end' : 'start';
      const role = `${side === 'left' ? 'y' : 'y2'}-tick`;
      items.push(textItem(edge + outward * 7, exact + 3.5, formatTick(tick), theme.mutedText, anchor, role));
    }
  };
  yTicks(yScale, 'left');
  if (y2Scale) yTicks(y2Scale, 'right');
  const middleY = (area.top + area.bottom) / 2;
  const xLabel = fitText(spec.xLabel, 1, area.right - area.left);
  items.push(textItem((area.left + area.right) / 2, area.bottom + 31, xLabel, theme.text, 'middle', 'x-label'));
  const yLabel = fitText(spec.yLabel, 1, area.bottom - area.top);
  items.push(textItem(16, middleY, yLabel, theme.text, 'middle', 'y-label', { rotate: -90 }));
  if (y2Scale && spec.y2Label) {
    const y2Label = fitText(spec.y2Label, 1, area.bottom - area.top);
    items.push(textItem(width - 16, middleY, y2Label, theme.text, 'middle', 'y2-label', { rotate: 90 }));
  }
}

/** The title on the first line; the legend, one swatch per distinct series label, on the second. */
function drawHeader(
  items: SceneItem[],
  theme: PlotTheme,
  spec: LinePlotSpec,
  pixels: readonly SeriesPixels[],
  width: number,
): void {
  items.push(textItem(16, 24, fitText(spec.title, 2, width - 32), theme.text, 'start', 'title', { scale: 2 }));
  let x = 16;
  const seen = new Set<string>();
  for (const { series, color } of pixels) {
    if (seen.has(series.label) || series.label === '') continue;
    seen.add(series.label);
    const label = series.axis === 'right' ? `${series.label} (right axis)` : series.label;
    const labelWidth = textWidth(label, 1);
    if (x + 22 + labelWidth > width - 16) break;
    items.push(
      lineItem(x, 40.5, x + 16, 40.5, color, 'legend', { width: 2, ...(series.dashed ? { dash: [6, 4] } : {}) }),
    );
    items.push(textItem(x + 21, 44, label, theme.text, 'start', 'legend'));
    x += 21 + labelWidth + 18;
  }
}
