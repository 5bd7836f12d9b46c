// Contour levels and marching squares over a sampled landscape, and the colour ramp used for shading.
//
// Invariant: levels are chosen in a transformed space (log10 of the height above the minimum when the values span
// several decades, plain values otherwise), so that a Rosenbrock valley shows as many rings near its floor as on
// its walls; `normalizedHeight` uses the same transform, so shading and contour lines always agree.

export interface SampledGrid {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** Row-major: `values[j * nx + i]` at (xs[i], ys[j]); `null` or non-finite where the function is undefined. */
  readonly values: readonly (number | null)[];
}

export interface LevelScale {
  /** True when heights are compared on a log scale (the values span more than two decades above the minimum). */
  readonly logarithmic: boolean;
  readonly min: number;
  readonly max: number;
  /** Added to `value - min` before the log, so that the minimum itself stays finite. */
  readonly offset: number;
  /** Contour levels in value space, increasing. */
  readonly levels: readonly number[];
}

/** Decades of height above the minimum beyond which levels are spaced logarithmically. */
const decadesForLogLevels = 2;

export function finiteRange(values: readonly (number | null)[]): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return min <= max ? { min, max } : null;
}

/**
 * About `count` contour levels for `values`. Log spacing is used when the heights above the minimum span more than
 * two decades, counting from the lower decile, so that a few huge corner values do not decide it alone.
 */
export function levelScale(values: readonly (number | null)[], count = 14): LevelScale | null {
  const range = finiteRange(values);
  if (range === null) return null;
  const { min, max } = range;
  if (max <= min) return { logarithmic: false, min, max, offset: 0, levels: [min] };
  const heights = values
    .filter((value): value is number => value !== null && Number.isFinite(value))
    .map((value) => value - min)
    .sort((a, b) => a - b);
  const lowerDecile = heights[Math.floor(heights.length * 0.1)] ?? 0;
  const offset = Math.max((max - min) * 1e-6, lowerDecile * 1e-2, Number.MIN_VALUE);
  const logarithmic = Math.log10((max - min + offset) / Math.max(lowerDecile, offset)) > decadesForLogLevels;
  const levels: number[] = [];
  if (logarithmic) {
    const low = Math.log10(Math.max(lowerDecile * 0.05, offset));
    const high = Math.log10(max - min + offset);
    for (let index = 1; index <= count; index++)
      levels.push(min + Math.pow(10, low + ((high - low) * index) / (count + 1)) - offset);
  } else {
    for (let index = 1; index <= count; index++) levels.push(min + ((max - min) * index) / (count + 1));
  }
  return { logarithmic, min, max, offset, levels };
}

/** The height of `value` in [0, 1] on the scale's (log or linear) axis; `null` for a non-finite value. */
export function normalizedHeight(scale: LevelScale, value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (scale.max <= scale.min) return 0;
  if (!scale.logarithmic) return clamp01((value - scale.min) / (scale.max - scale.min));
  const low = Math.log10(scale.offset);
  const high = Math.log10(scale.max - scale.min + scale.offset);
  return clamp01((Math.log10(Math.max(0, value - scale.min) + scale.offset) - low) / (high - low));
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/**
 * The line segments where the sampled surface crosses `level`, in data coordinates, four numbers per segment
 * (x1, y1, x2, y2). Cells with an undefined corner are skipped; the two saddle cases are resolved by the cell's
 * centre value (the average of its corners), which keeps rings closed on smooth functions.
 */
export function marchingSquares(grid: SampledGrid, level: number): number[] {
  const nx = grid.xs.length;
  const ny = grid.ys.length;
  const segments: number[] = [];
  if (nx < 2 || ny < 2 || grid.values.length < nx * ny) return segments;
  const at = (i: number, j: number): number => {
    const value = grid.values[j * nx + i];
    return value === null || value === undefined ? NaN : value;
  };
  for (let j = 0; j < ny - 1; j++) {
    const y0 = grid.ys[j]!;
    const y1 = grid.ys[j + 1]!;
    for (let i = 0; i < nx - 1; i++) {
      const x0 = grid.xs[i]!;
      const x1 = grid.xs[i + 1]!;
      // Corners counter-clockwise from the bottom left: a (x0, y0), b (x1, y0), c (x1, y1), d (x0, y1).
      const a = at(i, j);
      const b = at(i + 1, j);
      const c = at(i + 1, j + 1);
      const d = at(i, j + 1);
      if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || !Number.isFinite(d)) continue;
      const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const fraction = (from: number, to: number): number => (to === from ? 0.5 : (level - from) / (to - from));
      // Crossing points on the four edges: bottom (a-b), right (b-c), top (d-c), left (a-d).
      const bottom = (): [number, number] => [x0 + (x1 - x0) * fraction(a, b), y0];
      const right = (): [number, number] => [x1, y0 + (y1 - y0) * fraction(b, c)];
      const top = (): [number, number] => [x0 + (x1 - x0) * fraction(d, c), y1];
      const left = (): [number, number] => [x0, y0 + (y1 - y0) * fraction(a, d)];
      const push = (first: [number, number], second: [number, number]): void => {
        segments.push(first[0], first[1], second[0], second[1]);
      };
      switch (code) {
        case 1:
        case 14:
          push(left(), bottom());
          break;
        case 2:
        case 13:
          push(bottom(), right());
          break;
        case 3:
        case 12:
          push(left(), right());
          break;
        case 4:
        case 11:
          push(right(), top());
          break;
        case 6:
        case 9:
          push(bottom(), top());
          break;
        case 7:
        case 8:
          push(left(), top());
          break;
        case 5:
        case 10: {
          const centreAbove = (a + b + c + d) / 4 > level;
          // Code 5: a and c above. With the centre above, the high corners connect and the low ones are cut off.
          if ((code === 5) === centreAbove) {
            push(left(), top());
            push(bottom(), right());
          } else {
            push(left(), bottom());
            push(right(), top());
          }
          break;
        }
      }
    }
  }
  return segments;
}

/** A colour `fraction` of the way from `from` to `to`, both `[r, g, b]` in 0..255. */
export function mixRgb(from: readonly number[], to: readonly number[], fraction: number): [number, number, number] {
  const t = clamp01(fraction);
  return [0, 1, 2].map((index) => Math.round(from[index]! + (to[index]! - from[index]!) * t)) as [
    number,
    number,
    number,
  ];
}

/** `[r, g, b]` of any CSS colour the canvas understands (alpha ignored). */
export function parseRgb(color: string, scratch: CanvasRenderingContext2D): [number, number, number] {
  scratch.fillStyle = '#000000';
  scratch.fillStyle = color;
  const normalized = scratch.fillStyle;
  if (normalized.startsWith('#') && normalized.length === 7) {
    return [1, 3, 5].map((start) => Number.parseInt(normalized.slice(start, start + 2), 16)) as [
      number,
      number,
      number,
    ];
  }
  const match = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)/.exec(normalized);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [128, 128, 128];
}
