// PyTorch 1.13's torch.optim.lr_scheduler classes, simulated step by step with the same recursive formulas and operation order.

import { LibraryRaise, bisectRight, pyDivide, pyModulo } from './runtime';
import type { ParamGroup, ParamPath, SteppableScheduler } from './runtime';
import type { ScheduleMarker } from './types';

/** Marker lists stop growing here, so a StepLR(step_size=1) over a million steps does not emit a million markers. */
export const MAX_MARKERS_PER_SCHEDULER = 100;

/** Periodic markers at first, first+period, ... below the horizon, capped. */
function periodicMarkers(
  first: number,
  period: number,
  horizon: number,
  make: (step: number, index: number) => ScheduleMarker,
): ScheduleMarker[] {
  const out: ScheduleMarker[] = [];
  if (!(period > 0)) return out;
  for (let step = first, index = 0; step < horizon && out.length < MAX_MARKERS_PER_SCHEDULER; step += period, index++) {
    out.push(make(Math.round(step), index));
  }
  return out;
}

/**
 * `_LRScheduler` with `last_epoch=-1`. Subclasses store their arguments and then call `attach()`, the equivalent
 * of `super().__init__(optimizer)` at the end of a Python constructor, which performs the initial step.
 */
export abstract class TorchLrScheduler implements SteppableScheduler {
  lastEpoch = -1;
  /** `_step_count`; CosineAnnealingLR's first-step branch reads it. */
  stepCount = 0;
  baseLr = Number.NaN;

  constructor(
    readonly className: string,
    readonly path: ParamPath,
    protected readonly group: ParamGroup,
  ) {}

  protected attach(): void {
    if (this.group.initialLr === undefined) this.group.initialLr = this.group.lr;
    this.baseLr = this.group.initialLr;
    this.lastEpoch = -1;
    this.initialStep();
  }

  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  step(epoch?: number): void {
    this.stepCount += 1;
    let lr: number;
    if (epoch === undefined) {
      this.lastEpoch += 1;
      lr = this.chainedLr(this.lastEpoch);
    } else {
      // step(epoch) is what SequentialLR uses at a milestone: the closed form where the class has one.
      this.lastEpoch = epoch;
      lr = this.closedFormLr(epoch);
    }
    this.group.lr = lr;
  }

  /** `get_lr()`: the recursive (chainable) form, reading the group's current lr. */
  protected abstract chainedLr(epoch: number): number;

  /** `_get_closed_form_lr()`, or `get_lr()` for classes without one. */
  protected closedFormLr(epoch: number): number {
    return this.chainedLr(epoch);
  }

  markers(_horizon: number): ScheduleMarker[] {
    return [];
  }

  protected raise(key: string | undefined, errorType: string, detail: string): LibraryRaise {
    return new LibraryRaise(
      key === undefined ? this.path : [...this.path, key],
      `${this.className} raises ${errorType}`,
      detail,
    );
  }
}

export class StepLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly stepSize: number,
    private readonly gamma: number,
  ) {
    super('StepLR', path, group);
    this.attach();
  }
  private readonly zeroStepSize = (): LibraryRaise =>
    this.raise('step_size', 'ZeroDivisionError', 'step_size is 0 (modulo by zero).');
  protected chainedLr(epoch: number): number {
    if (epoch === 0) return this.group.lr;
    if (this.stepSize === 0) throw this.zeroStepSize();
    if (epoch % this.stepSize !== 0) return this.group.lr;
    return this.group.lr * this.gamma;
  }
  protected override closedFormLr(epoch: number): number {
    return this.baseLr * this.gamma ** Math.floor(pyDivide(epoch, this.stepSize, this.zeroStepSize));
  }
  override markers(horizon: number): ScheduleMarker[] {
    return periodicMarkers(this.stepSize, this.stepSize, horizon, (step) => ({
      step,
      kind: 'milestone',
      label: `StepLR ×${this.gamma}`,
    }));
  }
}

