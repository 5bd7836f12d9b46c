// A standalone SVG line chart with linear or logarithmic axes, used by the range-test and landscape exports.
//
// Invariant: values that a logarithmic axis cannot show (zero, negative, non-finite) break the line instead of
// being drawn at a made-up position, exactly as the on-screen uPlot chart leaves them out.

import { formatValue, linearTicks, logTicks } from './format';
import type { PlotTheme } from './theme';

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
}

/** The chart as an SVG document of its own. */
export function lineChartSvg(input: LineChartSvgInput): string {
  const body = lineChartSvgBody(input, 0, 0);
  return [svgOpen(input.width, input.height, input.theme, input.title), body, '</svg>'].join('\n') + '\n';
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
  const { theme } = input;
  const font = Math.max(10, Math.round(theme.fontSizePx * 0.85));
  const left = offsetX + 64;
  const top = offsetY + 44;
  const plotWidth = Math.max(10, input.width - 64 - 16);
  const plotHeight = Math.max(10, input.height - 44 - 40);
  const position = (axis: AxisSpec) => {
    const low = axis.log ? Math.log10(axis.min) : axis.min;
    const high = axis.log ? Math.log10(axis.max) : axis.max;
    return (value: number): number | null => {
      if (!Number.isFinite(value) || (axis.log && value <= 0)) return null;
      const scaled = axis.log ? Math.log10(value) : value;
      return (scaled - low) / (high - low || 1);
    };
  };
  const xFraction = position(input.x);
  const yFraction = position(input.y);
  const xOf = (value: number): number | null => {
    const fraction = xFraction(value);
    return fraction === null ? null : left + fraction * plotWidth;
  };
  const yOf = (value: number): number | null => {
    const fraction = yFraction(value);
    return fraction === null ? null : top + plotHeight - fraction * plotHeight;
  };
  const clipId = `clip-${Math.round(offsetX)}-${Math.round(offsetY)}`;
  const textFill = escapeXml(theme.foreground);
  const gridStroke = escapeXml(theme.gridLines);
  const parts: string[] = [
    `<text x="${left}" y="${offsetY + 18}" fill="${textFill}" font-size="${font + 2}" font-weight="600">${escapeXml(input.title)}</text>`,
    `<defs><clipPath id="${clipId}"><rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
  ];
  const ticksOf = (axis: AxisSpec, count: number): number[] => (axis.log ? logTicks(axis.min, axis.max) : linearTicks(axis.min, axis.max, count));
  for (const tick of ticksOf(input.x, Math.max(2, Math.floor(plotWidth / 90)))) {
    const x = xOf(tick);
    if (x === null) continue;
    parts.push(`<line x1="${round(x)}" y1="${top}" x2="${round(x)}" y2="${top + plotHeight}" stroke="${gridStroke}" stroke-opacity="0.35"/>`);
    parts.push(`<text x="${round(x)}" y="${top + plotHeight + font + 6}" fill="${textFill}" text-anchor="middle">${escapeXml(formatValue(tick, 3))}</text>`);
  }
  for (const tick of ticksOf(input.y, Math.max(2, Math.floor(plotHeight / 50)))) {
    const y = yOf(tick);
    if (y === null) continue;
    parts.push(`<line x1="${left}" y1="${round(y)}" x2="${left + plotWidth}" y2="${round(y)}" stroke="${gridStroke}" stroke-opacity="0.35"/>`);
    parts.push(`<text x="${left - 6}" y="${round(y + font / 3)}" fill="${textFill}" text-anchor="end">${escapeXml(formatValue(tick, 3))}</text>`);
  }
  const muted = escapeXml(theme.mutedForeground);
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="${gridStroke}" stroke-opacity="0.6"/>`,
    `<text x="${left + plotWidth / 2}" y="${top + plotHeight + 2 * font + 12}" fill="${muted}" text-anchor="middle">${escapeXml(input.x.label)}</text>`,
    `<text transform="translate(${offsetX + 14} ${top + plotHeight / 2}) rotate(-90)" fill="${muted}" text-anchor="middle">${escapeXml(input.y.label)}</text>`,
  );
  for (const marker of input.markers) {
    const x = xOf(marker.x);
    if (x === null || x < left || x > left + plotWidth) continue;
    const dash = marker.dashed ? ' stroke-dasharray="4 3"' : '';
    parts.push(`<line x1="${round(x)}" y1="${top}" x2="${round(x)}" y2="${top + plotHeight}" stroke="${escapeXml(marker.color)}"${dash}/>`);
    parts.push(`<text x="${round(x + 3)}" y="${top + font + 2}" fill="${escapeXml(marker.color)}">${escapeXml(marker.label)}</text>`);
  }
  for (const series of input.series) {
    let path = '';
    let penDown = false;
    for (let index = 0; index < series.xs.length; index++) {
      const value = series.ys[index];
      const x = xOf(series.xs[index]!);
      const y = value === null || value === undefined ? null : yOf(value);
      if (x === null || y === null) {
        penDown = false;
        continue;
      }
      path += `${penDown ? 'L' : 'M'}${round(x)} ${round(y)}`;
      penDown = true;
    }
    if (path.length === 0) continue;
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    const opacity = series.opacity !== undefined ? ` stroke-opacity="${series.opacity}"` : '';
    parts.push(
      `<path d="${path}" fill="none" stroke="${escapeXml(series.color)}" stroke-width="${series.width}"${dash}${opacity} stroke-linejoin="round" clip-path="url(#${clipId})"><title>${escapeXml(series.label)}</title></path>`,
    );
  }
  let legendX = offsetX + input.width - 16;
  for (const series of [...input.series].reverse()) {
    legendX -= series.label.length * font * 0.6 + 30;
    const y = offsetY + 14;
    parts.push(`<line x1="${round(legendX)}" y1="${y}" x2="${round(legendX + 20)}" y2="${y}" stroke="${escapeXml(series.color)}" stroke-width="2"/>`);
    parts.push(`<text x="${round(legendX + 24)}" y="${round(y + font / 3)}" fill="${textFill}">${escapeXml(series.label)}</text>`);
  }
  return parts.join('\n');
}

export function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Full precision so that a CSV round-trips; an empty cell where there is no finite value. */
export function csvNumber(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
export function csvText(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file name for exports from a document URI, e.g. `resnet.optim` → `resnet.range-test`. */
export function exportBaseNameOf(uri: string, suffix: string): string {
  let lastSegment = uri.split(/[\\/]/).pop() ?? '';
  try {
    lastSegment = decodeURIComponent(lastSegment);
  } catch {
    // A malformed escape keeps the raw text.
  }
  const cleaned = lastSegment.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');
  return `${cleaned.length > 0 ? cleaned : 'optimizer'}.${suffix}`;
}
