// Writes plot scenes as self-contained SVG (no scripts, no external resources): the one SVG writer of the CLI and
// the panels' exports.

import type { ScheduleData } from '../views';
import { linePlotScene, type LinePlotSpec } from './linePlot';
import type { Scene, SceneItem, ScenePolyline } from './scene';
import { scheduleLinePlotSpec, type SchedulePlotOptions } from './scheduleSpec';

export const DEFAULT_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

export interface SvgOptions {
  /** The CSS font family of every text; a panel passes the editor's. */
  readonly fontFamily?: string;
}

export function linePlotSvg(spec: LinePlotSpec, options?: SvgOptions): string {
  return sceneSvg(linePlotScene(spec), options);
}

export function scheduleSvg(data: ScheduleData, options?: SchedulePlotOptions): string {
  return linePlotSvg(scheduleLinePlotSpec(data, options));
}

/** The scene as an SVG document. Every element carries its role as `class` so tests and styles can find it. */
export function sceneSvg(scene: Scene, options: SvgOptions = {}): string {
  return svgDocument(scene.width, scene.height, scene.title, [sceneSvgElements(scene)], options);
}

/** An SVG document of the given size holding `bodies` (from `sceneSvgElements`), for composing several scenes. */
export function svgDocument(
  width: number,
  height: number,
  title: string,
  bodies: readonly string[],
  options: SvgOptions = {},
): string {
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${number(width)}" height="${number(height)}" viewBox="0 0 ${number(width)} ${number(height)}" font-family="${escapeXml(options.fontFamily ?? DEFAULT_FONT_FAMILY)}">`,
    `<title>${escapeXml(title)}</title>`,
    ...bodies,
    '</svg>',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The scene's items as SVG elements, moved by (`offsetX`, `offsetY`) inside a group when either is not zero.
 * Consecutive pieces of one curve (split by gaps) become one `<path>` with a subpath per piece, titled with the
 * series label, so that a reader finds one element per curve.
 */
export function sceneSvgElements(scene: Scene, offsetX = 0, offsetY = 0): string {
  const lines: string[] = [];
  const items = scene.items;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    if (item.kind !== 'polyline') {
      lines.push(itemSvg(item));
      continue;
    }
    const pieces: ScenePolyline[] = [item];
    while (index + 1 < items.length && sameCurve(item, items[index + 1]!)) pieces.push(items[++index] as ScenePolyline);
    lines.push(curveSvg(pieces));
  }
  const body = lines.join('\n');
  return offsetX === 0 && offsetY === 0
    ? body
    : `<g transform="translate(${number(offsetX)} ${number(offsetY)})">\n${body}\n</g>`;
}

function sameCurve(first: ScenePolyline, next: SceneItem): boolean {
  return (
    next.kind === 'polyline' &&
    next.label === first.label &&
    next.role === first.role &&
    next.color === first.color &&
    next.width === first.width &&
    (next.opacity ?? 1) === (first.opacity ?? 1) &&
    (next.dash ?? []).join(' ') === (first.dash ?? []).join(' ')
  );
}

/** `M x y L x y ...` per piece; `d` comes first so that the path data is easy to find. */
function curveSvg(pieces: readonly ScenePolyline[]): string {
  const first = pieces[0]!;
  const data: string[] = [];
  for (const piece of pieces) {
    for (let index = 0; index + 1 < piece.points.length; index += 2) {
      data.push(`${index === 0 ? 'M' : 'L'}${number(piece.points[index]!)} ${number(piece.points[index + 1]!)}`);
    }
  }
  const role = first.role ? ` class="${escapeXml(first.role)}"` : '';
  const label = first.label !== undefined ? ` data-label="${escapeXml(first.label)}"` : '';
  const opacity = first.opacity !== undefined && first.opacity < 1 ? ` stroke-opacity="${number(first.opacity)}"` : '';
  const attributes = `d="${data.join('')}"${role}${label} fill="none" stroke="${escapeXml(first.color)}" stroke-width="${number(first.width)}"${opacity} stroke-linejoin="round" stroke-linecap="round"${dash(first.dash)}`;
  return first.label !== undefined
    ? `<path ${attributes}><title>${escapeXml(first.label)}</title></path>`
    : `<path ${attributes}/>`;
}

function itemSvg(item: Exclude<SceneItem, ScenePolyline>): string {
  const role = item.role ? ` class="${escapeXml(item.role)}"` : '';
  switch (item.kind) {
    case 'rect': {
      const opacity = item.opacity !== undefined && item.opacity < 1 ? ` fill-opacity="${number(item.opacity)}"` : '';
      return `<rect${role} x="${number(item.x)}" y="${number(item.y)}" width="${number(item.width)}" height="${number(item.height)}" fill="${escapeXml(item.fill)}"${opacity}/>`;
    }
    case 'line':
      return `<line${role} x1="${number(item.x1)}" y1="${number(item.y1)}" x2="${number(item.x2)}" y2="${number(item.y2)}" stroke="${escapeXml(item.color)}" stroke-width="${number(item.width)}"${dash(item.dash)}/>`;
    case 'text': {
      const anchor = item.anchor === 'start' ? '' : ` text-anchor="${item.anchor}"`;
      const rotate = item.rotate ? ` transform="rotate(${item.rotate} ${number(item.x)} ${number(item.y)})"` : '';
      const weight = item.scale > 1 ? ' font-weight="600"' : '';
      // 10 px type has a capital height of about 7 px, the bitmap font's at scale 1.
      return `<text${role} x="${number(item.x)}" y="${number(item.y)}" font-size="${10 * item.scale}" fill="${escapeXml(item.color)}"${anchor}${weight}${rotate}>${escapeXml(item.text)}</text>`;
    }
  }
}

function dash(pattern: readonly number[] | undefined): string {
  return pattern && pattern.length > 0 ? ` stroke-dasharray="${pattern.map(number).join(' ')}"` : '';
}

/** Coordinates with at most two decimals and no trailing zeros. */
function number(value: number): string {
  return String(Math.round(value * 100) / 100);
}

export function escapeXml(text: string): string {
  // Characters that XML 1.0 forbids are dropped so that the document always parses.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
