// The learning-rate ramp of a range test: exponential (the default) or linear from start_lr to end_lr.

import type { RangeTestStepMode } from './types';

/**
 * The lr of each of the `numIter` iterations. Both ends are included: iteration 0 runs at `startLr` and the
 * last one at `endLr`, so the exponential ramp is `startLr * (endLr / startLr) ** (i / (numIter - 1))`.
 * Returns an empty list for a non-positive count; a single iteration runs at `startLr`.
 */
export function rangeTestLearningRates(
  startLr: number,
  endLr: number,
  numIter: number,
  stepMode: RangeTestStepMode,
): number[] {
  const count = Math.floor(numIter);
  if (!(count > 0)) return [];
  if (count === 1) return [startLr];
  const lrs: number[] = [];
  for (let i = 0; i < count; i++) {
    const position = i / (count - 1);
    lrs.push(
      stepMode === 'exp' ? startLr * Math.pow(endLr / startLr, position) : startLr + (endLr - startLr) * position,
    );
  }
  // The last value is set exactly so that rounding in the power never moves the end of the ramp.
  lrs[count - 1] = endLr;
  return lrs;
}
