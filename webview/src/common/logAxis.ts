// Tick helpers for uPlot's logarithmic axes, shared by the range-test and landscape plots: only decades get a grid
// line and a label, because uPlot's 2..9 minor lines make a dense, noisy grid in a small plot.

import type uPlot from 'uplot';

export function isPowerOfTen(value: number): boolean {
  if (!(value > 0)) return false;
  const exponent = Math.log10(value);
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

/** A uPlot split filter that keeps powers of ten. */
export function decadesOnly(_chart: uPlot, splits: number[]): (number | null)[] {
  return splits.map((split) => (isPowerOfTen(split) ? split : null));
}

/** `0.01`, `1`, `100` for the decades people read as numbers, `1e-5`, `1e6` beyond them. */
export function formatDecade(value: number | null): string {
  if (value === null || !isPowerOfTen(value)) return '';
  const exponent = Math.round(Math.log10(value));
  if (exponent >= -2 && exponent <= 3) return String(Number(`1e${exponent}`));
  return `1e${exponent}`;
}

/** Axis options that show only decades; spread into a uPlot axis. */
export function decadeAxis(gridColor: string): Pick<uPlot.Axis, 'grid' | 'ticks' | 'filter' | 'values'> {
  return {
    grid: { stroke: gridColor, width: 1, filter: decadesOnly },
    ticks: { stroke: gridColor, width: 1, size: 3, filter: decadesOnly },
    filter: decadesOnly,
    values: (_chart, splits) => splits.map((split) => formatDecade(split)),
  };
}
