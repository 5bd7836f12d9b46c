// How every panel's uPlot chart draws its axes: the theme's font, grid lines faded to the theme, ticks and labels
// from a live axis (the core's), and room for the longest label.

import type uPlot from 'uplot';
import { liveAxis, type LiveAxis, type LiveAxisOptions } from './liveAxis';
import { withAlpha, type PlotTheme } from './theme';

/** The font and grid colour of one chart's axes. */
export interface AxisStyle {
  readonly theme: PlotTheme;
  readonly font: string;
  readonly gridColor: string;
  /** Tick length in CSS pixels. */
  readonly tickSize: number;
}

/**
 * The axis style for `theme` with the font at `fontScale` of the editor's. `charts.lines` is strong in most themes,
 * so the grid is faded; high contrast themes keep it stronger.
 */
export function axisStyle(
  theme: PlotTheme,
  scratch: CanvasRenderingContext2D,
  fontScale: number,
  tickSize: number,
): AxisStyle {
  return {
    theme,
    font: `${Math.max(10, Math.round(theme.fontSizePx * fontScale))}px ${theme.fontFamily}`,
    gridColor: withAlpha(theme.gridLines, theme.kind.startsWith('high-contrast') ? 0.6 : 0.25, scratch),
    tickSize,
  };
}

/** The live x axis of a chart: positions (steps, learning rates) whose ends the chart gives. */
export function positionAxis(log: boolean, initialLength: () => number): LiveAxis {
  return liveAxis({ direction: 'x', log, kind: 'position', initialLength });
}

/** The live y axis of a chart: values scaled from the data's extent, or from `more.extent` when given. */
export function valueAxis(
  log: boolean,
  initialLength: () => number,
  more: Pick<LiveAxisOptions, 'zeroFloor' | 'extent'> = {},
): LiveAxis {
  return liveAxis({ direction: 'y', log, kind: 'value', ...more, initialLength });
}

/** A uPlot axis on `axis`'s ticks and labels; `options` (scale, side, size, label, ...) come on top. */
export function liveAxisOptions(axis: LiveAxis, style: AxisStyle, options: uPlot.Axis = {}): uPlot.Axis {
  return {
    stroke: style.theme.foreground,
    font: style.font,
    grid: { stroke: style.gridColor, width: 1 },
    ticks: { stroke: style.gridColor, width: 1, size: style.tickSize },
    splits: axis.splits,
    filter: axis.filter,
    values: axis.values,
    ...options,
  };
}

/** An axis name in the axes' font, with `size` CSS pixels of room. */
export function axisLabel(label: string, style: AxisStyle, size: number): uPlot.Axis {
  return { label, labelFont: style.font, labelSize: size };
}

/** uPlot's `size` for a y axis: room for its longest tick label. */
export function labelWidthSize(theme: PlotTheme): (chart: uPlot, values: string[] | null) => number {
  return (_chart, values) =>
    Math.ceil(Math.max(3, ...(values ?? []).map((value) => value.length)) * theme.fontSizePx * 0.55 + 16);
}
