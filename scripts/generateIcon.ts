// Draws the extension icon (images/icon.png): a warmup-then-cosine learning-rate curve through a lens ring.
// Run with `node --import tsx scripts/generateIcon.ts`.

import { writeFileSync } from 'node:fs';
import { encodePng } from '../server/src/cli/plot/pngEncode';

const SIZE = 128;
const SUPER = 4;

function inside(x: number, y: number): [number, number, number] {
  const cx = SIZE / 2;
  const cy = SIZE / 2;
  const r = Math.hypot(x - cx, y - cy);
  let color: [number, number, number] = [24, 32, 56];
  if (r > 60) return [255, 255, 255];
  if (r > 52) color = [86, 156, 214];
  // The schedule: linear warmup to step 0.2, then cosine decay, drawn as a thick stroke.
  const t = (x - 20) / 88;
  if (t >= 0 && t <= 1 && r <= 52) {
    const lr = t < 0.2 ? t / 0.2 : 0.5 * (1 + Math.cos((Math.PI * (t - 0.2)) / 0.8));
    const curveY = 96 - lr * 62;
    if (Math.abs(y - curveY) < 4.5) color = [255, 170, 60];
  }
  return color;
}

const pixels = new Uint8Array(SIZE * SIZE * 3);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let sy = 0; sy < SUPER; sy++) {
      for (let sx = 0; sx < SUPER; sx++) {
        const [pr, pg, pb] = inside(x + (sx + 0.5) / SUPER, y + (sy + 0.5) / SUPER);
        r += pr;
        g += pg;
        b += pb;
      }
    }
    const n = SUPER * SUPER;
    const offset = (y * SIZE + x) * 3;
    pixels[offset] = Math.round(r / n);
    pixels[offset + 1] = Math.round(g / n);
    pixels[offset + 2] = Math.round(b / n);
  }
}
writeFileSync('images/icon.png', encodePng({ width: SIZE, height: SIZE, pixels }));
