// A small RGB rasterizer for plot scenes: anti-aliased strokes, filled rectangles and bitmap text.

import { GLYPH_ADVANCE, GLYPH_ASCENT, glyphCells } from '../../core/plot/font';
import type { PlotColor, Scene, SceneItem, SceneText } from '../../core/plot/scene';
import { textWidth } from '../../core/plot/scene';

type Rgb = readonly [number, number, number];

/** Pixels of a scene, row-major, three bytes per pixel, no alpha. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

export function rasterizeScene(scene: Scene): RgbImage {
  const canvas = new RgbCanvas(scene.width, scene.height, parseColor(scene.background));
  for (const item of scene.items) drawItem(canvas, item);
  return { width: scene.width, height: scene.height, pixels: canvas.pixels };
}

function drawItem(canvas: RgbCanvas, item: SceneItem): void {
  switch (item.kind) {
    case 'rect':
      canvas.fillRect(item.x, item.y, item.width, item.height, parseColor(item.fill), item.opacity ?? 1);
      return;
    case 'line':
      canvas.strokeSegments(
        dashSegments([item.x1, item.y1, item.x2, item.y2], item.dash),
        item.width,
        parseColor(item.color),
      );
      return;
    case 'polyline':
      canvas.strokeSegments(dashSegments(item.points, item.dash), item.width, parseColor(item.color));
      return;
    case 'text':
      drawText(canvas, item);
  }
}

/** `#rrggbb` (or `#rgb`) to bytes; anything else is black, which is visible and never throws. */
export function parseColor(color: PlotColor): Rgb {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  if (short)
    return [
      parseInt(short[1]! + short[1]!, 16),
      parseInt(short[2]! + short[2]!, 16),
      parseInt(short[3]! + short[3]!, 16),
    ];
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (long) return [parseInt(long[1]!, 16), parseInt(long[2]!, 16), parseInt(long[3]!, 16)];
  return [0, 0, 0];
}

/**
 * The drawn pieces of a polyline as flat segment quads x1, y1, x2, y2, ...; with a dash pattern,
 * only the "on" parts. The pattern's phase carries over from one segment to the next, as in SVG.
 */
export function dashSegments(points: readonly number[], dash: readonly number[] | undefined): number[] {
  const segments: number[] = [];
  const pattern =
    dash && dash.length > 0 && dash.every((length) => length > 0)
      ? dash.length % 2 === 0
        ? dash
        : [...dash, ...dash]
      : undefined;
  let patternIndex = 0;
  let remaining = pattern ? pattern[0]! : Infinity;
  for (let index = 0; index + 3 < points.length; index += 2) {
    const x1 = points[index]!;
    const y1 = points[index + 1]!;
    const x2 = points[index + 2]!;
    const y2 = points[index + 3]!;
    if (!pattern) {
      segments.push(x1, y1, x2, y2);
      continue;
    }
    const length = Math.hypot(x2 - x1, y2 - y1);
    let travelled = 0;
    while (travelled < length) {
      const step = Math.min(remaining, length - travelled);
      if (patternIndex % 2 === 0) {
        const from = travelled / length;
        const to = (travelled + step) / length;
        segments.push(x1 + (x2 - x1) * from, y1 + (y2 - y1) * from, x1 + (x2 - x1) * to, y1 + (y2 - y1) * to);
      }
      travelled += step;
      remaining -= step;
      if (remaining <= 1e-9) {
        patternIndex = (patternIndex + 1) % pattern.length;
        remaining = pattern[patternIndex]!;
      }
    }
    // A zero-length segment inside a solid stretch still draws a round dot.
    if (length === 0 && patternIndex % 2 === 0) segments.push(x1, y1, x2, y2);
  }
  return segments;
}

