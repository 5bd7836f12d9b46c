// Learning-rate suggestions read from a range-test curve: steepest descent, fastai's valley, and minimum / 10.

import type { LearningRateSuggestion, RangeTestStop, RangeTestSuggestions } from './types';

/** Fewer usable points than this and no suggestion is made: a shorter curve is mostly noise. */
export const MINIMUM_USABLE_POINTS = 10;

/** fastai drops this many points at the end of the curve before suggesting, where the loss blows up. */
const SKIPPED_AT_END = 5;

export interface SuggestionInput {
  readonly lrs: readonly number[];
  /** The bias-corrected smoothed losses, aligned with `lrs`. */
  readonly smoothed: readonly number[];
  /** The raw losses, aligned with `lrs`: the "never diverged" note is only made when they did not blow up either. */
  readonly losses?: readonly number[];
  /** The divergence multiple of the test (default 4): a raw loss this far above its best counts as a blow-up. */
  readonly divergeThreshold?: number;
  readonly stopped: RangeTestStop;
  /** The planned iteration count; fastai skips its first tenth as the warm-up of the smoothing. */
  readonly numIter: number;
}

export interface SuggestionOutcome {
  readonly suggestions: RangeTestSuggestions;
  /** Sentences for the user: why a suggestion is missing, or what to keep in mind. */
  readonly notes: string[];
}

const NO_SUGGESTIONS: RangeTestSuggestions = { valley: null, steepest: null, minimum: null };

/** Short, readable lr for explanations (e.g. `3.2e-3`). */
export function formatLearningRate(lr: number): string {
  if (!Number.isFinite(lr)) return String(lr);
  if (lr !== 0 && (Math.abs(lr) < 1e-2 || Math.abs(lr) >= 1e3)) return lr.toExponential(1).replace('e+', 'e');
  return String(Number(lr.toPrecision(2)));
}

/**
 * Derivative of `values` with respect to `positions`, as numpy.gradient computes it for uneven spacing:
 * second-order central differences inside, one-sided differences at both ends.
 */
export function gradientAlong(values: readonly number[], positions: readonly number[]): number[] {
  const n = values.length;
  if (n < 2) return values.map(() => 0);
  const out = new Array<number>(n);
  out[0] = (values[1]! - values[0]!) / (positions[1]! - positions[0]!);
  out[n - 1] = (values[n - 1]! - values[n - 2]!) / (positions[n - 1]! - positions[n - 2]!);
  for (let i = 1; i < n - 1; i++) {
    const before = positions[i]! - positions[i - 1]!;
    const after = positions[i + 1]! - positions[i]!;
    out[i] =
      (-after / (before * (before + after))) * values[i - 1]! +
      ((after - before) / (before * after)) * values[i]! +
      (before / (after * (before + after))) * values[i + 1]!;
  }
  return out;
}

/**
 * fastai's valley: the longest strictly decreasing subsequence of the loss (the "longest valley"), then the
 * point `floor(L/3) + floor(L/6)` past its start, with `L = end - start` and `start = end - length` exactly as
 * fastai computes it. fastai's docs call this "roughly 2/3 through the valley"; counted from the point before
 * the run, the arithmetic lands about halfway along it, and we keep fastai's arithmetic so the numbers match.
 * Returns the index, or -1 when the loss never decreases.
 */
export function valleyIndex(losses: readonly number[]): number {
  const n = losses.length;
  if (n === 0) return -1;
  const runLength = new Array<number>(n).fill(1);
  let maxStart = 0;
  let maxEnd = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && runLength[i]! < runLength[j]! + 1) runLength[i] = runLength[j]! + 1;
      if (runLength[maxEnd]! < runLength[i]!) {
        maxEnd = i;
        maxStart = maxEnd - runLength[maxEnd]!;
      }
    }
  }
  if (maxEnd === 0) return -1;
  const sections = (maxEnd - maxStart) / 3;
  return Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2));
}

/** How far the raw loss rose above its best before the end of the curve, and where it peaked after that best. */
function rawRise(losses: readonly number[], count: number): { factor: number; index: number } | null {
  let bestAt = -1;
  for (let i = 0; i < count; i++) {
    const loss = losses[i];
    if (loss === undefined || !Number.isFinite(loss)) break;
    if (bestAt < 0 || loss < losses[bestAt]!) bestAt = i;
  }
  if (bestAt < 0 || !(losses[bestAt]! > 0)) return null;
  let peakAt = bestAt;
  for (let i = bestAt + 1; i < count; i++) {
    const loss = losses[i];
    if (loss === undefined || !Number.isFinite(loss)) break;
    if (loss > losses[peakAt]!) peakAt = i;
  }
  return peakAt === bestAt ? null : { factor: losses[peakAt]! / losses[bestAt]!, index: peakAt };
}

