// DeepSpeed's lr_schedules.py schedulers (WarmupLR, WarmupDecayLR, WarmupCosineLR, OneCycle, LRRangeTest), simulated per batch.

import { LibraryRaise, pyDivide, pyModulo } from './runtime';
import type { ParamGroup, ParamPath, SteppableScheduler } from './runtime';
import type { ScheduleMarker } from './types';

/**
 * Shared behaviour: DeepSpeed schedulers are plain objects with `last_batch_iteration` (no `last_epoch`, no initial
 * step). The constructor sets the lr for iteration -1; `step()` then sets the lr for iteration 0, 1, ...
 */
abstract class DeepSpeedScheduler implements SteppableScheduler {
  /** DeepSpeed objects have no `last_epoch` attribute. */
  lastEpoch: number | undefined = undefined;
  protected lastBatchIteration = -1;
  constructor(
    readonly className: string,
    readonly path: ParamPath,
    protected readonly group: ParamGroup,
  ) {}
  step(batchIteration?: number): void {
    this.lastBatchIteration = batchIteration ?? this.lastBatchIteration + 1;
    this.apply();
  }
  protected abstract apply(): void;
  initialStep(): void {
    throw this.raise(undefined, 'AttributeError', `'${this.className}' has no '_initial_step'.`);
  }
  abstract markers(horizon: number): ScheduleMarker[];
  protected raise(key: string | undefined, errorType: string, detail: string): LibraryRaise {
    return new LibraryRaise(
      key === undefined ? this.path : [...this.path, key],
      `DeepSpeed ${this.className} raises ${errorType}`,
      detail,
    );
  }
}

export type WarmupShape = 'log' | 'linear';

/** WarmupLR and WarmupDecayLR (which adds a linear decay to warmup_min_lr at total_num_steps). */
export class WarmupLrScheduler extends DeepSpeedScheduler {
  private readonly warmupSteps: number;
  private readonly inverseLogWarmup: number;
  private readonly deltaLr: number;
  constructor(
    className: 'WarmupLR' | 'WarmupDecayLR',
    path: ParamPath,
    group: ParamGroup,
    private readonly minLr: number,
    maxLr: number,
    warmupNumSteps: number,
    private readonly shape: WarmupShape,
    /** WarmupDecayLR only. */
    private readonly totalNumSteps: number | undefined,
  ) {
    super(className, path, group);
    if (!Number.isInteger(warmupNumSteps) || warmupNumSteps <= 0) {
      throw this.raise(
        'warmup_num_steps',
        'ValueError',
        `warmup_num_steps must be a positive integer, got ${warmupNumSteps}.`,
      );
    }
    this.deltaLr = maxLr - minLr;
    this.warmupSteps = Math.max(2, warmupNumSteps);
    this.inverseLogWarmup = 1.0 / Math.log(this.warmupSteps);
    group.lr = minLr;
  }
  private gamma(): number {
    const iteration = this.lastBatchIteration;
    if (iteration < this.warmupSteps) {
      return this.shape === 'log' ? this.inverseLogWarmup * Math.log(iteration + 1) : iteration / this.warmupSteps;
    }
    if (this.totalNumSteps === undefined) return 1.0;
    return Math.max(0.0, (this.totalNumSteps - iteration) / Math.max(1.0, this.totalNumSteps - this.warmupSteps));
  }
  protected apply(): void {
    this.group.lr = this.lastBatchIteration < 0 ? this.minLr : this.minLr + this.deltaLr * this.gamma();
  }
  markers(horizon: number): ScheduleMarker[] {
    // lr[i] is computed for batch iteration i-1, so the warm-up value 1.0 first shows at step warmup_num_steps + 1.
    const out: ScheduleMarker[] = [];
    if (this.warmupSteps + 1 < horizon)
      out.push({ step: this.warmupSteps + 1, kind: 'warmup-end', label: `${this.className} warm-up ends` });
    if (this.totalNumSteps !== undefined && this.totalNumSteps + 1 < horizon && this.totalNumSteps > this.warmupSteps) {
      out.push({ step: this.totalNumSteps + 1, kind: 'end', label: 'WarmupDecayLR reaches warmup_min_lr' });
    }
    return out;
  }
}

