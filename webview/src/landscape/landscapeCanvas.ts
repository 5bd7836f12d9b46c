// Draws the landscape's map and heatmap scenes on a canvas. The scenes are in CSS pixels; each function scales the
// context by the device pixel ratio first, so lines and text are crisp on high-density screens.

import type { PlotTheme } from '../common/theme';
import { withAlpha } from '../common/theme';
import { mixRgb, parseRgb } from './contours';
import type { HeatmapScene, MapScene, PixelPoint } from './landscapeScene';

/** Colours the canvas renderers need besides the theme: one per run, in the order of the scene's runs. */
export interface CanvasStyle {
  readonly theme: PlotTheme;
  readonly runColors: readonly string[];
  /** A 2-D context used only to normalise colours. */
  readonly scratch: CanvasRenderingContext2D;
  readonly pixelRatio: number;
}

function fontOf(theme: PlotTheme, factor: number): { px: number; css: string } {
  const px = Math.max(10, Math.round(theme.fontSizePx * factor));
  return { px, css: `${px}px ${theme.fontFamily}` };
}

/** Saves the context, scales it to CSS pixels and fills `size` with the editor background. */
function beginScene(
  context: CanvasRenderingContext2D,
  size: { width: number; height: number },
  style: CanvasStyle,
): void {
  context.save();
  context.setTransform(style.pixelRatio, 0, 0, style.pixelRatio, 0, 0);
  context.fillStyle = style.theme.background;
  context.fillRect(0, 0, size.width, size.height);
}

/** Background, shading, contour lines, minima, frame, ticks and axis names: what does not move with the scrubber. */
export function drawMapBase(
  context: CanvasRenderingContext2D,
  scene: MapScene,
  size: { width: number; height: number },
  style: CanvasStyle,
): void {
  const { theme, scratch } = style;
  const { frame } = scene;
  beginScene(context, size, style);
  context.save();
  context.beginPath();
  context.rect(frame.left, frame.top, frame.width, frame.height);
  context.clip();
  const shading = scene.shading;
  if (shading && shading.columns > 0 && shading.rows > 0) {
    // One pixel per sample, scaled up with smoothing.
    const image = document.createElement('canvas');
    image.width = shading.columns;
    image.height = shading.rows;
    const imageContext = image.getContext('2d')!;
    const pixels = imageContext.createImageData(shading.columns, shading.rows);
    const background = parseRgb(theme.background, scratch);
    const accent = parseRgb(theme.lr, scratch);
    for (let j = 0; j < shading.rows; j++) {
      for (let i = 0; i < shading.columns; i++) {
        const fraction = shading.fractions[j * shading.columns + i] ?? null;
        const [red, green, blue] = fraction === null ? background : mixRgb(background, accent, fraction);
        // Image rows run top to bottom, the y axis bottom to top.
        const offset = ((shading.rows - 1 - j) * shading.columns + i) * 4;
        pixels.data[offset] = red;
        pixels.data[offset + 1] = green;
        pixels.data[offset + 2] = blue;
        pixels.data[offset + 3] = 255;
      }
    }
    imageContext.putImageData(pixels, 0, 0);
    const cellWidth = frame.width / Math.max(1, shading.columns - 1);
    const cellHeight = frame.height / Math.max(1, shading.rows - 1);
    context.imageSmoothingEnabled = true;
    context.drawImage(
      image,
      frame.left - cellWidth / 2,
      frame.top - cellHeight / 2,
      frame.width + cellWidth,
      frame.height + cellHeight,
    );
  }
  const highContrast = theme.kind.startsWith('high-contrast');
  context.strokeStyle = withAlpha(theme.foreground, highContrast ? 0.55 : 0.28, scratch);
  context.lineWidth = 1;
  context.beginPath();
  for (const { segments } of scene.contours) {
    for (let index = 0; index + 3 < segments.length; index += 4) {
      context.moveTo(segments[index]!, segments[index + 1]!);
      context.lineTo(segments[index + 2]!, segments[index + 3]!);
    }
  }
  context.stroke();
  // Known minima: a cross, in the foreground colour so that it reads on any shading.
  context.strokeStyle = theme.foreground;
  context.lineWidth = 1.5;
  for (const { x, y } of scene.minima) {
    context.beginPath();
    context.moveTo(x - 5, y - 5);
    context.lineTo(x + 5, y + 5);
    context.moveTo(x + 5, y - 5);
    context.lineTo(x - 5, y + 5);
    context.stroke();
  }
  context.restore();

  const font = fontOf(theme, 0.85);
  context.strokeStyle = withAlpha(theme.gridLines, 0.8, scratch);
  context.lineWidth = 1;
  context.strokeRect(frame.left + 0.5, frame.top + 0.5, frame.width, frame.height);
  context.fillStyle = theme.foreground;
  context.font = font.css;
  context.textAlign = 'center';
  context.textBaseline = 'top';
  const bottom = frame.top + frame.height;
  for (const tick of scene.xTicks) {
    context.fillRect(tick.position, bottom, 1, 4);
    context.fillText(tick.label, tick.position, bottom + 6);
  }
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of scene.yTicks) {
    context.fillRect(frame.left - 4, tick.position, 4, 1);
    context.fillText(tick.label, frame.left - 6, tick.position);
  }
  context.fillStyle = theme.mutedForeground;
  // Right under the tick labels, so that a plot rectangle shorter than the canvas leaves no band above the name.
  context.textAlign = 'center';
  context.textBaseline = 'top';
  context.fillText('x', frame.left + frame.width / 2, bottom + 8 + font.px);
  context.textAlign = 'left';
  context.fillText('y', 4, frame.top);
  if (scene.logarithmicLevels) {
    context.textAlign = 'right';
    context.textBaseline = 'bottom';
    context.fillText('log-spaced contours', size.width - 10, size.height - 2);
  }
  context.restore();
}

