// The landscape's two live plots (loss and effective step size against step, log y) as uPlot options on the core's
// ticks, the scrubber line and the proven lr limits drawn over them, and the same plots as the SVG export's input.

import type uPlot from 'uplot';
import type { LiveAxis } from '../common/liveAxis';
import type { LineChartSvgInput } from '../common/lineChartSvg';
import type { PlotTheme } from '../common/theme';
import { axisLabel, axisStyle, liveAxisOptions, positionAxis, valueAxis } from '../common/chartAxes';
import { chartFrame } from '../common/chartPanel';

export interface PlotSeriesStyle {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
}

export interface LimitLine {
  readonly limit: number;
  readonly label: string;
}

/** One live plot: its axes (which remember their ticks) and what the export needs to redraw it. */
export interface LandscapePlot {
  readonly title: string;
  readonly series: readonly PlotSeriesStyle[];
  readonly xAxis: LiveAxis;
  readonly yAxis: LiveAxis;
}

export interface LandscapePlotInput {
  readonly title: string;
  readonly yLabel: string;
  readonly series: readonly PlotSeriesStyle[];
  readonly limits: readonly LimitLine[];
  readonly lastStep: number;
  readonly width: number;
  readonly height: number;
  readonly theme: PlotTheme;
  readonly scratch: CanvasRenderingContext2D;
  readonly pixelRatio: number;
  /** The scrubber's step, read at every draw. */
  readonly step: () => number;
}

/** Room uPlot leaves around the plot area, in CSS pixels: y axis, x axis, padding. */
const yAxisSize = 52;

export function landscapePlot(input: LandscapePlotInput): { plot: LandscapePlot; options: uPlot.Options } {
  const { theme, pixelRatio } = input;
  const style = axisStyle(theme, input.scratch, 0.8, 3);
  const xAxisSize = Math.ceil(theme.fontSizePx + 10);
  const xAxis = positionAxis(false, () => input.width - yAxisSize - 16);
  const yAxis = valueAxis(true, () => input.height - xAxisSize - 10);
  const options: uPlot.Options = {
    ...chartFrame(input, [10, 12, 0, 4]),
    scales: {
      x: { time: false, range: () => [0, Math.max(1, input.lastStep)] },
      y: { distr: 3, log: 10, range: yAxis.range },
    },
    axes: [
      liveAxisOptions(xAxis, style, { size: xAxisSize }),
      liveAxisOptions(yAxis, style, {
        size: yAxisSize,
        ...axisLabel(input.yLabel, style, Math.ceil(theme.fontSizePx + 4)),
      }),
    ],
    series: [
      { label: 'step' },
      ...input.series.map((item): uPlot.Series => ({
        label: item.label,
        stroke: item.color,
        width: theme.lineWidth,
        ...(item.dashed ? { dash: [5 * pixelRatio, 3 * pixelRatio] } : {}),
        points: { show: false },
        spanGaps: false,
      })),
    ],
    cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
    hooks: { draw: [(chart) => drawStepLine(chart, theme, input.step(), input.limits, pixelRatio)] },
  };
  return { plot: { title: input.title, series: input.series, xAxis, yAxis }, options };
}

/** The scrubber step as a vertical line, and each proven lr limit (2/λmax, ...) as a dashed horizontal one. */
function drawStepLine(
  chart: uPlot,
  theme: PlotTheme,
  step: number,
  limits: readonly LimitLine[],
  pixelRatio: number,
): void {
  const { left, top, width, height } = chart.bbox;
  const context = chart.ctx;
  context.save();
  for (const { limit, label } of limits) {
    const y = chart.valToPos(limit, 'y', true);
    if (!Number.isFinite(y) || y < top || y > top + height) continue;
    context.strokeStyle = theme.runEnd;
    context.setLineDash([5 * pixelRatio, 4 * pixelRatio]);
    context.lineWidth = pixelRatio;
    context.beginPath();
    context.moveTo(left, y);
    context.lineTo(left + width, y);
    context.stroke();
    context.setLineDash([]);
    context.fillStyle = theme.runEnd;
    context.font = `${Math.max(10, Math.round(theme.fontSizePx * 0.8)) * pixelRatio}px ${theme.fontFamily}`;
    context.textAlign = 'right';
    context.textBaseline = 'bottom';
    context.fillText(label, left + width - 4 * pixelRatio, y - 2 * pixelRatio);
  }
  const x = Math.round(chart.valToPos(step, 'x', true)) + 0.5;
  // uPlot leaves the last dashed series' dash pattern on the context.
  context.setLineDash([]);
  context.strokeStyle = theme.foreground;
  context.globalAlpha = 0.7;
  context.lineWidth = pixelRatio;
  context.beginPath();
  context.moveTo(x, top);
  context.lineTo(x, top + height);
  context.stroke();
  context.restore();
}

/**
 * The plot as the SVG export's line chart: the same steps, series and, through the axes' last choices, the same
 * tick targets and value extent, so that the exported axes carry the live plot's ticks and labels.
 */
export function plotSvgInput(
  plot: LandscapePlot,
  data: uPlot.AlignedData,
  lastStep: number,
  step: number,
  theme: PlotTheme,
  size: { width: number; height: number },
): LineChartSvgInput {
  const xs = data[0] as number[];
  const xChoice = plot.xAxis.choice();
  const yChoice = plot.yAxis.choice();
  const domain = yChoice?.domain ?? { min: 1e-12, max: 1 };
  return {
    width: size.width,
    height: size.height,
    title: plot.title,
    theme,
    x: { label: 'step', log: false, min: 0, max: Math.max(1, lastStep) },
    y: { label: plot.title, log: true, min: domain.min, max: domain.max },
    series: plot.series.map((item, index) => ({
      label: item.label,
      xs,
      ys: data[index + 1] as (number | null)[],
      color: item.color,
      width: theme.lineWidth,
      dashed: item.dashed,
    })),
    markers: [{ x: step, label: `step ${step}`, color: theme.mutedForeground, dashed: true }],
    ...(xChoice ? { xTickCount: xChoice.target } : {}),
    ...(yChoice ? { yTickCount: yChoice.target } : {}),
  };
}
