// A standalone SVG line chart with linear or logarithmic axes, used by the range-test and landscape exports. The
// layout, ticks, labels and SVG are the core's plot module (the CLI's plots use the same), from the panel's theme.
//
// Invariant: values that a logarithmic axis cannot show (zero, negative, non-finite) break the line instead of
// being drawn at a made-up position, exactly as the on-screen uPlot chart leaves them out.

import { linePlotScene, type LinePlotSpec } from '../../../server/src/core/plot/linePlot';
import type { PlotTheme as ScenePlotTheme } from '../../../server/src/core/plot/scene';
import { escapeXml, sceneSvg, sceneSvgElements } from '../../../server/src/core/plot/svg';
import type { PlotTheme } from './theme';

export { escapeXml };
export interface AxisSpec {
  readonly label: string;
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
}

export interface SvgLineSeries {
  readonly label: string;
  readonly xs: readonly number[];
  readonly ys: readonly (number | null)[];
  readonly color: string;
  readonly width: number;
  readonly opacity?: number;
  readonly dashed?: boolean;
}

export interface SvgVerticalMarker {
  readonly x: number;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
}

export interface LineChartSvgInput {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly theme: PlotTheme;
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly series: readonly SvgLineSeries[];
  readonly markers: readonly SvgVerticalMarker[];
  /** The live chart's tick targets (`LiveAxisChoice.target`), so that the export has the same ticks. */
  readonly xTickCount?: number;
  readonly yTickCount?: number;
}

/** The chart as an SVG document of its own. */
export function lineChartSvg(input: LineChartSvgInput): string {
  return sceneSvg(linePlotScene(lineChartSpec(input)), { fontFamily: input.theme.fontFamily });
}

export function svgOpen(width: number, height: number, theme: PlotTheme, title: string): string {
  const font = Math.max(10, Math.round(theme.fontSizePx * 0.85));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(theme.fontFamily)}" font-size="${font}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="${escapeXml(theme.background)}"/>`,
  ].join('\n');
}

/** The chart's elements placed at (`offsetX`, `offsetY`), for composing several charts into one document. */
export function lineChartSvgBody(input: LineChartSvgInput, offsetX: number, offsetY: number): string {
  return sceneSvgElements(linePlotScene(lineChartSpec(input)), offsetX, offsetY);
}

/** The chart as the core's line-plot spec: the given axis ends are kept, the ticks and labels are the core's. */
export function lineChartSpec(input: LineChartSvgInput): LinePlotSpec {
  return {
    title: input.title,
    xLabel: input.x.label,
    yLabel: input.y.label,
    logX: input.x.log,
    logY: input.y.log,
    series: input.series.map((series) => ({
      label: series.label,
      x: series.xs,
      y: series.ys.map((value) => (value === null || value === undefined ? Number.NaN : value)),
      color: series.color,
      width: series.width,
      ...(series.opacity !== undefined ? { opacity: series.opacity } : {}),
      ...(series.dashed ? { dashed: true } : {}),
    })),
    markers: input.markers.map((marker) => ({
      x: marker.x,
      label: marker.label,
      color: marker.color,
      dashed: marker.dashed,
    })),
    xDomain: { min: input.x.min, max: input.x.max },
    yDomain: { min: input.y.min, max: input.y.max },
    width: input.width,
    height: input.height,
    ...(input.xTickCount !== undefined ? { xTickCount: input.xTickCount } : {}),
    ...(input.yTickCount !== undefined ? { yTickCount: input.yTickCount } : {}),
    theme: scenePlotTheme(
      input.theme,
      input.series.map((series) => series.color),
    ),
  };
}

/** The core plot module's theme from the editor's colours; `palette` gives the series colours in order. */
export function scenePlotTheme(theme: PlotTheme, palette: readonly string[]): ScenePlotTheme {
  return {
    background: theme.background,
    text: theme.foreground,
    mutedText: theme.mutedForeground,
    grid: theme.gridLines,
    minorGrid: theme.gridLines,
    axis: theme.mutedForeground,
    marker: theme.marker,
    error: theme.runEnd,
    palette: palette.length > 0 ? palette : [theme.lr],
    accents: { warmup: theme.marker, peak: theme.marker, restart: theme.marker },
  };
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Full precision so that a CSV round-trips; an empty cell where there is no finite value. */
export function csvNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
export function csvText(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A file name for exports from a document URI, e.g. `resnet.optim` → `resnet.range-test`; `fallback` stands in for a
 * name with nothing left once cleaned.
 */
export function exportBaseNameOf(uri: string, suffix: string, fallback = 'optimizer'): string {
  let lastSegment = uri.split(/[\\/]/).pop() ?? '';
  try {
    lastSegment = decodeURIComponent(lastSegment);
  } catch {
    // A malformed escape keeps the raw text.
  }
  const cleaned = lastSegment
    .replace(/\.[^.]*$/, '')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${cleaned.length > 0 ? cleaned : fallback}.${suffix}`;
}
