// Number formatting and axis ticks shared by the plot, the readout and the SVG export.

import { formatNumber } from '../../../server/src/core/util/numberFormat';

const compactStepFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const groupedStepFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** A step as the readout shows it: grouped digits, e.g. `12,500`. */
export function formatStep(step: number): string {
  return groupedStepFormat.format(step);
}

/** A step as an axis tick shows it: short, e.g. `12.5K`. */
export function formatStepTick(step: number): string {
  return Math.abs(step) < 10_000 ? groupedStepFormat.format(step) : compactStepFormat.format(step);
}

/**
 * A learning rate or momentum value, in the product's one number format (the code lens, the hover and the markers
 * use the same function): scientific notation for the tiny and huge values learning rates usually are (`3e-4`),
 * plain decimals otherwise (`0.9`). Missing values read `—`, infinities `∞`.
 */
export function formatValue(value: number | null | undefined, significantDigits = 4): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  return formatNumber(value, significantDigits);
}

/** About `count` round tick values covering [min, max] on a linear axis (1, 2 or 5 times a power of ten apart). */
export function linearTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || count < 1) return [];
  if (min === max) return [min];
  const rawStep = (max - min) / count;
  const power = Math.pow(10, Math.floor(Math.log10(rawStep)));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= rawStep * (1 - 1e-9)) ?? 10;
  const step = multiple * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}

/** Powers of ten covering [min, max] on a logarithmic axis; both bounds must be positive. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent++) {
    // Parsing `1e-5` gives the nearest double to 10^-5; `Math.pow(10, -5)` can be one ulp off.
    const tick = Number(`1e${exponent}`);
    if (tick >= min * (1 - 1e-9) && tick <= max * (1 + 1e-9)) ticks.push(tick);
  }
  return ticks;
}