export class MultiStepLrScheduler extends TorchLrScheduler {
  /** `Counter(milestones)`: a repeated milestone applies gamma**count at once. */
  private readonly counts = new Map<number, number>();
  private readonly sortedMilestones: number[];
  constructor(
    path: ParamPath,
    group: ParamGroup,
    milestones: readonly number[],
    private readonly gamma: number,
  ) {
    super('MultiStepLR', path, group);
    for (const milestone of milestones) this.counts.set(milestone, (this.counts.get(milestone) ?? 0) + 1);
    this.sortedMilestones = [...milestones].sort((a, b) => a - b);
    this.attach();
  }
  protected chainedLr(epoch: number): number {
    const count = this.counts.get(epoch);
    if (count === undefined) return this.group.lr;
    return this.group.lr * this.gamma ** count;
  }
  protected override closedFormLr(epoch: number): number {
    return this.baseLr * this.gamma ** bisectRight(this.sortedMilestones, epoch);
  }
  override markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    for (const [milestone, count] of [...this.counts.entries()].sort((a, b) => a[0] - b[0])) {
      if (milestone >= 0 && milestone < horizon && out.length < MAX_MARKERS_PER_SCHEDULER) {
        out.push({
          step: milestone,
          kind: 'milestone',
          label: `MultiStepLR ×${this.gamma}${count > 1 ? `^${count}` : ''}`,
        });
      }
    }
    return out;
  }
}

export class ConstantLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly factor: number,
    private readonly totalIters: number,
  ) {
    super('ConstantLR', path, group);
    if (factor > 1.0 || factor < 0)
      throw this.raise('factor', 'ValueError', `factor must be between 0 and 1, got ${factor}.`);
    this.attach();
  }
  protected chainedLr(epoch: number): number {
    if (epoch === 0) return this.group.lr * this.factor;
    if (epoch > this.totalIters || epoch !== this.totalIters) return this.group.lr;
    const undo = pyDivide(1.0, this.factor, () =>
      this.raise(
        'factor',
        'ZeroDivisionError',
        `factor is 0, so undoing it at total_iters (${this.totalIters}) divides by zero.`,
      ),
    );
    return this.group.lr * undo;
  }
  protected override closedFormLr(epoch: number): number {
    return this.baseLr * (this.factor + (epoch >= this.totalIters ? 1 : 0) * (1 - this.factor));
  }
  override markers(horizon: number): ScheduleMarker[] {
    return this.totalIters > 0 && this.totalIters < horizon
      ? [{ step: this.totalIters, kind: 'warmup-end', label: `ConstantLR ends (÷${this.factor})` }]
      : [];
  }
}

export class LinearLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly startFactor: number,
    private readonly endFactor: number,
    private readonly totalIters: number,
  ) {
    super('LinearLR', path, group);
    if (startFactor > 1.0 || startFactor < 0)
      throw this.raise('start_factor', 'ValueError', `start_factor must be between 0 and 1, got ${startFactor}.`);
    if (endFactor > 1.0 || endFactor < 0)
      throw this.raise('end_factor', 'ValueError', `end_factor must be between 0 and 1, got ${endFactor}.`);
    this.attach();
  }
  protected chainedLr(epoch: number): number {
    if (epoch === 0) return this.group.lr * this.startFactor;
    if (epoch > this.totalIters) return this.group.lr;
    const delta = this.endFactor - this.startFactor;
    const denominator = this.totalIters * this.startFactor + (epoch - 1) * delta;
    const ratio = pyDivide(delta, denominator, () =>
      this.raise(
        'start_factor',
        'ZeroDivisionError',
        'the recursive formula divides by total_iters·start_factor, which is 0.',
      ),
    );
    return this.group.lr * (1 + ratio);
  }
  protected override closedFormLr(epoch: number): number {
    const fraction = pyDivide(
      (this.endFactor - this.startFactor) * Math.min(this.totalIters, epoch),
      this.totalIters,
      () => this.raise('total_iters', 'ZeroDivisionError', 'total_iters is 0 (its closed form divides by it).'),
    );
    return this.baseLr * (this.startFactor + fraction);
  }
  override markers(horizon: number): ScheduleMarker[] {
    if (!(this.totalIters > 0 && this.totalIters < horizon)) return [];
    const warmup = this.endFactor > this.startFactor;
    return [
      {
        step: this.totalIters,
        kind: warmup ? 'warmup-end' : 'end',
        label: warmup ? 'LinearLR warm-up ends' : 'LinearLR ends',
      },
    ];
  }
}