class RgbCanvas {
  readonly pixels: Uint8Array;
  /** Coverage of the stroke being drawn; zero outside a stroke call. */
  private readonly coverage: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    for (let offset = 0; offset < this.pixels.length; offset += 3) {
      this.pixels[offset] = background[0];
      this.pixels[offset + 1] = background[1];
      this.pixels[offset + 2] = background[2];
    }
    this.coverage = new Float32Array(width * height);
  }

  blend(x: number, y: number, color: Rgb, alpha: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height || alpha <= 0) return;
    const offset = (y * this.width + x) * 3;
    const keep = 1 - Math.min(1, alpha);
    for (let channel = 0; channel < 3; channel++) {
      this.pixels[offset + channel] = Math.round(this.pixels[offset + channel]! * keep + color[channel]! * (1 - keep));
    }
  }

  /** Fills a rectangle; pixels it covers partly are blended by the covered fraction. */
  fillRect(x: number, y: number, width: number, height: number, color: Rgb, opacity: number): void {
    const right = x + width;
    const bottom = y + height;
    for (let row = Math.max(0, Math.floor(y)); row < Math.min(this.height, Math.ceil(bottom)); row++) {
      const coverY = Math.min(bottom, row + 1) - Math.max(y, row);
      for (let column = Math.max(0, Math.floor(x)); column < Math.min(this.width, Math.ceil(right)); column++) {
        const coverX = Math.min(right, column + 1) - Math.max(x, column);
        this.blend(column, row, color, coverX * coverY * opacity);
      }
    }
  }

  /**
   * Strokes segments with round ends. Coverage is the distance from each pixel centre to the
   * nearest segment, taken as a maximum over all segments before blending once, so that joints
   * and overlapping pieces of one stroke are not darkened twice.
   */
  strokeSegments(segments: readonly number[], width: number, color: Rgb): void {
    const half = Math.max(0.5, width / 2);
    let minX = this.width;
    let minY = this.height;
    let maxX = -1;
    let maxY = -1;
    for (let index = 0; index + 3 < segments.length; index += 4) {
      const x1 = segments[index]!;
      const y1 = segments[index + 1]!;
      const x2 = segments[index + 2]!;
      const y2 = segments[index + 3]!;
      const left = Math.max(0, Math.floor(Math.min(x1, x2) - half - 1));
      const right = Math.min(this.width - 1, Math.ceil(Math.max(x1, x2) + half + 1));
      const top = Math.max(0, Math.floor(Math.min(y1, y2) - half - 1));
      const bottom = Math.min(this.height - 1, Math.ceil(Math.max(y1, y2) + half + 1));
      if (left > right || top > bottom) continue;
      minX = Math.min(minX, left);
      maxX = Math.max(maxX, right);
      minY = Math.min(minY, top);
      maxY = Math.max(maxY, bottom);
      const dx = x2 - x1;
      const dy = y2 - y1;
      const lengthSquared = dx * dx + dy * dy;
      for (let row = top; row <= bottom; row++) {
        const centreY = row + 0.5;
        for (let column = left; column <= right; column++) {
          const centreX = column + 0.5;
          const along =
            lengthSquared === 0
              ? 0
              : Math.min(1, Math.max(0, ((centreX - x1) * dx + (centreY - y1) * dy) / lengthSquared));
          const distance = Math.hypot(centreX - (x1 + along * dx), centreY - (y1 + along * dy));
          const cover = half + 0.5 - distance;
          if (cover <= 0) continue;
          const slot = row * this.width + column;
          if (cover > this.coverage[slot]!) this.coverage[slot] = Math.min(1, cover);
        }
      }
    }
    for (let row = minY; row <= maxY; row++) {
      for (let column = minX; column <= maxX; column++) {
        const slot = row * this.width + column;
        const cover = this.coverage[slot]!;
        if (cover > 0) {
          this.blend(column, row, color, cover);
          this.coverage[slot] = 0;
        }
      }
    }
  }
}

/** Bitmap text: each font pixel becomes a `scale` x `scale` block, turned for rotated labels. */
function drawText(canvas: RgbCanvas, item: SceneText): void {
  const scale = Math.max(1, Math.round(item.scale));
  const color = parseColor(item.color);
  const width = textWidth(item.text, scale);
  const start = item.anchor === 'start' ? 0 : item.anchor === 'middle' ? -Math.round(width / 2) : -width;
  const originX = Math.round(item.x);
  const originY = Math.round(item.y);
  Array.from(item.text).forEach((character, characterIndex) => {
    for (const [column, row] of glyphCells(character)) {
      // (along, across) are text coordinates: along the reading direction, across downwards from the baseline.
      const along = start + (characterIndex * GLYPH_ADVANCE + column) * scale;
      const across = (row - GLYPH_ASCENT) * scale;
      let x: number;
      let y: number;
      if (item.rotate === -90) {
        x = originX + across;
        y = originY - along - scale;
      } else if (item.rotate === 90) {
        x = originX - across - scale;
        y = originY + along;
      } else {
        x = originX + along;
        y = originY + across;
      }
      canvas.fillRect(x, y, scale, scale, color, 1);
    }
  });
}
