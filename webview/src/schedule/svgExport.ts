// The schedule panel's SVG export: the visible steps as a line-plot spec, laid out and written by the core's plot
// module, so that the export and `optlens schedule --format svg` have the same axes, ticks and labels.

import { linePlotSvg } from '../../../server/src/core/plot/svg';
import type { LinePlotMarker, LinePlotSeries } from '../../../server/src/core/plot/linePlot';
import { scheduleLrAxis } from '../../../server/src/core/plot/scheduleSpec';
import type { PlotTheme } from '../common/theme';
import { scenePlotTheme } from '../common/lineChartSvg';
import type { AxisKey } from './seriesModel';

export interface SvgSeries {
  readonly label: string;
  readonly axis: AxisKey;
  readonly values: readonly (number | null)[];
  readonly color: string;
  readonly dashed: boolean;
}

export interface SvgMarker {
  readonly step: number;
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
}

export interface SvgPlotInput {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly theme: PlotTheme;
  readonly logScale: boolean;
  /** The steps shown (the zoom window, or the whole run). */
  readonly stepRange: { readonly min: number; readonly max: number };
  /** The step of each value of every series. */
  readonly steps: readonly number[];
  readonly series: readonly SvgSeries[];
  readonly markers: readonly SvgMarker[];
  /** The live chart's tick targets, so that the export has the live chart's ticks. */
  readonly xTickCount?: number;
  readonly yTickCount?: number;
}

export function scheduleSvg(input: SvgPlotInput): string {
  const { theme } = input;
  const series: LinePlotSeries[] = input.series.map((entry) => ({
    label: entry.label,
    x: input.steps,
    // A missing value breaks the line; on a log axis the plot module breaks it at non-positive values too.
    y: entry.values.map((value) => (value === null || value === undefined ? Number.NaN : value)),
    color: entry.color,
    width: theme.lineWidth,
    dashed: entry.dashed,
    axis: entry.axis === 'lr' ? 'left' : 'right',
  }));
  const markers: LinePlotMarker[] = input.markers
    .filter((marker) => marker.step >= input.stepRange.min && marker.step <= input.stepRange.max)
    .map((marker) => ({ x: marker.step, label: marker.label, color: marker.color, dashed: marker.dashed }));
  const lrValues = input.series.filter((entry) => entry.axis === 'lr').flatMap((entry) => entry.values);
  const rightLabels = [
    ...new Set(
      input.series.filter((entry) => entry.axis === 'momentum').map((entry) => entry.label.replace(/ \(pinned.*$/, '')),
    ),
  ];
  return linePlotSvg(
    {
      title: input.title.trim() === '' ? 'Learning-rate schedule' : input.title,
      xLabel: 'step',
      ...scheduleLrAxis(
        input.logScale,
        lrValues.every((value) => !(value !== null && value < 0)),
      ),
      series,
      markers,
      ...(rightLabels.length > 0 ? { y2Label: rightLabels.join(', ') } : {}),
      xDomain: input.stepRange,
      ...(input.xTickCount !== undefined ? { xTickCount: input.xTickCount } : {}),
      ...(input.yTickCount !== undefined ? { yTickCount: input.yTickCount } : {}),
      width: input.width,
      height: input.height,
      theme: scenePlotTheme(theme, [theme.lr, theme.momentum, theme.beta1, theme.pinned]),
    },
    { fontFamily: theme.fontFamily },
  );
}
