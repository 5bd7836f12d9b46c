// Per-pixel min/max decimation of step-indexed series, so that a million-step schedule draws as fast as a short one.
//
// Invariant: every output point is an exact input sample (no averaging), and for every pixel column and every
// series the smallest and the largest sample of that column are kept, so spikes and restarts stay visible.

/** A column of values indexed by step; shorter columns simply end earlier. */
export type StepColumn = ArrayLike<number>;

export interface DecimatedColumns {
  /** Steps in increasing order. */
  readonly steps: number[];
  /** One array per input column, aligned with `steps`; `null` where a column has no finite value at that step. */
  readonly columns: (number | null)[][];
}

export interface DecimationWindow {
  /** First and last visible step; fractional values are fine (they come from zoom). */
  readonly fromStep: number;
  readonly toStep: number;
  /** How many pixel columns the plot has; each keeps at most first, last, min and max of every series. */
  readonly buckets: number;
}

/** Below this many samples per bucket, every sample is kept: decimating would save nothing visible. */
const samplesPerBucketWorthDecimating = 4;

/**
 * Decimates `columns` over the window. The first and the last step of the whole data are always included,
 * so that an automatic x range still spans the whole schedule, and so are the samples just outside the window,
 * so that lines run to the plot edges.
 */
export function decimateMinMax(columns: readonly StepColumn[], window: DecimationWindow): DecimatedColumns {
  const stepCount = columns.reduce((longest, column) => Math.max(longest, column.length), 0);
  if (stepCount === 0) return { steps: [], columns: columns.map(() => []) };
  const lastStep = stepCount - 1;
  const from = clampInteger(Math.floor(Math.min(window.fromStep, window.toStep)), 0, lastStep);
  const to = clampInteger(Math.ceil(Math.max(window.fromStep, window.toStep)), 0, lastStep);
  const buckets = Math.max(1, Math.floor(Number.isFinite(window.buckets) ? window.buckets : 1));

  const steps: number[] = [];
  const pushStep = (step: number): void => {
    if (steps.length === 0 || steps[steps.length - 1]! < step) steps.push(step);
  };

  pushStep(0);
  if (from > 0) pushStep(from - 1);

  const sampleCount = to - from + 1;
  if (sampleCount <= buckets * samplesPerBucketWorthDecimating) {
    for (let step = from; step <= to; step++) pushStep(step);
  } else {
    const picked: number[] = [];
    for (let bucket = 0; bucket < buckets; bucket++) {
      const bucketFirst = from + Math.floor((bucket * sampleCount) / buckets);
      const bucketLast = from + Math.floor(((bucket + 1) * sampleCount) / buckets) - 1;
      if (bucketLast < bucketFirst) continue;
      picked.length = 0;
      picked.push(bucketFirst, bucketLast);
      for (const column of columns) {
        const end = Math.min(bucketLast, column.length - 1);
        let minStep = -1;
        let maxStep = -1;
        let minValue = Infinity;
        let maxValue = -Infinity;
        for (let step = bucketFirst; step <= end; step++) {
          const value = column[step]!;
          // Comparisons with NaN are false, so non-finite samples never become the minimum or maximum.
          if (value < minValue && value !== -Infinity) {
            minValue = value;
            minStep = step;
          }
          if (value > maxValue && value !== Infinity) {
            maxValue = value;
            maxStep = step;
          }
        }
        if (minStep >= 0) picked.push(minStep);
        if (maxStep >= 0) picked.push(maxStep);
      }
      picked.sort((left, right) => left - right);
      for (const step of picked) pushStep(step);
    }
  }

  if (to < lastStep) pushStep(to + 1);
  pushStep(lastStep);

  const outputColumns = columns.map((column) => {
    const output = new Array<number | null>(steps.length);
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      const value = step < column.length ? column[step]! : NaN;
      output[index] = Number.isFinite(value) ? value : null;
    }
    return output;
  });
  return { steps, columns: outputColumns };
}

function clampInteger(value: number, low: number, high: number): number {
  if (!Number.isFinite(value)) return value > 0 ? high : low;
  return Math.min(high, Math.max(low, value));
}