export class ExponentialLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly gamma: number,
  ) {
    super('ExponentialLR', path, group);
    this.attach();
  }
  protected chainedLr(epoch: number): number {
    return epoch === 0 ? this.group.lr : this.group.lr * this.gamma;
  }
  protected override closedFormLr(epoch: number): number {
    return this.baseLr * this.gamma ** epoch;
  }
}

export class PolynomialLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly totalIters: number,
    private readonly power: number,
  ) {
    super('PolynomialLR', path, group);
    this.attach();
  }
  protected chainedLr(epoch: number): number {
    if (epoch === 0 || epoch > this.totalIters) return this.group.lr;
    const factor = ((1.0 - epoch / this.totalIters) / (1.0 - (epoch - 1) / this.totalIters)) ** this.power;
    return this.group.lr * factor;
  }
  protected override closedFormLr(epoch: number): number {
    const fraction = pyDivide(Math.min(this.totalIters, epoch), this.totalIters, () =>
      this.raise('total_iters', 'ZeroDivisionError', 'total_iters is 0 (its closed form divides by it).'),
    );
    return this.baseLr * (1.0 - fraction) ** this.power;
  }
  override markers(horizon: number): ScheduleMarker[] {
    return this.totalIters > 0 && this.totalIters < horizon
      ? [{ step: this.totalIters, kind: 'end', label: 'PolynomialLR reaches 0' }]
      : [];
  }
}

export class CosineAnnealingLrScheduler extends TorchLrScheduler {
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly tMax: number,
    private readonly etaMin: number,
  ) {
    super('CosineAnnealingLR', path, group);
    this.attach();
  }
  private readonly zeroTMax = (): LibraryRaise => this.raise('T_max', 'ZeroDivisionError', 'T_max is 0.');
  protected chainedLr(epoch: number): number {
    const { tMax, etaMin, baseLr } = this;
    if (epoch === 0) return this.group.lr;
    if (tMax === 0) throw this.zeroTMax();
    if (this.stepCount === 1 && epoch > 0)
      return etaMin + ((baseLr - etaMin) * (1 + Math.cos((epoch * Math.PI) / tMax))) / 2;
    if (pyModulo(epoch - 1 - tMax, 2 * tMax) === 0) {
      return this.group.lr + ((baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    }
    // The denominator is the previous step's numerator (the same expression), so it is reused when available.
    const denominator =
      this.numeratorEpoch === epoch - 1 ? this.numerator : 1 + Math.cos((Math.PI * (epoch - 1)) / tMax);
    if (denominator === 0)
      throw this.raise('T_max', 'ZeroDivisionError', 'the recursive cosine formula divides by zero.');
    const numerator = 1 + Math.cos((Math.PI * epoch) / tMax);
    this.numerator = numerator;
    this.numeratorEpoch = epoch;
    return (numerator / denominator) * (this.group.lr - etaMin) + etaMin;
  }
  private numerator = Number.NaN;
  private numeratorEpoch = Number.NaN;
  protected override closedFormLr(epoch: number): number {
    this.numeratorEpoch = Number.NaN;
    const angle = pyDivide(Math.PI * epoch, this.tMax, this.zeroTMax);
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos(angle))) / 2;
  }
  override markers(horizon: number): ScheduleMarker[] {
    const out = periodicMarkers(this.tMax, 2 * this.tMax, horizon, (step, index) => ({
      step,
      kind: index === 0 ? 'end' : 'milestone',
      label: index === 0 ? 'CosineAnnealingLR reaches eta_min (T_max)' : 'CosineAnnealingLR at eta_min again',
    }));
    return out.concat(
      periodicMarkers(2 * this.tMax, 2 * this.tMax, horizon, (step) => ({
        step,
        kind: 'restart',
        label: 'CosineAnnealingLR back at base lr',
      })),
    );
  }
}