export class WarmupCosineLrScheduler extends DeepSpeedScheduler {
  private readonly warmupSteps: number;
  private readonly inverseLogWarmup: number;
  private readonly originalLr: number;
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly totalNumSteps: number,
    private readonly warmupMinRatio: number,
    warmupNumSteps: number,
    private readonly cosMinRatio: number,
    private readonly shape: WarmupShape,
  ) {
    super('WarmupCosineLR', path, group);
    if (!Number.isInteger(warmupNumSteps) || warmupNumSteps <= 0) {
      throw this.raise(
        'warmup_num_steps',
        'ValueError',
        `warmup_num_steps must be a positive integer, got ${warmupNumSteps}.`,
      );
    }
    this.warmupSteps = Math.max(2, warmupNumSteps);
    this.inverseLogWarmup = 1.0 / Math.log(this.warmupSteps);
    this.originalLr = group.lr;
    group.lr = 0.0;
  }
  private ratio(): number {
    const iteration = this.lastBatchIteration;
    if (iteration < this.warmupSteps) {
      const raw = this.shape === 'log' ? this.inverseLogWarmup * Math.log(iteration + 1) : iteration / this.warmupSteps;
      return this.warmupMinRatio + raw * (1 - this.warmupMinRatio);
    }
    const realLastStep = iteration - this.warmupSteps + 1;
    const realTotalSteps = Math.max(1, this.totalNumSteps - this.warmupSteps);
    const progress = Math.min(1.0, realLastStep / realTotalSteps);
    const cosine = (1 + Math.cos(Math.PI * progress)) / 2;
    return Math.max(0.0, this.cosMinRatio + (1 - this.cosMinRatio) * cosine);
  }
  protected apply(): void {
    this.group.lr = this.lastBatchIteration < 0 ? 0.0 : this.originalLr * this.ratio();
  }
  markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    if (this.warmupSteps + 1 < horizon)
      out.push({ step: this.warmupSteps + 1, kind: 'warmup-end', label: 'WarmupCosineLR warm-up ends' });
    if (this.totalNumSteps + 1 < horizon)
      out.push({ step: this.totalNumSteps + 1, kind: 'end', label: 'WarmupCosineLR reaches cos_min_ratio' });
    return out;
  }
}

export interface DeepSpeedOneCycleOptions {
  readonly cycleMinLr: number;
  readonly cycleMaxLr: number;
  readonly decayLrRate: number;
  readonly cycleFirstStepSize: number;
  readonly cycleSecondStepSize: number | undefined;
  readonly cycleFirstStairCount: number;
  readonly cycleSecondStairCount: number | undefined;
  readonly decayStepSize: number;
  readonly cycleMomentum: boolean;
  readonly cycleMinMom: number;
  readonly cycleMaxMom: number;
  readonly decayMomRate: number;
}

