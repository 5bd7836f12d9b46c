// Builds a standalone SVG of the schedule plot from the decimated series, the axes ranges, markers and the run end.

import { formatStepTick, formatValue, linearTicks, logTicks } from '../common/format';
import type { PlotTheme } from '../common/theme';
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
  readonly stepRange: { readonly min: number; readonly max: number };
  readonly lrRange: { readonly min: number; readonly max: number };
  readonly momentumRange: { readonly min: number; readonly max: number } | null;
  readonly steps: readonly number[];
  readonly series: readonly SvgSeries[];
  readonly markers: readonly SvgMarker[];
}

export function scheduleSvg(input: SvgPlotInput): string {
  const { theme } = input;
  const font = Math.max(10, Math.round(theme.fontSizePx * 0.85));
  const hasRightAxis = input.momentumRange !== null && input.series.some((series) => series.axis === 'momentum');
  const left = 64;
  const right = hasRightAxis ? 56 : 16;
  const top = 44;
  const bottom = 36;
  const plotWidth = Math.max(10, input.width - left - right);
  const plotHeight = Math.max(10, input.height - top - bottom);

  const xOf = (step: number): number =>
    left + ((step - input.stepRange.min) / (input.stepRange.max - input.stepRange.min || 1)) * plotWidth;
  const yOfAxis = (axis: AxisKey) => {
    const range = axis === 'lr' ? input.lrRange : (input.momentumRange ?? input.lrRange);
    const logarithmic = axis === 'lr' && input.logScale;
    const low = logarithmic ? Math.log10(range.min) : range.min;
    const high = logarithmic ? Math.log10(range.max) : range.max;
    return (value: number): number => {
      const position = logarithmic ? Math.log10(value) : value;
      return top + plotHeight - ((position - low) / (high - low || 1)) * plotHeight;
    };
  };
  const yOfLr = yOfAxis('lr');
  const yOfMomentum = yOfAxis('momentum');

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${input.width}" height="${input.height}" viewBox="0 0 ${input.width} ${input.height}" font-family="${escapeXml(theme.fontFamily)}" font-size="${font}">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<rect width="100%" height="100%" fill="${escapeXml(theme.background)}"/>`,
    `<text x="${left}" y="18" fill="${escapeXml(theme.foreground)}" font-size="${font + 2}" font-weight="600">${escapeXml(input.title)}</text>`,
    `<defs><clipPath id="plot-area"><rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
  );

  // Grid and tick labels.
  const gridStroke = escapeXml(theme.gridLines);
  const textFill = escapeXml(theme.foreground);
  for (const step of linearTicks(input.stepRange.min, input.stepRange.max, Math.max(2, Math.floor(plotWidth / 90)))) {
    const x = round(xOf(step));
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + plotHeight}" stroke="${gridStroke}" stroke-opacity="0.35"/>`);
    parts.push(`<text x="${x}" y="${top + plotHeight + font + 6}" fill="${textFill}" text-anchor="middle">${escapeXml(formatStepTick(step))}</text>`);
  }
  const lrTicks = input.logScale
    ? logTicks(input.lrRange.min, input.lrRange.max)
    : linearTicks(input.lrRange.min, input.lrRange.max, Math.max(2, Math.floor(plotHeight / 50)));
  for (const value of lrTicks) {
    const y = round(yOfLr(value));
    parts.push(`<line x1="${left}" y1="${y}" x2="${left + plotWidth}" y2="${y}" stroke="${gridStroke}" stroke-opacity="0.35"/>`);
    parts.push(`<text x="${left - 6}" y="${y + font / 3}" fill="${textFill}" text-anchor="end">${escapeXml(formatValue(value, 3))}</text>`);
  }
  if (hasRightAxis && input.momentumRange) {
    const ticks = linearTicks(input.momentumRange.min, input.momentumRange.max, Math.max(2, Math.floor(plotHeight / 50)));
    for (const value of ticks) {
      const y = round(yOfMomentum(value));
      parts.push(`<text x="${left + plotWidth + 6}" y="${y + font / 3}" fill="${textFill}">${escapeXml(formatValue(value, 3))}</text>`);
    }
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="${gridStroke}" stroke-opacity="0.6"/>`,
    `<text x="${left + plotWidth / 2}" y="${input.height - 4}" fill="${escapeXml(theme.mutedForeground)}" text-anchor="middle">step</text>`,
  );

  // Markers and the run end, under the series so that the lines stay readable.
  for (const marker of input.markers) {
    if (marker.step < input.stepRange.min || marker.step > input.stepRange.max) continue;
    const x = round(xOf(marker.step));
    const dash = marker.dashed ? ' stroke-dasharray="4 3"' : '';
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + plotHeight}" stroke="${escapeXml(marker.color)}"${dash}/>`);
    parts.push(`<text x="${x + 3}" y="${top - 4}" fill="${escapeXml(marker.color)}">${escapeXml(marker.label)}</text>`);
  }

  // Series, clipped to the plot; a null value breaks the line.
  for (const series of input.series) {
    const yOf = series.axis === 'lr' ? yOfLr : yOfMomentum;
    let path = '';
    let penDown = false;
    for (let index = 0; index < input.steps.length; index++) {
      const value = series.values[index];
      const drawable = value !== null && value !== undefined && (!(series.axis === 'lr' && input.logScale) || value > 0);
      if (!drawable) {
        penDown = false;
        continue;
      }
      path += `${penDown ? 'L' : 'M'}${round(xOf(input.steps[index]!))} ${round(yOf(value))}`;
      penDown = true;
    }
    if (path.length === 0) continue;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<path d="${path}" fill="none" stroke="${escapeXml(series.color)}" stroke-width="${theme.lineWidth}"${dash} stroke-linejoin="round" clip-path="url(#plot-area)"><title>${escapeXml(series.label)}</title></path>`,
    );
  }

  // Legend, right-aligned on the title row.
  let legendX = input.width - right;
  for (const series of [...input.series].reverse()) {
    const labelWidth = series.label.length * font * 0.6;
    legendX -= labelWidth + 30;
    const y = 14;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<line x1="${round(legendX)}" y1="${y}" x2="${round(legendX + 20)}" y2="${y}" stroke="${escapeXml(series.color)}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${round(legendX + 24)}" y="${y + font / 3}" fill="${textFill}">${escapeXml(series.label)}</text>`);
  }

  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