export class CosineAnnealingWarmRestartsScheduler extends TorchLrScheduler {
  private tCur: number;
  private tI: number;
  constructor(
    path: ParamPath,
    group: ParamGroup,
    private readonly t0: number,
    private readonly tMult: number,
    private readonly etaMin: number,
  ) {
    super('CosineAnnealingWarmRestarts', path, group);
    if (t0 <= 0 || !Number.isInteger(t0))
      throw this.raise('T_0', 'ValueError', `T_0 must be a positive integer, got ${t0}.`);
    if (tMult < 1 || !Number.isInteger(tMult))
      throw this.raise('T_mult', 'ValueError', `T_mult must be an integer >= 1, got ${tMult}.`);
    this.tI = t0;
    this.tCur = -1;
    this.attach();
  }
  /** The class overrides step() entirely (and never touches _step_count). */
  override step(epoch?: number): void {
    let target = epoch;
    if (target === undefined && this.lastEpoch < 0) target = 0;
    if (target === undefined) {
      target = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      if (target < 0) throw this.raise(undefined, 'ValueError', `expected a non-negative epoch, got ${target}.`);
      if (target >= this.t0) {
        if (this.tMult === 1) this.tCur = pyModulo(target, this.t0);
        else {
          const cycles = Math.trunc(Math.log((target / this.t0) * (this.tMult - 1) + 1) / Math.log(this.tMult));
          this.tCur = target - (this.t0 * (this.tMult ** cycles - 1)) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** cycles;
        }
      } else {
        this.tI = this.t0;
        this.tCur = target;
      }
    }
    this.lastEpoch = Math.floor(target);
    this.group.lr = this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2;
  }
  protected chainedLr(_epoch: number): number {
    return this.group.lr;
  }
  override markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    let period = this.t0;
    for (let start = this.t0; start < horizon && out.length < MAX_MARKERS_PER_SCHEDULER;) {
      out.push({ step: start, kind: 'restart', label: `warm restart (next period ${period * this.tMult})` });
      period *= this.tMult;
      start += period;
    }
    return out;
  }
}

export type CyclicMode = 'triangular' | 'triangular2' | 'exp_range';

