// Axis scales for every plot (CLI, panel exports, the panels' axes): nice linear ticks, power-of-ten log ticks, and
// compact tick labels. One tick algorithm, so that a plot drawn anywhere has the same ticks for the same range.

/** A numeric axis mapped onto a pixel interval. `log` axes have a positive domain. */
export interface AxisScale {
  readonly min: number;
  readonly max: number;
  readonly log: boolean;
  readonly ticks: readonly number[];
  /** Unlabelled ticks (2..9 times a power of ten on log axes); empty on linear axes. */
  readonly minorTicks: readonly number[];
}

/** The step of 1, 2 or 5 times a power of ten whose tick count over `span` is closest to `targetCount`. */
export function niceStep(span: number, targetCount: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const target = Math.max(1, targetCount);
  const power = 10 ** Math.floor(Math.log10(span / target));
  let best = power;
  for (const multiple of [1, 2, 5, 10]) {
    const step = multiple * power;
    if (Math.abs(span / step - target) < Math.abs(span / best - target)) best = step;
  }
  return best;
}

/**
 * A linear axis whose ends are multiples of a nice step and contain [dataMin, dataMax].
 * An empty or zero-width range is widened so that the axis always has some extent.
 */
export function linearScale(dataMin: number, dataMax: number, targetCount: number): AxisScale {
  let low = Number.isFinite(dataMin) ? dataMin : 0;
  let high = Number.isFinite(dataMax) ? dataMax : 1;
  if (low > high) [low, high] = [high, low];
  if (high === low) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    // A constant series that is positive stays above zero only when zero is not the natural floor.
    low = low > 0 && low - pad < 0 ? 0 : low - pad;
    high = high + pad;
  }
  const step = niceStep(high - low, targetCount);
  const min = Math.floor(low / step + 1e-9) * step;
  const max = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  const count = Math.round((max - min) / step);
  for (let index = 0; index <= count; index++) ticks.push(cleanFloat(min + index * step));
  return { min: cleanFloat(min), max: cleanFloat(max), log: false, ticks, minorTicks: [] };
}

/**
 * A log axis from the power of ten at or below the smallest positive value to the one at or above
 * the largest. Ticks are always powers of ten; when there are many decades, every k-th one.
 */
export function logScale(dataMin: number, dataMax: number, targetCount: number): AxisScale {
  let low = dataMin > 0 && Number.isFinite(dataMin) ? dataMin : dataMax > 0 && Number.isFinite(dataMax) ? dataMax : 1;
  let high = dataMax > 0 && Number.isFinite(dataMax) ? dataMax : low;
  if (low > high) [low, high] = [high, low];
  let lowExponent = Math.floor(Math.log10(low) + 1e-9);
  let highExponent = Math.ceil(Math.log10(high) - 1e-9);
  if (highExponent <= lowExponent) highExponent = lowExponent + 1;
  const decades = highExponent - lowExponent;
  const every = Math.max(1, Math.ceil(decades / Math.max(1, targetCount)));
  // Align the ends with the tick stride so that both ends carry a labelled tick.
  lowExponent = Math.floor(lowExponent / every) * every;
  highExponent = Math.ceil(highExponent / every) * every;
  const ticks: number[] = [];
  const minorTicks: number[] = [];
  for (let exponent = lowExponent; exponent <= highExponent; exponent++) {
    if ((exponent - lowExponent) % every === 0) ticks.push(powerOfTen(exponent));
    if (every === 1 && exponent < highExponent) {
      for (let multiple = 2; multiple <= 9; multiple++) minorTicks.push(cleanFloat(multiple * powerOfTen(exponent)));
    }
  }
  return { min: powerOfTen(lowExponent), max: powerOfTen(highExponent), log: true, ticks, minorTicks };
}

/** Nice linear ticks (the step of `niceStep`) that lie inside [min, max], for an axis whose ends are given. */
export function linearTicks(min: number, max: number, targetCount: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || targetCount < 1) return [];
  if (min === max) return [min];
  const [low, high] = min < max ? [min, max] : [max, min];
  const step = niceStep(high - low, targetCount);
  const ticks: number[] = [];
  const first = Math.ceil(low / step - 1e-9);
  const last = Math.floor(high / step + 1e-9);
  for (let index = first; index <= last; index++) ticks.push(cleanFloat(index * step));
  return ticks;
}