/** DeepSpeed's 1Cycle: a triangle between cycle_min_lr and cycle_max_lr, then optional decay; momentum acts on betas[0]. */
export class DeepSpeedOneCycleScheduler extends DeepSpeedScheduler {
  private readonly firstStepSize: number;
  private readonly secondStepSize: number;
  private readonly totalSize: number;
  private readonly stepRatio: number;
  private readonly firstStairCount: number;
  private readonly secondStairCount: number;
  private readonly skipLrDecay: boolean;
  private readonly skipMomentumDecay: boolean;
  private readonly cycleMomentum: boolean;
  /** beta2 while DeepSpeed cycles momentum: it writes (momentum, 0.99) into betas. */
  static readonly BETA2 = 0.99;
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly options: DeepSpeedOneCycleOptions,
    warn: (key: string, message: string) => void,
  ) {
    super('OneCycle', path, group);
    this.firstStepSize = options.cycleFirstStepSize;
    this.secondStepSize = options.cycleSecondStepSize ?? this.firstStepSize;
    this.totalSize = this.firstStepSize + this.secondStepSize;
    this.stepRatio = pyDivide(this.firstStepSize, this.totalSize, () =>
      this.raise('cycle_first_step_size', 'ZeroDivisionError', 'the cycle has length 0.'),
    );
    this.firstStairCount = options.cycleFirstStairCount;
    this.secondStairCount = options.cycleSecondStairCount ?? options.cycleFirstStairCount;
    const noDecaySteps = options.decayStepSize === 0;
    this.skipLrDecay = noDecaySteps || options.decayLrRate === 0;
    group.lr = options.cycleMinLr;
    let cycleMomentum = options.cycleMomentum;
    let skipMomentumDecay = noDecaySteps;
    if (cycleMomentum) {
      if (!group.hasBetas) {
        warn(
          'cycle_momentum',
          'DeepSpeed OneCycle cycles betas[0] only: the optimizer has no betas, so momentum cycling is disabled (with a logged warning).',
        );
        cycleMomentum = false;
      } else {
        group.beta1 = options.cycleMinMom;
        group.beta2 = DeepSpeedOneCycleScheduler.BETA2;
        group.cyclesBetas = true;
        if (options.decayMomRate === 0) skipMomentumDecay = true;
      }
    }
    this.cycleMomentum = cycleMomentum;
    this.skipMomentumDecay = skipMomentumDecay;
  }
  private scaleFactor(): number {
    const batchIteration = this.lastBatchIteration + 1;
    const cycle = Math.floor(1 + batchIteration / this.totalSize);
    const x = 1 + batchIteration / this.totalSize - cycle;
    const zero = (): LibraryRaise =>
      this.raise('cycle_first_step_size', 'ZeroDivisionError', 'a half cycle has length 0.');
    let scale: number;
    let stairCount: number;
    if (x <= this.stepRatio) {
      scale = pyDivide(x, this.stepRatio, zero);
      stairCount = this.firstStairCount;
    } else {
      scale = pyDivide(x - 1, this.stepRatio - 1, zero);
      stairCount = this.secondStairCount;
    }
    if (stairCount > 0) {
      const cycleIteration = pyModulo(batchIteration, this.totalSize);
      const position =
        cycleIteration <= this.firstStepSize
          ? pyDivide(cycleIteration * stairCount, this.firstStepSize, zero)
          : pyDivide((this.totalSize - cycleIteration) * stairCount, this.secondStepSize, zero);
      scale = Math.floor(position) / stairCount;
    }
    return scale;
  }
  protected apply(): void {
    const { cycleMinLr, cycleMaxLr, decayLrRate, decayStepSize, cycleMinMom, cycleMaxMom, decayMomRate } = this.options;
    const inCycle = this.lastBatchIteration < this.totalSize;
    const decayIteration = this.lastBatchIteration - this.totalSize + 1;
    const scale = inCycle ? this.scaleFactor() : 0;
    if (inCycle) this.group.lr = cycleMinLr + (cycleMaxLr - cycleMinLr) * scale;
    else
      this.group.lr = this.skipLrDecay ? cycleMinLr : cycleMinLr / (1 + decayLrRate * (decayIteration / decayStepSize));
    if (!this.cycleMomentum) return;
    if (inCycle) this.group.beta1 = cycleMaxMom - (cycleMaxMom - cycleMinMom) * scale;
    else
      this.group.beta1 = this.skipMomentumDecay
        ? cycleMaxMom
        : cycleMaxMom * (1 + decayMomRate * (decayIteration / decayStepSize));
    this.group.beta2 = DeepSpeedOneCycleScheduler.BETA2;
  }
  markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    const peak = Math.round(this.firstStepSize);
    const end = Math.round(this.totalSize);
    if (peak > 0 && peak < horizon) out.push({ step: peak, kind: 'peak', label: 'OneCycle reaches cycle_max_lr' });
    if (end < horizon) out.push({ step: end, kind: 'phase', label: 'OneCycle cycle ends, decay phase starts' });
    return out;
  }
}

export class LrRangeTestScheduler extends DeepSpeedScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly minLr: number,
    private readonly stepSize: number,
    private readonly stepRate: number,
    private readonly staircase: boolean,
  ) {
    super('LRRangeTest', path, group);
    group.lr = minLr;
  }
  protected apply(): void {
    const raw = pyDivide(this.lastBatchIteration + 1, this.stepSize, () =>
      this.raise('lr_range_test_step_size', 'ZeroDivisionError', 'lr_range_test_step_size is 0.'),
    );
    const interval = this.staircase ? Math.floor(raw) : raw;
    this.group.lr = this.minLr * (1 + this.stepRate * interval);
  }
  markers(_horizon: number): ScheduleMarker[] {
    return [];
  }
}