export class CyclicLrScheduler extends TorchLrScheduler {
  private readonly totalSize: number;
  private readonly stepRatio: number;
  private readonly cyclicBaseLr: number;
  private readonly baseMomentum: number = Number.NaN;
  private readonly stepSizeUp: number;
  constructor(
    path: ParamPath,
    group: ParamGroup,
    options: {
      baseLr: number;
      maxLr: number;
      stepSizeUp: number;
      stepSizeDown: number | undefined;
      mode: string;
      gamma: number;
      cycleMomentum: boolean;
      baseMomentum: number;
      maxMomentum: number;
    },
    private readonly maxLr = options.maxLr,
    private readonly mode = options.mode as CyclicMode,
    private readonly gamma = options.gamma,
    private readonly cycleMomentum = options.cycleMomentum,
    private readonly maxMomentum = options.maxMomentum,
  ) {
    super('CyclicLR', path, group);
    this.cyclicBaseLr = options.baseLr;
    group.lr = options.baseLr;
    this.stepSizeUp = options.stepSizeUp;
    const down = options.stepSizeDown ?? options.stepSizeUp;
    this.totalSize = options.stepSizeUp + down;
    this.stepRatio = pyDivide(options.stepSizeUp, this.totalSize, () =>
      this.raise('step_size_up', 'ZeroDivisionError', 'step_size_up + step_size_down is 0.'),
    );
    if (mode !== 'triangular' && mode !== 'triangular2' && mode !== 'exp_range') {
      throw this.raise('mode', 'ValueError', `mode '${options.mode}' is invalid and scale_fn is None.`);
    }
    if (options.cycleMomentum) {
      if (!group.hasMomentum) {
        throw this.raise(
          'cycle_momentum',
          'ValueError',
          'the optimizer has no \'momentum\' (e.g. Adam); set cycle_momentum: false ("optimizer must support momentum with `cycle_momentum` option enabled").',
        );
      }
      group.momentum = options.baseMomentum;
      this.baseMomentum = options.baseMomentum;
      group.cyclesMomentum = true;
    }
    this.attach();
    // PyTorch assigns base_lrs after the initial step, so that step used group['initial_lr'] as its base.
    this.baseLr = this.cyclicBaseLr;
  }
  /** Created once: the hot loop must not allocate. */
  private readonly zeroRatio = (): LibraryRaise =>
    this.raise('step_size_up', 'ZeroDivisionError', 'step_size_up is 0.');
  protected chainedLr(epoch: number): number {
    const cycle = Math.floor(1 + epoch / this.totalSize);
    const x = 1 + epoch / this.totalSize - cycle;
    const scaleFactor =
      x <= this.stepRatio
        ? pyDivide(x, this.stepRatio, this.zeroRatio)
        : pyDivide(x - 1, this.stepRatio - 1, this.zeroRatio);
    // The built-in modes fix scale_mode themselves: triangular and triangular2 scale per cycle, exp_range per iteration.
    const scale =
      this.mode === 'triangular' ? 1 : this.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : this.gamma ** epoch;
    const lr = this.baseLr + (this.maxLr - this.baseLr) * scaleFactor * scale;
    if (this.cycleMomentum) {
      this.group.momentum = this.maxMomentum - (this.maxMomentum - this.baseMomentum) * scaleFactor * scale;
    }
    return lr;
  }
  override markers(horizon: number): ScheduleMarker[] {
    return periodicMarkers(this.stepSizeUp, this.totalSize, horizon, () => ({
      step: 0,
      kind: 'peak',
      label: 'CyclicLR peak',
    })).map((marker, index) => ({ ...marker, step: Math.round(this.stepSizeUp + index * this.totalSize) }));
  }
}

type OneCycleLrKey = 'initial' | 'max' | 'min';
type OneCycleMomentumKey = 'max' | 'base';
interface OneCyclePhase {
  readonly endStep: number;
  readonly startLr: OneCycleLrKey;
  readonly endLr: OneCycleLrKey;
  readonly startMomentum: OneCycleMomentumKey;
  readonly endMomentum: OneCycleMomentumKey;
}