/** The powers of ten inside [min, max] (every one, or every k-th to stay near `targetCount`); both ends positive. */
export function logTicks(min: number, max: number, targetCount = Infinity): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  const [low, high] = min < max ? [min, max] : [max, min];
  const lowExponent = Math.ceil(Math.log10(low) - 1e-9);
  const highExponent = Math.floor(Math.log10(high) + 1e-9);
  const every = Math.max(1, Math.ceil((highExponent - lowExponent) / Math.max(1, targetCount)));
  const ticks: number[] = [];
  for (let exponent = Math.ceil(lowExponent / every) * every; exponent <= highExponent; exponent += every) {
    const tick = powerOfTen(exponent);
    if (tick >= low * (1 - 1e-9) && tick <= high * (1 + 1e-9)) ticks.push(tick);
  }
  return ticks;
}

/** 10^exponent written so that 1e-7 is exactly the double that `1e-7` parses to. */
export function powerOfTen(exponent: number): number {
  return Number(`1e${exponent}`);
}

/** Removes the floating-point noise of `min + index * step` (0.30000000000000004 becomes 0.3). */
function cleanFloat(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

/** The position of `value` on the scale as a fraction of its extent: 0 at min, 1 at max. */
export function scaleFraction(scale: AxisScale, value: number): number {
  if (scale.log) {
    const low = Math.log10(scale.min);
    const high = Math.log10(scale.max);
    // Zero and negative values sit on the floor of a log axis: a schedule that decays to 0 touches the bottom.
    if (!(value > 0)) return 0;
    return (Math.log10(value) - low) / (high - low);
  }
  return (value - scale.min) / (scale.max - scale.min);
}

/**
 * A short tick label: `0`, `0.1`, `2.5`, `3e-4`, `1e-6`, `250k`, `1.5M`.
 * Values below 0.01 use scientific notation, integers from 10,000 on use k/M/G suffixes.
 */
export function formatTick(value: number, significantDigits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 && magnitude < 1e12) {
    for (const [unit, suffix] of [
      [1e9, 'G'],
      [1e6, 'M'],
      [1e3, 'k'],
    ] as const) {
      if (magnitude >= unit) return `${trimDecimal((value / unit).toPrecision(significantDigits))}${suffix}`;
    }
  }
  if (magnitude >= 0.01 && magnitude < 1e4) return trimDecimal(value.toPrecision(Math.max(significantDigits, 4)));
  return scientific(value, significantDigits);
}

/** `3e-4`, `2.5e-5`, `1e12`: a mantissa without trailing zeros and an exponent without `+`. */
export function scientific(value: number, significantDigits = 3): string {
  const [mantissa = '0', exponent = '0'] = value.toExponential(Math.max(0, significantDigits - 1)).split('e');
  return `${trimDecimal(mantissa)}e${exponent.replace('+', '')}`;
}

function trimDecimal(text: string): string {
  if (text.includes('e')) return scientificFromPrecision(text);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** `toPrecision` switches to exponent form for large or tiny values; keep our own style then. */
function scientificFromPrecision(text: string): string {
  const [mantissa = '0', exponent = '0'] = text.split('e');
  return `${trimDecimal(mantissa)}e${exponent.replace('+', '')}`;
}

/** Pixels per tick of a line plot (the CLI's, the exports' and the live charts'): one x tick per 95, one y per 55. */
const TICK_SPACING_PX = { x: 95, y: 55 } as const;

/** The tick count to aim for along `lengthPx` pixels: one per `spacing` pixels (a line plot's x or y), at least two. */
export function tickTarget(lengthPx: number, spacing: 'x' | 'y' | number): number {
  const perTick = typeof spacing === 'number' ? spacing : TICK_SPACING_PX[spacing];
  return Math.max(2, Math.floor((Number.isFinite(lengthPx) ? lengthPx : 0) / perTick));
}
