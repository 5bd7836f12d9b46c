// Writes the landscape map scene as SVG elements: vector contours (one path per level, titled with its value), the
// runs' paths with start and end marks, the minima, the frame, the core's ticks and a legend. Pure string building.

import { formatValue } from '../common/format';
import { escapeXml, round } from '../common/lineChartSvg';
import type { MapScene } from './landscapeScene';

export interface MapSvgStyle {
  readonly foreground: string;
  readonly background: string;
  readonly contour: string;
  readonly frame: string;
  readonly runColors: readonly string[];
}

/** The map's SVG elements; `clipId` names the clip path, unique within the document. Returns the elements and the y under them. */
export function mapSvgElements(
  scene: MapScene,
  style: MapSvgStyle,
  clipId = 'map-clip',
): { elements: string[]; bottom: number } {
  const { frame } = scene;
  const parts: string[] = [];
  const text = escapeXml(style.foreground);
  parts.push(
    `<defs><clipPath id="${escapeXml(clipId)}"><rect x="${round(frame.left)}" y="${round(frame.top)}" width="${round(frame.width)}" height="${round(frame.height)}"/></clipPath></defs>`,
  );
  parts.push(`<g clip-path="url(#${escapeXml(clipId)})">`);
  scene.contours.forEach((contour, levelIndex) => {
    const { segments } = contour;
    if (segments.length === 0) return;
    let path = '';
    for (let index = 0; index + 3 < segments.length; index += 4) {
      path += `M${round(segments[index]!)} ${round(segments[index + 1]!)}L${round(segments[index + 2]!)} ${round(segments[index + 3]!)}`;
    }
    const opacity = round(0.85 - (levelIndex / Math.max(1, scene.contours.length)) * 0.55);
    parts.push(
      `<path d="${path}" fill="none" stroke="${escapeXml(style.contour)}" stroke-opacity="${opacity}" stroke-width="1"><title>f = ${escapeXml(formatValue(contour.level, 3))}</title></path>`,
    );
  });
  scene.runs.forEach((run, index) => {
    const color = escapeXml(style.runColors[index] ?? style.foreground);
    let path = '';
    let penDown = false;
    for (const point of run.points) {
      if (!point) {
        penDown = false;
        continue;
      }
      path += `${penDown ? 'L' : 'M'}${round(point.x)} ${round(point.y)}`;
      penDown = true;
    }
    if (path === '') return;
    parts.push(
      `<path d="${path}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round"><title>${escapeXml(run.label)}</title></path>`,
    );
    if (run.start)
      parts.push(
        `<circle cx="${round(run.start.x)}" cy="${round(run.start.y)}" r="4.5" fill="${escapeXml(style.background)}" stroke="${color}" stroke-width="2"/>`,
      );
    if (run.end)
      parts.push(
        `<rect x="${round(run.end.x - 4)}" y="${round(run.end.y - 4)}" width="8" height="8" fill="${color}"/>`,
      );
  });
  for (const { x, y } of scene.minima) {
    parts.push(
      `<path d="M${round(x - 5)} ${round(y - 5)}L${round(x + 5)} ${round(y + 5)}M${round(x + 5)} ${round(y - 5)}L${round(x - 5)} ${round(y + 5)}" stroke="${text}" stroke-width="1.5"/>`,
    );
  }
  parts.push('</g>');
  const bottom = frame.top + frame.height;
  parts.push(
    `<rect x="${round(frame.left)}" y="${round(frame.top)}" width="${round(frame.width)}" height="${round(frame.height)}" fill="none" stroke="${escapeXml(style.frame)}"/>`,
  );
  for (const tick of scene.xTicks) {
    parts.push(
      `<text x="${round(tick.position)}" y="${round(bottom + 14)}" fill="${text}" text-anchor="middle" class="map-x-tick">${escapeXml(tick.label)}</text>`,
    );
  }
  for (const tick of scene.yTicks) {
    parts.push(
      `<text x="${round(frame.left - 6)}" y="${round(tick.position + 4)}" fill="${text}" text-anchor="end" class="map-y-tick">${escapeXml(tick.label)}</text>`,
    );
  }
  let legendX = frame.left;
  scene.runs.forEach((run, index) => {
    parts.push(
      `<line x1="${round(legendX)}" y1="${round(bottom + 30)}" x2="${round(legendX + 18)}" y2="${round(bottom + 30)}" stroke="${escapeXml(style.runColors[index] ?? style.foreground)}" stroke-width="2"/>`,
    );
    parts.push(
      `<text x="${round(legendX + 22)}" y="${round(bottom + 34)}" fill="${text}">${escapeXml(run.label)}</text>`,
    );
    legendX += 40 + run.label.length * 7;
  });
  return { elements: parts, bottom: bottom + 44 };
}