export class OneCycleLrScheduler extends TorchLrScheduler {
  private readonly phases: readonly OneCyclePhase[];
  private readonly useBeta1: boolean;
  constructor(
    path: ParamPath,
    group: ParamGroup,
    options: {
      maxLr: number;
      totalSteps: number;
      totalStepsKey: string;
      runSteps: number;
      pctStart: number;
      annealStrategy: string;
      cycleMomentum: boolean;
      baseMomentum: number;
      maxMomentum: number;
      divFactor: number;
      finalDivFactor: number;
      threePhase: boolean;
    },
    private readonly totalSteps = options.totalSteps,
    private readonly totalStepsKey = options.totalStepsKey,
    private readonly runSteps = options.runSteps,
    private readonly linear = options.annealStrategy === 'linear',
    private readonly cycleMomentum = options.cycleMomentum,
  ) {
    super('OneCycleLR', path, group);
    const total = options.totalSteps;
    const pct = options.pctStart;
    this.phases = options.threePhase
      ? [
          { endStep: pct * total - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pct * total - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: total - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: pct * total - 1, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: total - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    if (pct < 0 || pct > 1)
      throw this.raise('pct_start', 'ValueError', `pct_start must be a float between 0 and 1, got ${pct}.`);
    if (options.annealStrategy !== 'cos' && options.annealStrategy !== 'linear') {
      throw this.raise(
        'anneal_strategy',
        'ValueError',
        `anneal_strategy must be 'cos' or 'linear', got '${options.annealStrategy}'.`,
      );
    }
    group.initialLr = pyDivide(options.maxLr, options.divFactor, () =>
      this.raise('div_factor', 'ZeroDivisionError', 'div_factor is 0.'),
    );
    group.oneCycleMaxLr = options.maxLr;
    group.oneCycleMinLr = pyDivide(group.initialLr, options.finalDivFactor, () =>
      this.raise('final_div_factor', 'ZeroDivisionError', 'final_div_factor is 0.'),
    );
    this.useBeta1 = false;
    if (options.cycleMomentum) {
      if (!group.hasMomentum && !group.hasBetas) {
        throw this.raise(
          'cycle_momentum',
          'ValueError',
          'the optimizer has neither momentum nor betas; set cycle_momentum: false.',
        );
      }
      this.useBeta1 = group.hasBetas;
      if (this.useBeta1) {
        group.beta1 = options.maxMomentum;
        group.cyclesBetas = true;
      } else {
        group.momentum = options.maxMomentum;
        group.cyclesMomentum = true;
      }
      group.oneCycleMaxMomentum = options.maxMomentum;
      group.oneCycleBaseMomentum = options.baseMomentum;
    }
    this.attach();
  }
  /** Created once: the hot loop must not allocate. */
  private readonly zeroPhase = (): LibraryRaise =>
    this.raise('pct_start', 'ZeroDivisionError', 'a phase of the cycle has zero length (pct_start·total_steps is 1).');
  private lrOf(key: OneCycleLrKey): number {
    return key === 'initial'
      ? (this.group.initialLr as number)
      : key === 'max'
        ? this.group.oneCycleMaxLr
        : this.group.oneCycleMinLr;
  }
  private momentumOf(key: OneCycleMomentumKey): number {
    return key === 'max' ? this.group.oneCycleMaxMomentum : this.group.oneCycleBaseMomentum;
  }
  private anneal(start: number, end: number, pct: number): number {
    if (this.linear) return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2.0) * cosOut;
  }
  protected chainedLr(stepNumber: number): number {
    if (stepNumber > this.totalSteps) {
      throw this.raise(
        this.totalStepsKey,
        'ValueError',
        `total_steps is ${this.totalSteps} but the run has ${this.runSteps} steps ("Tried to step ${stepNumber + 1} times").`,
      );
    }
    let startStep = 0;
    const last = this.phases.length - 1;
    for (let index = 0; index <= last; index++) {
      const phase = this.phases[index]!;
      if (stepNumber <= phase.endStep || index === last) {
        const pct = pyDivide(stepNumber - startStep, phase.endStep - startStep, this.zeroPhase);
        const lr = this.anneal(this.lrOf(phase.startLr), this.lrOf(phase.endLr), pct);
        if (this.cycleMomentum) {
          const momentum = this.anneal(this.momentumOf(phase.startMomentum), this.momentumOf(phase.endMomentum), pct);
          if (this.useBeta1) this.group.beta1 = momentum;
          else this.group.momentum = momentum;
        }
        return lr;
      }
      startStep = phase.endStep;
    }
    return this.group.lr;
  }
  override markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    const labels =
      this.phases.length === 3
        ? ['OneCycleLR warm-up ends', 'OneCycleLR back at initial lr']
        : ['OneCycleLR warm-up ends'];
    labels.forEach((label, index) => {
      const step = Math.round(this.phases[index]!.endStep);
      if (step >= 0 && step < horizon) out.push({ step, kind: index === 0 ? 'warmup-end' : 'phase', label });
    });
    if (this.totalSteps - 1 < horizon)
      out.push({ step: this.totalSteps - 1, kind: 'end', label: 'OneCycleLR total_steps reached' });
    return out;
  }
}

