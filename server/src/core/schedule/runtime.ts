// The small slice of Python and torch.optim state that the schedule engine simulates: one param group, raises, and Python arithmetic.

import type { ScheduleMarker } from './types';

/**
 * The optimizer's single param group as the schedulers see it. Schedulers communicate only through this object,
 * exactly as PyTorch's do, which is what makes composite schedules (SequentialLR, ChainedScheduler) come out right.
 */
export interface ParamGroup {
  lr: number;
  /** `group['initial_lr']`; undefined until the first _LRScheduler is constructed (OneCycleLR overwrites it). */
  initialLr: number | undefined;
  /** `group['momentum']`; undefined when the optimizer has none. */
  momentum: number | undefined;
  /** `group['betas']`; undefined when the optimizer has none. */
  beta1: number | undefined;
  beta2: number | undefined;
  /** OneCycleLR keeps these on the group, so a later OneCycleLR overwrites an earlier one's. */
  oneCycleMaxLr: number;
  oneCycleMinLr: number;
  oneCycleMaxMomentum: number;
  oneCycleBaseMomentum: number;
  /** `optimizer.defaults['lr']`, which HF's polynomial schedule reads; never changed by schedulers. */
  readonly defaultsLr: number;
  /** `'momentum' in optimizer.defaults` and `'betas' in optimizer.defaults`. */
  readonly hasMomentum: boolean;
  readonly hasBetas: boolean;
  /** Set by schedulers that write momentum or beta1, so the series records them. */
  cyclesMomentum: boolean;
  cyclesBetas: boolean;
}

/** Where a scheduler block sits inside the request, so its issues point at the right key. */
export type ParamPath = readonly (string | number)[];

/**
 * The library raised an exception. Thrown inside the engine only and always caught by `evaluateSchedule`,
 * which turns it into an issue and truncates the series at the step that raised.
 */
export class LibraryRaise {
  constructor(
    /** The path of the key that causes the raise. */
    readonly path: ParamPath,
    /** e.g. `OneCycleLR raises ValueError` */
    readonly who: string,
    /** What went wrong, in the user's terms. */
    readonly detail: string,
  ) {}
}

/** A scheduler object as PyTorch's SequentialLR and ChainedScheduler handle it (duck typing included). */
export interface SteppableScheduler {
  readonly className: string;
  readonly path: ParamPath;
  /** `scheduler.last_epoch`; undefined when the Python object has no such attribute. */
  lastEpoch: number | undefined;
  /** `scheduler.step()` when `epoch` is undefined, `scheduler.step(epoch)` otherwise (ReduceLROnPlateau: `step(metrics)`). */
  step(epoch?: number): void;
  /** `scheduler._initial_step()` (SequentialLR calls it on its first scheduler). */
  initialStep(): void;
  /**
   * Notable steps below `horizon`, counted in this scheduler's own epochs (epoch 0 is its value right after
   * construction). ReduceLROnPlateau reports the reductions it made while stepping.
   */
  markers(horizon: number): ScheduleMarker[];
}

/** Python's true division, which raises ZeroDivisionError where JavaScript would return Infinity or NaN. */
export function pyDivide(numerator: number, denominator: number, raiseAt: () => LibraryRaise): number {
  if (denominator === 0) throw raiseAt();
  return numerator / denominator;
}

/** Python's `bisect.bisect_right` on a list that may be unsorted (the binary search then behaves as Python's does). */
export function bisectRight(list: readonly number[], value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (value < list[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Python's `%` for floats and ints: the result has the sign of the divisor. */
export function pyModulo(value: number, divisor: number): number {
  const remainder = value % divisor;
  return remainder !== 0 && remainder < 0 !== divisor < 0 ? remainder + divisor : remainder;
}

export function newParamGroup(
  lr: number,
  momentum: number | undefined,
  betas: readonly [number, number] | undefined,
): ParamGroup {
  return {
    lr,
    initialLr: undefined,
    momentum,
    beta1: betas?.[0],
    beta2: betas?.[1],
    oneCycleMaxLr: Number.NaN,
    oneCycleMinLr: Number.NaN,
    oneCycleMaxMomentum: Number.NaN,
    oneCycleBaseMomentum: Number.NaN,
    defaultsLr: lr,
    hasMomentum: momentum !== undefined,
    hasBetas: betas !== undefined,
    cyclesMomentum: false,
    cyclesBetas: false,
  };
}
