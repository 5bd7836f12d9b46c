// Writes plots as self-contained SVG: the scene as SVG elements, no scripts, no external resources.

import type { ScheduleData } from '../../protocol';
import { linePlotScene, type LinePlotSpec } from './linePlot';
import type { Scene, SceneItem } from './scene';
import { scheduleLinePlotSpec, type SchedulePlotOptions } from './scheduleSpec';

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

export function linePlotSvg(spec: LinePlotSpec): string {
  return sceneSvg(linePlotScene(spec));
}

export function scheduleSvg(data: ScheduleData, options?: SchedulePlotOptions): string {
  return linePlotSvg(scheduleLinePlotSpec(data, options));
}

/** The scene as an SVG document. Every element carries its role as `class` so tests and styles can find it. */
export function sceneSvg(scene: Scene): string {
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" font-family="${escapeXml(FONT_FAMILY)}">`,
    `<title>${escapeXml(scene.title)}</title>`,
  ];
  for (const item of scene.items) lines.push(itemSvg(item));
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

function itemSvg(item: SceneItem): string {
  const role = item.role ? ` class="${escapeXml(item.role)}"` : '';
  switch (item.kind) {
    case 'rect': {
      const opacity = item.opacity !== undefined && item.opacity < 1 ? ` fill-opacity="${number(item.opacity)}"` : '';
      return `<rect${role} x="${number(item.x)}" y="${number(item.y)}" width="${number(item.width)}" height="${number(item.height)}" fill="${item.fill}"${opacity}/>`;
    }
    case 'line':
      return `<line${role} x1="${number(item.x1)}" y1="${number(item.y1)}" x2="${number(item.x2)}" y2="${number(item.y2)}" stroke="${item.color}" stroke-width="${number(item.width)}"${dash(item.dash)}/>`;
    case 'polyline': {
      const points: string[] = [];
      for (let index = 0; index + 1 < item.points.length; index += 2) points.push(`${number(item.points[index]!)},${number(item.points[index + 1]!)}`);
      const label = item.label !== undefined ? ` data-label="${escapeXml(item.label)}"` : '';
      return `<polyline${role}${label} fill="none" stroke="${item.color}" stroke-width="${number(item.width)}" stroke-linejoin="round" stroke-linecap="round"${dash(item.dash)} points="${points.join(' ')}"/>`;
    }
    case 'text': {
      const anchor = item.anchor === 'start' ? '' : ` text-anchor="${item.anchor}"`;
      const rotate = item.rotate ? ` transform="rotate(${item.rotate} ${number(item.x)} ${number(item.y)})"` : '';
      const weight = item.scale > 1 ? ' font-weight="600"' : '';
      // 10 px type has a capital height of about 7 px, the bitmap font's at scale 1.
      return `<text${role} x="${number(item.x)}" y="${number(item.y)}" font-size="${10 * item.scale}" fill="${item.color}"${anchor}${weight}${rotate}>${escapeXml(item.text)}</text>`;
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