/** ReduceLROnPlateau: not an _LRScheduler in 1.13; `step(metrics)` takes the metric where the others take an epoch. */
export class ReduceLrOnPlateauScheduler implements SteppableScheduler {
  readonly className = 'ReduceLROnPlateau';
  lastEpoch = 0;
  private best: number;
  private badEpochs = 0;
  private cooldownCounter = 0;
  private readonly reductions: ScheduleMarker[] = [];
  constructor(
    readonly path: ParamPath,
    private readonly group: ParamGroup,
    private readonly options: {
      mode: string;
      factor: number;
      patience: number;
      threshold: number;
      thresholdMode: string;
      cooldown: number;
      minLr: number;
      eps: number;
    },
  ) {
    if (options.factor >= 1.0) throw this.raise('factor', 'ValueError', `factor must be < 1.0, got ${options.factor}.`);
    if (options.mode !== 'min' && options.mode !== 'max')
      throw this.raise('mode', 'ValueError', `mode '${options.mode}' is unknown.`);
    if (options.thresholdMode !== 'rel' && options.thresholdMode !== 'abs') {
      throw this.raise('threshold_mode', 'ValueError', `threshold mode '${options.thresholdMode}' is unknown.`);
    }
    this.best = options.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  private raise(key: string | undefined, errorType: string, detail: string): LibraryRaise {
    return new LibraryRaise(
      key === undefined ? this.path : [...this.path, key],
      `ReduceLROnPlateau raises ${errorType}`,
      detail,
    );
  }
  private isBetter(value: number): boolean {
    const { mode, thresholdMode, threshold } = this.options;
    if (mode === 'min' && thresholdMode === 'rel') return value < this.best * (1 - threshold);
    if (mode === 'min') return value < this.best - threshold;
    if (thresholdMode === 'rel') return value > this.best * (threshold + 1);
    return value > this.best + threshold;
  }
  step(metric?: number): void {
    if (metric === undefined) {
      throw this.raise(
        undefined,
        'TypeError',
        'step() was called without the metric (SequentialLR and ChainedScheduler call step() with no arguments).',
      );
    }
    const epoch = this.lastEpoch + 1;
    this.lastEpoch = epoch;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.badEpochs = 0;
    } else this.badEpochs += 1;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.badEpochs = 0;
    }
    if (this.badEpochs > this.options.patience) {
      const oldLr = this.group.lr;
      const candidate = oldLr * this.options.factor;
      const newLr = this.options.minLr > candidate ? this.options.minLr : candidate;
      if (oldLr - newLr > this.options.eps) {
        this.group.lr = newLr;
        if (this.reductions.length < MAX_MARKERS_PER_SCHEDULER)
          this.reductions.push({ step: epoch, kind: 'milestone', label: 'ReduceLROnPlateau reduces lr' });
      }
      this.cooldownCounter = this.options.cooldown;
      this.badEpochs = 0;
    }
  }
  initialStep(): void {
    throw this.raise(
      undefined,
      'AttributeError',
      "it has no '_initial_step', so it cannot be the first scheduler of a SequentialLR.",
    );
  }
  markers(_horizon: number): ScheduleMarker[] {
    return this.reductions.slice();
  }
}

/** LambdaLR with a lambda the engine knows (the Hugging Face schedules): lr = base_lr · f(last_epoch). */
export class LambdaLrScheduler extends TorchLrScheduler {
  constructor(
    className: string,
    path: ParamPath,
    group: ParamGroup,
    private readonly factorAt: (epoch: number) => number,
    private readonly markerList: (horizon: number) => ScheduleMarker[],
  ) {
    super(className, path, group);
    this.attach();
  }
  /** Same as the inherited step() (LambdaLR has no closed form), minus one virtual call in the hot loop. */
  override step(epoch?: number): void {
    this.stepCount += 1;
    this.lastEpoch = epoch === undefined ? this.lastEpoch + 1 : epoch;
    this.group.lr = this.baseLr * this.factorAt(this.lastEpoch);
  }
  protected chainedLr(epoch: number): number {
    return this.baseLr * this.factorAt(epoch);
  }
  override markers(horizon: number): ScheduleMarker[] {
    return this.markerList(horizon);
  }
}