/** Each run: its whole path faint, the part up to `step` strong, start and end marks, then the current points. */
export function drawMapPaths(
  context: CanvasRenderingContext2D,
  scene: MapScene,
  step: number,
  current: readonly (PixelPoint | null)[],
  style: CanvasStyle,
): void {
  const { theme, scratch, pixelRatio, runColors } = style;
  const { frame } = scene;
  context.save();
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.beginPath();
  context.rect(frame.left, frame.top, frame.width, frame.height);
  context.clip();
  context.lineJoin = 'round';
  const strokePath = (points: readonly (PixelPoint | null)[], until: number): void => {
    context.beginPath();
    let penDown = false;
    for (let index = 0; index <= until && index < points.length; index++) {
      const point = points[index];
      if (!point) {
        penDown = false;
        continue;
      }
      if (penDown) context.lineTo(point.x, point.y);
      else context.moveTo(point.x, point.y);
      penDown = true;
    }
    context.stroke();
  };
  scene.runs.forEach((run, index) => {
    const color = runColors[index] ?? theme.foreground;
    context.strokeStyle = withAlpha(color, 0.4, scratch);
    context.lineWidth = 1;
    strokePath(run.points, run.points.length - 1);
    context.strokeStyle = color;
    context.lineWidth = theme.lineWidth * 1.3;
    strokePath(run.points, step);
    if (run.start) {
      context.strokeStyle = color;
      context.fillStyle = theme.background;
      context.lineWidth = 2;
      context.beginPath();
      context.arc(run.start.x, run.start.y, 4.5, 0, Math.PI * 2);
      context.fill();
      context.stroke();
    }
    if (run.end) {
      context.fillStyle = color;
      context.strokeStyle = theme.background;
      context.lineWidth = 1.5;
      context.fillRect(run.end.x - 4, run.end.y - 4, 8, 8);
      context.strokeRect(run.end.x - 4, run.end.y - 4, 8, 8);
    }
  });
  // Current points last, so that no path covers them.
  current.forEach((point, index) => {
    if (!point) return;
    context.fillStyle = runColors[index] ?? theme.foreground;
    context.strokeStyle = theme.foreground;
    context.lineWidth = 1.5;
    context.beginPath();
    context.arc(point.x, point.y, 5.5, 0, Math.PI * 2);
    context.fill();
    context.stroke();
  });
  context.restore();
}

/** The heatmap's cells, the best cell's outline, the labels and the colour bar; `caption` goes top left. */
export function drawHeatmapScene(
  context: CanvasRenderingContext2D,
  scene: HeatmapScene,
  size: { width: number; height: number },
  text: { xLabel: string; caption: string; maxLabel: string; minLabel: string },
  style: CanvasStyle,
): void {
  const { theme, scratch, pixelRatio } = style;
  const { frame } = scene;
  beginScene(context, size, style);
  context.font = fontOf(theme, 0.8).css;
  const background = parseRgb(theme.background, scratch);
  const accent = parseRgb(theme.lr, scratch);
  for (const cell of scene.cells) {
    if (cell.fraction === null) {
      // A diverged cell: the error colour, faint, so that it reads as "no value" rather than "bad value".
      context.fillStyle = withAlpha(theme.runEnd, 0.35, scratch);
      context.fillRect(cell.x, cell.y, cell.width, cell.height);
      continue;
    }
    const [red, green, blue] = mixRgb(background, accent, cell.fraction);
    context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
    context.fillRect(cell.x, cell.y, cell.width + 0.5, cell.height + 0.5);
  }
  const best = scene.best
    ? scene.cells.find((cell) => cell.row === scene.best!.row && cell.column === scene.best!.column)
    : undefined;
  if (best) {
    context.strokeStyle = theme.foreground;
    context.lineWidth = 2;
    context.strokeRect(best.x + 1, best.y + 1, best.width - 2, best.height - 2);
  }
  context.fillStyle = theme.foreground;
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const label of scene.xLabels) context.fillText(label.text, label.x, label.y);
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const label of scene.yLabels) context.fillText(label.text, label.x, label.y);
  context.fillStyle = theme.mutedForeground;
  context.textAlign = 'center';
  context.textBaseline = 'bottom';
  context.fillText(text.xLabel, frame.left + frame.width / 2, size.height - 2);
  context.textAlign = 'left';
  context.textBaseline = 'top';
  context.fillText(text.caption, 4, 4);
  // Colour bar: low (strong) at the bottom, high (faint) at the top.
  const barX = frame.left + frame.width + 14;
  const barWidth = 12;
  const steps = Math.max(1, Math.round(frame.height * pixelRatio));
  for (let offset = 0; offset < steps; offset++) {
    const [red, green, blue] = mixRgb(background, accent, 0.1 + (offset / steps) * 0.85);
    context.fillStyle = `rgb(${red}, ${green}, ${blue})`;
    context.fillRect(
      barX,
      frame.top + (offset * frame.height) / steps,
      barWidth,
      frame.height / steps + 0.5 / pixelRatio,
    );
  }
  if (scene.range) {
    context.fillStyle = theme.foreground;
    context.textAlign = 'left';
    context.textBaseline = 'top';
    context.fillText(text.maxLabel, barX + barWidth + 3, frame.top);
    context.textBaseline = 'bottom';
    context.fillText(text.minLabel, barX + barWidth + 3, frame.top + frame.height);
  }
  context.restore();
}
