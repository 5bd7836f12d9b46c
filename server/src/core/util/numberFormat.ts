// The one number format of the product: code lenses, hovers, diagnostics, schedule markers and the webview readouts.

/**
 * A number the way a config file would show it: `significantDigits` significant digits, scientific notation for the
 * tiny and huge values learning rates often are (`3e-4`, `1.5e6`), plain decimals otherwise (`0.9`, `1000`).
 * Non-finite values are spelled as JavaScript does (`Infinity`, `NaN`); a display may choose its own glyphs.
 */
export function formatNumber(value: number, significantDigits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  // Four significant digits by default: enough to tell 3e-4 from 3.5e-4, short enough for a code lens.
  const rounded = Number(value.toPrecision(Math.min(21, Math.max(1, Math.round(significantDigits)))));
  if (rounded !== 0 && (Math.abs(rounded) < 1e-3 || Math.abs(rounded) >= 1e6)) {
    return rounded.toExponential().replace('e+', 'e');
  }
  // `-0` reads as 0.
  return String(rounded === 0 ? 0 : rounded);
}

const groupedSteps = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const compactSteps = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** A step count in a plot label (`run end 1,000`, `run end 12.5K`): grouped digits, compact from 10,000 on. */
export function formatStepCount(steps: number): string {
  if (!Number.isFinite(steps)) return String(steps);
  return Math.abs(steps) < 10_000 ? groupedSteps.format(steps) : compactSteps.format(steps);
}