/** SequentialLR in 1.13: step(0) restarts each incoming scheduler from its closed form at epoch 0. */
export class SequentialLrScheduler implements SteppableScheduler {
  readonly className = 'SequentialLR';
  lastEpoch = 0;
  constructor(
    readonly path: ParamPath,
    group: ParamGroup,
    private readonly children: readonly SteppableScheduler[],
    private readonly milestones: readonly number[],
  ) {
    if (milestones.length !== children.length - 1) {
      throw new LibraryRaise(
        [...path, 'milestones'],
        'SequentialLR raises ValueError',
        `it needs exactly one milestone fewer than schedulers: ${children.length} schedulers but ${milestones.length} milestones.`,
      );
    }
    if (group.initialLr === undefined) {
      throw new LibraryRaise(
        [...path, 'schedulers'],
        'SequentialLR raises KeyError',
        "no sub-scheduler set group['initial_lr'].",
      );
    }
    group.lr = group.initialLr;
    children.forEach((child, index) => {
      if (child.lastEpoch === undefined) {
        throw new LibraryRaise(
          [...path, 'schedulers', index],
          'SequentialLR raises AttributeError',
          `${child.className} has no 'last_epoch', so it cannot be part of a SequentialLR.`,
        );
      }
      child.lastEpoch -= 1;
    });
    children[0]!.initialStep();
  }
  step(epoch?: number): void {
    if (epoch !== undefined)
      throw new LibraryRaise(this.path, 'SequentialLR raises TypeError', 'its step() takes no epoch argument.');
    this.lastEpoch += 1;
    const index = bisectRight(this.milestones, this.lastEpoch);
    const child = this.children[index]!;
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) child.step(0);
    else child.step();
  }
  initialStep(): void {
    this.step();
  }
  markers(horizon: number): ScheduleMarker[] {
    const out: ScheduleMarker[] = [];
    this.children.forEach((child, index) => {
      const start = index === 0 ? 0 : this.milestones[index - 1]!;
      const end = index < this.milestones.length ? this.milestones[index]! : horizon;
      if (index > 0 && start < horizon)
        out.push({ step: start, kind: 'phase', label: `SequentialLR switches to ${child.className}` });
      for (const marker of child.markers(Math.max(0, Math.min(horizon, end) - start))) {
        const step = marker.step + start;
        if (step > start && step < end && step < horizon) out.push({ ...marker, step });
      }
    });
    return out;
  }
}

/** ChainedScheduler in 1.13: no initial step of its own; each step() steps every child in order. */
export class ChainedSchedulerScheduler implements SteppableScheduler {
  readonly className = 'ChainedScheduler';
  /** The Python object has no last_epoch attribute. */
  lastEpoch: number | undefined = undefined;
  constructor(
    readonly path: ParamPath,
    private readonly children: readonly SteppableScheduler[],
  ) {
    if (children.length === 0)
      throw new LibraryRaise(
        [...path, 'schedulers'],
        'ChainedScheduler raises IndexError',
        'the schedulers list is empty.',
      );
  }
  step(epoch?: number): void {
    if (epoch !== undefined)
      throw new LibraryRaise(this.path, 'ChainedScheduler raises TypeError', 'its step() takes no epoch argument.');
    for (const child of this.children) child.step();
  }
  initialStep(): void {
    this.step();
  }
  markers(horizon: number): ScheduleMarker[] {
    return this.children.flatMap((child) => child.markers(horizon));
  }
}
