// Number formatting and axis ticks shared by the plot, the readout and the SVG export.

import { formatNumber } from '../../../server/src/core/util/numberFormat';

const groupedStepFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

/** A step as the readout shows it: grouped digits, e.g. `12,500`. */
export function formatStep(step: number): string {
  return groupedStepFormat.format(step);
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

// One tick algorithm for every plot: the core's (the CLI's plots and the panels' SVG exports use it too).
export { linearTicks, logTicks } from '../../../server/src/core/plot/ticks';
