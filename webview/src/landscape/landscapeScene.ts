// The landscape map and the sweep heatmap as plain data in plot coordinates (CSS pixels from the drawing's top left):
// the window, the plot rectangle, contour segments, run paths, start and end marks, minima, the current points and
// the axis ticks, and the heatmap's cells. The canvas and SVG renderers draw these; nothing here touches the DOM.
//
// Invariant: the map's ticks and labels are the core plot module's (`linearTicks`, `formatTick`), as in every other
// plot of the product; the density is one tick per `mapTickSpacing` pixels on both renderers.

import { formatTick, linearTicks, tickTarget } from '../../../server/src/core/plot/ticks';
import type { SimulationRunSnapshot, SimulationSnapshot } from '../protocol';
import { finiteRange, levelScale, marchingSquares, normalizedHeight, type LevelScale } from './contours';
import { pointAt } from './landscapeModel';

/** The data window of the map. */
export interface MapBounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/** The plot rectangle in pixels of the drawing. */
export interface PlotRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface Margins {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export interface PixelPoint {
  readonly x: number;
  readonly y: number;
}

export interface AxisTick {
  readonly value: number;
  /** Pixel position along the axis (x for the horizontal axis, y for the vertical one). */
  readonly position: number;
  readonly label: string;
}

export interface ContourLevel {
  readonly level: number;
  /** Segments as x1, y1, x2, y2, ... in pixels. */
  readonly segments: readonly number[];
}

export interface RunPath {
  readonly label: string;
  /** One entry per step; `null` where the point is not finite (the path breaks there). */
  readonly points: readonly (PixelPoint | null)[];
  readonly start: PixelPoint | null;
  /** The last finite point after the first step; `null` when the run never moved. */
  readonly end: PixelPoint | null;
}

/** Shading of the sampled grid: a mixing fraction towards the accent colour per sample, `null` where undefined. */
export interface MapShading {
  readonly columns: number;
  readonly rows: number;
  /** Row-major from the bottom row (as the grid): `fractions[j * columns + i]`. */
  readonly fractions: readonly (number | null)[];
}

export interface MapScene {
  readonly bounds: MapBounds;
  readonly frame: PlotRect;
  readonly logarithmicLevels: boolean;
  readonly shading: MapShading | null;
  readonly contours: readonly ContourLevel[];
  readonly runs: readonly RunPath[];
  readonly minima: readonly PixelPoint[];
  readonly xTicks: readonly AxisTick[];
  readonly yTicks: readonly AxisTick[];
}

/** What is computed once per simulation: the contour levels and their segments in data coordinates. */
export interface MapContours {
  readonly scale: LevelScale | null;
  /** Per level, x1, y1, x2, y2, ... in data coordinates. */
  readonly segments: readonly (readonly number[])[];
}

/** Room around the on-screen map's plot rectangle for the ticks and axis names, in CSS pixels. */
export const mapMargin: Margins = { left: 44, right: 10, top: 8, bottom: 34 };
/** One tick about every this many pixels along each map axis. */
export const mapTickSpacing = { x: 80, y: 60 } as const;

export function mapContours(view: SimulationSnapshot): MapContours {
  const grid = view.grid;
  if (!grid) return { scale: null, segments: [] };
  const scale = levelScale(grid.values);
  return { scale, segments: (scale?.levels ?? []).map((level) => marchingSquares(grid, level)) };
}

/** The grid's extent, or without a grid the paths' and minima's bounding box with a margin. */
export function mapBounds(view: SimulationSnapshot): MapBounds {
  if (view.grid && view.grid.xs.length > 1 && view.grid.ys.length > 1) {
    const xs = view.grid.xs;
    const ys = view.grid.ys;
    return { xMin: xs[0]!, xMax: xs[xs.length - 1]!, yMin: ys[0]!, yMax: ys[ys.length - 1]! };
  }
  const points = view.runs.flatMap((run) => run.x).concat(view.minima.map((point) => [...point]));
  const xs = finiteRange(points.map((point) => point[0] ?? null)) ?? { min: -1, max: 1 };
  const ys = finiteRange(points.map((point) => point[1] ?? null)) ?? { min: -1, max: 1 };
  const margin = (range: { min: number; max: number }): number => Math.max((range.max - range.min) * 0.1, 1e-3);
  return { xMin: xs.min - margin(xs), xMax: xs.max + margin(xs), yMin: ys.min - margin(ys), yMax: ys.max + margin(ys) };
}

/** Height over width of the window when it is not too elongated to keep equal scales on both axes, otherwise 1. */
export function mapAspect(bounds: MapBounds): { aspect: number; equalScales: boolean } {
  const dataAspect = (bounds.yMax - bounds.yMin) / (bounds.xMax - bounds.xMin || 1);
  const equalScales = dataAspect > 1 / 3 && dataAspect < 3;
  return { aspect: equalScales ? dataAspect : 1, equalScales };
}

/**
 * The plot rectangle inside a `width` x `height` drawing with `margin` around it: equal scales on both axes when
 * the window is not too elongated, so that circles look like circles; otherwise the whole room.
 */
export function fitMapFrame(bounds: MapBounds, width: number, height: number, margin: Margins): PlotRect {
  let plotWidth = Math.max(1, width - margin.left - margin.right);
  let plotHeight = Math.max(1, height - margin.top - margin.bottom);
  const { aspect, equalScales } = mapAspect(bounds);
  if (equalScales) {
    if (plotHeight / plotWidth > aspect) plotHeight = plotWidth * aspect;
    else plotWidth = plotHeight / aspect;
  }
  return { left: margin.left, top: margin.top, width: plotWidth, height: plotHeight };
}

/** A data point in pixels of `frame`; `null` when it is not a finite 2-D point. */
export function toPlot(bounds: MapBounds, frame: PlotRect, point: readonly number[]): PixelPoint | null {
  if (point.length < 2 || !Number.isFinite(point[0]!) || !Number.isFinite(point[1]!)) return null;
  return {
    x: frame.left + ((point[0]! - bounds.xMin) / (bounds.xMax - bounds.xMin || 1)) * frame.width,
    y: frame.top + frame.height - ((point[1]! - bounds.yMin) / (bounds.yMax - bounds.yMin || 1)) * frame.height,
  };
}

export interface MapSceneOptions {
  /** High-contrast themes shade more strongly. */
  readonly highContrast?: boolean;
}

/** The map of `view` in `frame`: everything but the scrubber's current points, which `currentPoints` gives. */
export function mapScene(
  view: SimulationSnapshot,
  contours: MapContours,
  bounds: MapBounds,
  frame: PlotRect,
  options: MapSceneOptions = {},
): MapScene {
  const place = (point: readonly number[]): PixelPoint | null => toPlot(bounds, frame, point);
  const scale = contours.scale;
  const contourLevels: ContourLevel[] = contours.segments.map((segments, index) => {
    const pixels: number[] = [];
    for (let offset = 0; offset + 3 < segments.length; offset += 4) {
      const from = place([segments[offset]!, segments[offset + 1]!]);
      const to = place([segments[offset + 2]!, segments[offset + 3]!]);
      if (from && to) pixels.push(from.x, from.y, to.x, to.y);
    }
    return { level: scale?.levels[index] ?? Number.NaN, segments: pixels };
  });
  return {
    bounds,
    frame,
    logarithmicLevels: scale?.logarithmic ?? false,
    shading: view.grid && scale ? mapShading(view.grid, scale, options.highContrast === true) : null,
    contours: contourLevels,
    runs: view.runs.map((run) => runPath(run, place)),
    minima: view.minima.map(place).filter((point): point is PixelPoint => point !== null),
    xTicks: linearTicks(bounds.xMin, bounds.xMax, tickTarget(frame.width, mapTickSpacing.x)).map((value) => ({
      value,
      position: place([value, bounds.yMin])!.x,
      label: formatTick(value),
    })),
    yTicks: linearTicks(bounds.yMin, bounds.yMax, tickTarget(frame.height, mapTickSpacing.y)).map((value) => ({
      value,
      position: place([bounds.xMin, value])!.y,
      label: formatTick(value),
    })),
  };
}

function runPath(run: SimulationRunSnapshot, place: (point: readonly number[]) => PixelPoint | null): RunPath {
  const points = run.x.map(place);
  let lastIndex = points.length - 1;
  while (lastIndex >= 0 && points[lastIndex] === null) lastIndex--;
  return { label: run.label, points, start: points[0] ?? null, end: lastIndex > 0 ? points[lastIndex]! : null };
}

/** Low values take the strongest colour; `null` (undefined function) keeps the background. */
function mapShading(
  grid: NonNullable<SimulationSnapshot['grid']>,
  scale: LevelScale,
  highContrast: boolean,
): MapShading {
  const strength = highContrast ? 0.75 : 0.6;
  const fractions = grid.values.map((value) => {
    const height = normalizedHeight(scale, value ?? null);
    return height === null ? null : (1 - height) * strength + 0.04;
  });
  return { columns: grid.xs.length, rows: grid.ys.length, fractions };
}

/** Each run's point at the scrubber `step` in pixels of `frame`; `null` where the run has no finite point. */
export function currentPoints(
  view: SimulationSnapshot,
  bounds: MapBounds,
  frame: PlotRect,
  step: number,
): (PixelPoint | null)[] {
  return view.runs.map((run) => {
    const point = pointAt(run, step);
    return point ? toPlot(bounds, frame, point) : null;
  });
}

// ---- Heatmap ----

export interface HeatmapCell {
  readonly row: number;
  readonly column: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Mixing fraction towards the accent colour (0.1 for the highest value, 0.95 for the lowest); `null` diverged. */
  readonly fraction: number | null;
}

export interface HeatmapLabel {
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

export interface HeatmapScene {
  readonly frame: PlotRect;
  readonly logarithmic: boolean;
  readonly cells: readonly HeatmapCell[];
  /** The lowest finite cell, outlined. */
  readonly best: { readonly row: number; readonly column: number; readonly value: number } | null;
  readonly xLabels: readonly HeatmapLabel[];
  readonly yLabels: readonly HeatmapLabel[];
  /** The value range shown by the colour bar. */
  readonly range: { readonly min: number; readonly max: number } | null;
}

export const heatmapMargin: Margins = { left: 56, right: 70, top: 22, bottom: 38 };

type Heatmap = NonNullable<SimulationSnapshot['heatmap']>;

/** The heatmap's cells and labels in a `width` x `height` drawing; rows run upwards from the plot's bottom. */
export function heatmapScene(
  heatmap: Heatmap,
  width: number,
  height: number,
  format: (value: number | undefined, digits: number) => string,
): HeatmapScene {
  const margin = heatmapMargin;
  const frame: PlotRect = {
    left: margin.left,
    top: margin.top,
    width: Math.max(1, width - margin.left - margin.right),
    height: Math.max(1, height - margin.top - margin.bottom),
  };
  const columns = Math.max(1, heatmap.xs.length);
  const rows = Math.max(1, heatmap.ys.length);
  const cellWidth = frame.width / columns;
  const cellHeight = frame.height / rows;
  const scale = levelScale(heatmap.values, 2);
  const cells: HeatmapCell[] = [];
  let best: { row: number; column: number; value: number } | null = null;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const value = heatmap.values[row * columns + column] ?? null;
      const height01 = scale ? normalizedHeight(scale, value) : null;
      const x = frame.left + column * cellWidth;
      const y = frame.top + frame.height - (row + 1) * cellHeight;
      cells.push({
        row,
        column,
        x,
        y,
        width: cellWidth,
        height: cellHeight,
        fraction: height01 === null ? null : 0.1 + (1 - height01) * 0.85,
      });
      if (height01 !== null && value !== null && (best === null || value < best.value)) best = { row, column, value };
    }
  }
  const xEvery = Math.max(1, Math.ceil(columns / Math.max(2, Math.floor(frame.width / 64))));
  const xLabels: HeatmapLabel[] = [];
  for (let column = 0; column < columns; column += xEvery) {
    xLabels.push({
      x: frame.left + (column + 0.5) * cellWidth,
      y: frame.top + frame.height + 4,
      text: format(heatmap.xs[column], 2),
    });
  }
  const yEvery = Math.max(1, Math.ceil(rows / Math.max(2, Math.floor(frame.height / 22))));
  const yLabels: HeatmapLabel[] = [];
  for (let row = 0; row < rows; row += yEvery) {
    yLabels.push({
      x: frame.left - 4,
      y: frame.top + frame.height - (row + 0.5) * cellHeight,
      text: format(heatmap.ys[row], 3),
    });
  }
  return {
    frame,
    logarithmic: scale?.logarithmic ?? false,
    cells,
    best,
    xLabels,
    yLabels,
    range: finiteRange(heatmap.values),
  };
}
