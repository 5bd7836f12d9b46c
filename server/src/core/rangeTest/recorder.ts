// The streaming half of a range test, shared by every engine: points come in one at a time (from the compute worker
// or the Python runner), are smoothed and checked for divergence, and the finished curve gets its suggestions.

import { formatLearningRate, suggestLearningRates } from './suggestions';
import { advanceSmoothing, INITIAL_SMOOTHING_STATE, type SmoothingState } from './smoothing';
import type { RangeTestStop, RangeTestSuggestions } from './types';

/** One recorded point of the curve. */
export interface RangeTestPoint {
  readonly index: number;
  readonly lr: number;
  readonly loss: number;
  readonly smoothed: number;
}

/** The curve and what is read from it. */
export interface RangeTestCurve {
  readonly lrs: number[];
  readonly losses: number[];
  readonly smoothed: number[];
  readonly stopped: RangeTestStop;
  readonly suggestions: RangeTestSuggestions;
  readonly notes: string[];
}

export interface RecorderSettings {
  /** The planned ramp, one lr per step. */
  readonly ramp: readonly number[];
  readonly smooth: number;
  readonly divergeThreshold: number;
}

/**
 * Records losses in ramp order. `add` returns the recorded point and whether the test must stop (the smoothed loss
 * diverged, or the loss is NaN/infinite, which ends the curve before that point). The engines stop when told to;
 * the decision is made here, once, for all of them.
 */
export class RangeTestRecorder {
  private readonly lrs: number[] = [];
  private readonly losses: number[] = [];
  private readonly smoothed: number[] = [];
  private state: SmoothingState = INITIAL_SMOOTHING_STATE;
  private nonFiniteAt: number | null = null;
  private diverged = false;

  constructor(private readonly settings: RecorderSettings) {}

  /** How many points were recorded. */
  get length(): number {
    return this.losses.length;
  }

  /** True once the test must stop; later losses are ignored. */
  get mustStop(): boolean {
    return this.diverged;
  }

  /** Adds the loss of the next step; `point` is null when the loss was not finite (the curve ends before it). */
  add(loss: number): { point: RangeTestPoint | null; stop: boolean } {
    if (this.diverged) return { point: null, stop: true };
    const index = this.losses.length;
    const lr = this.settings.ramp[index];
    if (lr === undefined) return { point: null, stop: true };
    const step = advanceSmoothing(this.state, loss, this.settings.smooth, this.settings.divergeThreshold);
    this.state = step.state;
    if (!Number.isFinite(loss)) {
      this.nonFiniteAt = lr;
      this.diverged = true;
      return { point: null, stop: true };
    }
    this.lrs.push(lr);
    this.losses.push(loss);
    this.smoothed.push(step.smoothed);
    if (step.stop) this.diverged = true;
    return { point: { index, lr, loss, smoothed: step.smoothed }, stop: this.diverged };
  }

  /**
   * The finished curve. `ended` is how the engine ended: `completed` (ran out of ramp), or `cancelled`; a
   * divergence seen by `add` takes precedence over both.
   */
  finish(ended: 'completed' | 'cancelled', numIter: number): RangeTestCurve {
    const stopped: RangeTestStop = this.diverged ? 'diverged' : ended;
    const outcome = suggestLearningRates({
      lrs: this.lrs,
      smoothed: this.smoothed,
      losses: this.losses,
      stopped,
      numIter,
      divergeThreshold: this.settings.divergeThreshold,
    });
    const notes = [...outcome.notes];
    if (this.nonFiniteAt !== null)
      notes.unshift(
        `The loss became NaN or infinite at lr = ${formatLearningRate(this.nonFiniteAt)}; the test stopped there.`,
      );
    return {
      lrs: [...this.lrs],
      losses: [...this.losses],
      smoothed: [...this.smoothed],
      stopped,
      suggestions: outcome.suggestions,
      notes,
    };
  }
}
