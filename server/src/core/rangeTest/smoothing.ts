// Loss smoothing and the early stop of a range test: a bias-corrected EMA and the "diverged" rule.

/** What the test remembers between iterations. Plain data: each step returns a new state. */
export interface SmoothingState {
  /** The raw exponential moving average (not yet bias-corrected). */
  readonly average: number;
  /** How many losses went into the average. */
  readonly count: number;
  /** The lowest smoothed loss so far (Infinity before the first one). */
  readonly best: number;
}

export const INITIAL_SMOOTHING_STATE: SmoothingState = { average: 0, count: 0, best: Infinity };

export interface SmoothingStep {
  readonly state: SmoothingState;
  /** The bias-corrected smoothed loss after this loss; NaN when the loss was not finite. */
  readonly smoothed: number;
  /** `diverged` when the loss is NaN/Inf or the smoothed loss exceeds `divergeThreshold` times the best. */
  readonly stop: 'diverged' | null;
}

/**
 * Adds one raw loss. The average starts at 0, so it is divided by `1 - beta^count` (Adam's bias correction),
 * which makes the first smoothed value equal the first loss.
 */
export function advanceSmoothing(
  state: SmoothingState,
  loss: number,
  beta: number,
  divergeThreshold: number,
): SmoothingStep {
  if (!Number.isFinite(loss)) return { state, smoothed: NaN, stop: 'diverged' };
  const count = state.count + 1;
  const average = beta * state.average + (1 - beta) * loss;
  const correction = 1 - Math.pow(beta, count);
  const smoothed = correction > 0 ? average / correction : loss;
  const best = Math.min(state.best, smoothed);
  const next: SmoothingState = { average, count, best };
  if (!Number.isFinite(smoothed)) return { state: next, smoothed: NaN, stop: 'diverged' };
  // Losses can be negative for some objectives; the ratio test only makes sense above zero.
  const diverged = count > 1 && best > 0 && smoothed > divergeThreshold * best;
  return { state: next, smoothed, stop: diverged ? 'diverged' : null };
}

/** The smoothed curve of a whole list of losses (no early stop). */
export function smoothLosses(losses: readonly number[], beta: number): number[] {
  let state = INITIAL_SMOOTHING_STATE;
  const out: number[] = [];
  for (const loss of losses) {
    const step = advanceSmoothing(state, loss, beta, Infinity);
    state = step.state;
    out.push(step.smoothed);
  }
  return out;
}