/**
 * The three suggestions, or null with a note when the curve cannot support one. Reads only the usable part
 * of the curve, as fastai does: the first `numIter / 10` points and the last five are dropped, and the curve
 * ends at its first non-finite value.
 */
export function suggestLearningRates(input: SuggestionInput): SuggestionOutcome {
  const notes: string[] = [];
  const { lrs, smoothed, stopped } = input;
  const recorded = Math.min(lrs.length, smoothed.length);
  let finiteEnd = 0;
  while (finiteEnd < recorded && Number.isFinite(smoothed[finiteEnd]!) && lrs[finiteEnd]! > 0) finiteEnd++;
  const skipStart = Math.floor(Math.max(0, input.numIter) / 10);
  const windowEnd = finiteEnd - SKIPPED_AT_END;
  const usable = windowEnd - skipStart;

  if (stopped === 'completed') {
    const rise = rawRise(input.losses ?? [], recorded);
    const threshold = input.divergeThreshold ?? 4;
    if (rise && rise.factor >= threshold) {
      notes.push(
        `The smoothed loss stayed under the stop rule, but the raw loss rose to ${rise.factor.toPrecision(2)} times its best ` +
          `at lr = ${formatLearningRate(lrs[rise.index] ?? NaN)}: training is already breaking down there, even though the test ran to the end.`,
      );
    } else {
      notes.push(
        `The loss never diverged up to end_lr = ${formatLearningRate(lrs[recorded - 1] ?? NaN)}: the curve shows no upper limit, so the ` +
          'suggestions below are conservative. Raise end_lr to see where training breaks down.',
      );
    }
  }
  if (stopped === 'cancelled')
    notes.push('The test was cancelled; the suggestions use only the part of the curve that ran.');
  if (usable < MINIMUM_USABLE_POINTS) {
    notes.push(
      `Too short to suggest anything: ${Math.max(0, usable)} usable point${usable === 1 ? '' : 's'} after dropping the first ${skipStart} ` +
        `and the last ${SKIPPED_AT_END} (at least ${MINIMUM_USABLE_POINTS} are needed). ` +
        (stopped === 'diverged'
          ? 'The loss diverged early: lower start_lr or raise diverge_threshold.'
          : 'Raise num_iter.'),
    );
    return { suggestions: NO_SUGGESTIONS, notes };
  }

  const windowLrs = lrs.slice(skipStart, windowEnd);
  const windowLosses = smoothed.slice(skipStart, windowEnd);
  const logLrs = windowLrs.map((lr) => Math.log10(lr));

  // The minimum of the smoothed curve bounds the search for the steepest descent: right of it the loss rises, and a
  // steep stretch there (noise after a blow-up) is not a place to train.
  let minimumAt = 0;
  for (let i = 1; i < windowLosses.length; i++) if (windowLosses[i]! < windowLosses[minimumAt]!) minimumAt = i;

  let steepest: LearningRateSuggestion | null = null;
  const slopes = gradientAlong(windowLosses, logLrs);
  let steepestAt = 0;
  for (let i = 1; i <= minimumAt; i++) if (slopes[i]! < slopes[steepestAt]!) steepestAt = i;
  if (minimumAt > 0 && slopes[steepestAt]! < 0) {
    steepest = {
      lr: windowLrs[steepestAt]!,
      index: skipStart + steepestAt,
      explanation:
        `Steepest descent: the smoothed loss falls fastest here, ${slopes[steepestAt]!.toPrecision(3)} per decade of lr ` +
        '(the derivative is taken against log10(lr), not the iteration, and only left of the minimum).',
    };
  } else {
    notes.push(
      'No steepest-descent suggestion: the smoothed loss never falls as the lr grows. Lower start_lr or check the task.',
    );
  }

  let valley: LearningRateSuggestion | null = null;
  const valleyAt = valleyIndex(windowLosses);
  if (valleyAt >= 0) {
    valley = {
      lr: windowLrs[valleyAt]!,
      index: skipStart + valleyAt,
      explanation:
        "Valley (fastai's default): a point part-way down the longest stretch over which the smoothed loss keeps falling; " +
        'less sensitive to noise than the steepest point.',
    };
  } else {
    notes.push('No valley suggestion: the smoothed loss never decreases.');
  }

  let minimum: LearningRateSuggestion | null = null;
  if (stopped === 'completed' && minimumAt === windowLosses.length - 1) {
    notes.push(
      'No minimum / 10 suggestion: the smoothed loss was still falling at the end of the ramp, so its minimum was not reached.',
    );
  } else {
    const atMinimum = windowLrs[minimumAt]!;
    minimum = {
      lr: atMinimum / 10,
      index: skipStart + minimumAt,
      explanation:
        `Minimum / 10: the smoothed loss is lowest at lr = ${formatLearningRate(atMinimum)}; one tenth of it leaves a margin ` +
        'below the point where training starts to break down.',
    };
  }
  return { suggestions: { valley, steepest, minimum }, notes };
}
