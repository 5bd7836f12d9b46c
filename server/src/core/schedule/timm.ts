// timm's schedulers (timm.scheduler): the lr as a function of `t`, exactly as timm's `_get_lr(t)` computes it, stepped the
// way timm's training loop steps them (one point per epoch, or per update with `t_in_epochs: false`).

import type { ParamReader } from './params';
import { bisectRight, LibraryRaise } from './runtime';
import type { ParamGroup, ParamPath, SteppableScheduler } from './runtime';
import { MAX_MARKERS_PER_SCHEDULER } from './torchSchedulers';
import type { DrawingFacts } from './build';
import type { ScheduleMarker } from './types';

/** The lr at `t`; throws LibraryRaise where timm would raise (math domain errors, division by zero). */
type LrAt = (t: number) => number;

interface TimmShape {
  readonly lrAt: LrAt;
  readonly markers: (horizon: number) => ScheduleMarker[];
}

/** The unit `t` counts, for messages and marker labels. */
export function timmUnit(tInEpochs: boolean): { readonly singular: string; readonly plural: string } {
  return tInEpochs ? { singular: 'epoch', plural: 'epochs' } : { singular: 'update', plural: 'updates' };
}

/**
 * A timm scheduler as the engine steps it. timm's training loop calls `step(epoch + 1)` after each epoch (or
 * `step_update(num_updates)` after each update), so the value at point `t` is `_get_lr(t)` for t >= 1, and at t = 0 it
 * is what the constructor wrote: `warmup_lr_init` when there is a warm-up, the base lr otherwise.
 */
export class TimmScheduler implements SteppableScheduler {
  lastEpoch: number | undefined = 0;

  constructor(
    readonly className: string,
    readonly path: ParamPath,
    private readonly group: ParamGroup,
    private readonly shape: TimmShape,
    initialLr: number,
  ) {
    group.lr = initialLr;
  }

  step(epoch?: number): void {
    const t = epoch ?? (this.lastEpoch ?? 0) + 1;
    this.lastEpoch = t;
    this.group.lr = this.shape.lrAt(t);
  }

  initialStep(): void {
    // timm's constructor sets the lr once; there is no separate initial step.
  }

  markers(horizon: number): ScheduleMarker[] {
    return this.shape.markers(horizon).filter((marker) => marker.step > 0 && marker.step < horizon);
  }
}

/** The arguments shared by the cycle-based schedulers (cosine, tanh, poly). */
interface CycleArgs {
  readonly base: number;
  readonly tInitial: number;
  readonly lrMin: number;
  readonly cycleMul: number;
  readonly cycleDecay: number;
  readonly cycleLimit: number;
  readonly warmupT: number;
  readonly warmupLrInit: number;
  readonly warmupPrefix: boolean;
}

/** Python's `math.log(x, base)`, which raises ValueError for x <= 0 or base <= 0 and ZeroDivisionError for base 1. */
function pyLog(x: number, base: number, raise: (detail: string) => LibraryRaise): number {
  if (!(x > 0) || !(base > 0)) throw raise(`math domain error in log(${x}, ${base}).`);
  const denominator = Math.log(base);
  if (denominator === 0) throw raise('log base 1 (ZeroDivisionError).');
  return Math.log(x) / denominator;
}

/** The cycle `i`, its length `t_i` and the position `t_curr` in it, as timm's cycle schedulers compute them. */
function cyclePosition(
  t: number,
  args: CycleArgs,
  raise: (detail: string) => LibraryRaise,
): { i: number; tI: number; tCurr: number } {
  const { tInitial, cycleMul } = args;
  if (cycleMul !== 1) {
    const i = Math.floor(pyLog(1 - (t / tInitial) * (1 - cycleMul), cycleMul, raise));
    return { i, tI: cycleMul ** i * tInitial, tCurr: t - ((1 - cycleMul ** i) / (1 - cycleMul)) * tInitial };
  }
  const i = Math.floor(t / tInitial);
  return { i, tI: tInitial, tCurr: t - tInitial * i };
}

/** `get_cycle_length()`: where the last cycle ends and the lr settles at lr_min. */
export function timmCycleLength(
  args: Pick<CycleArgs, 'tInitial' | 'cycleMul' | 'cycleLimit' | 'warmupT' | 'warmupPrefix'>,
): number {
  const cycles = Math.max(1, args.cycleLimit);
  const t =
    args.cycleMul === 1
      ? args.tInitial * cycles
      : Math.floor((-args.tInitial * (args.cycleMul ** cycles - 1)) / (1 - args.cycleMul));
  return args.warmupPrefix ? t + args.warmupT : t;
}

/** A cycle scheduler's `_get_lr`: warm-up, then `curve(lr_max, t_curr, t_i)` inside a cycle, lr_min after the last. */
function cycleLr(
  args: CycleArgs,
  warmupStep: number,
  curve: (lrMax: number, tCurr: number, tI: number) => number,
  raise: (detail: string) => LibraryRaise,
): LrAt {
  return (t) => {
    if (t < args.warmupT) return args.warmupLrInit + t * warmupStep;
    const shifted = args.warmupPrefix ? t - args.warmupT : t;
    const { i, tI, tCurr } = cyclePosition(shifted, args, raise);
    if (!(i < args.cycleLimit)) return args.lrMin;
    const lrMax = args.base * args.cycleDecay ** i;
    return curve(lrMax, tCurr, tI);
  };
}

function cycleMarkers(args: CycleArgs, unit: string): (horizon: number) => ScheduleMarker[] {
  return (horizon) => {
    const markers: ScheduleMarker[] = [];
    if (args.warmupT > 0)
      markers.push({ step: args.warmupT, kind: 'warmup-end', label: `warm-up ends (${unit} ${args.warmupT})` });
    const offset = args.warmupPrefix ? args.warmupT : 0;
    let start = 0;
    let length = args.tInitial;
    for (let cycle = 1; cycle < args.cycleLimit && markers.length < MAX_MARKERS_PER_SCHEDULER; cycle++) {
      start += length;
      length *= args.cycleMul;
      const step = Math.ceil(offset + start);
      if (step >= horizon) break;
      markers.push({ step, kind: 'restart', label: `restart ${cycle} (${unit} ${step})` });
    }
    const end = timmCycleLength(args);
    if (args.cycleLimit >= 1)
      markers.push({
        step: Math.ceil(end),
        kind: 'end',
        label: `last cycle ends: lr_min from ${unit} ${Math.ceil(end)}`,
      });
    return markers;
  };
}

function readCycleArgs(reader: ParamReader, base: number): CycleArgs {
  return {
    base,
    tInitial: reader.number('t_initial'),
    lrMin: reader.number('lr_min'),
    cycleMul: reader.number('cycle_mul'),
    cycleDecay: reader.number('cycle_decay'),
    cycleLimit: reader.integer('cycle_limit'),
    warmupT: reader.number('warmup_t'),
    warmupLrInit: reader.number('warmup_lr_init'),
    warmupPrefix: reader.boolean('warmup_prefix'),
  };
}

/**
 * The timm scheduler for catalog entry `name` (`timm.CosineLRScheduler`, ...), or undefined when the arguments are
 * unusable (issues were recorded). Throws LibraryRaise where timm's constructor asserts or raises. `drawing` receives
 * what the curve leaves out or assumes: the unit of `t`, the noise.
 */
export function buildTimmScheduler(
  name: string,
  reader: ParamReader,
  group: ParamGroup,
  drawing: DrawingFacts,
): SteppableScheduler | undefined {
  const notes = drawing.notes;
  const path = reader.path;
  const className = name.replace(/^timm\./, '');
  const tInEpochs = reader.boolean('t_in_epochs');
  if (!reader.isNone('noise_range_t')) {
    notes.push(`${className} adds random noise to the lr (noise_range_t): the curve is drawn without it.`);
  }
  if (reader.failed) return undefined;
  const unit = timmUnit(tInEpochs);
  drawing.unit = tInEpochs ? 'epoch' : 'update';
  notes.push(
    tInEpochs
      ? `${className} counts epochs (t_in_epochs: true, the default): each point of this curve is one epoch (scheduler.step(epoch) at the end of each), not one optimizer update.`
      : `${className} counts optimizer updates (t_in_epochs: false): each point of this curve is one update (scheduler.step_update(num_updates)).`,
  );
  const assertion = (key: string | undefined, detail: string): LibraryRaise =>
    new LibraryRaise(key === undefined ? path : [...path, key], `timm (${className}) raises AssertionError`, detail);
  const mathError =
    (key: string) =>
    (detail: string): LibraryRaise =>
      new LibraryRaise([...path, key], `timm (${className}) raises ValueError`, detail);
  // timm's Scheduler sets `initial_lr` only where it is missing (`setdefault`), and takes it as the base lr.
  group.initialLr ??= group.lr;
  const base = group.initialLr;
  switch (name) {
    case 'timm.CosineLRScheduler':
    case 'timm.PolyLRScheduler':
    case 'timm.TanhLRScheduler': {
      const args = readCycleArgs(reader, base);
      const k = name === 'timm.TanhLRScheduler' ? 1 : reader.number('k_decay');
      const power = name === 'timm.PolyLRScheduler' ? reader.number('power') : 1;
      const lb = name === 'timm.TanhLRScheduler' ? reader.number('lb') : 0;
      const ub = name === 'timm.TanhLRScheduler' ? reader.number('ub') : 0;
      if (reader.failed) return undefined;
      if (!(args.tInitial > 0)) throw assertion('t_initial', `t_initial must be > 0, got ${args.tInitial}.`);
      if (!(args.lrMin >= 0)) throw assertion('lr_min', `lr_min must be >= 0, got ${args.lrMin}.`);
      if (name === 'timm.TanhLRScheduler') {
        if (!(lb < ub)) throw assertion('lb', `lb (${lb}) must be below ub (${ub}).`);
        if (!(args.cycleLimit >= 0))
          throw assertion('cycle_limit', `cycle_limit must be >= 0, got ${args.cycleLimit}.`);
        if (!(args.warmupT >= 0)) throw assertion('warmup_t', `warmup_t must be >= 0, got ${args.warmupT}.`);
        if (!(args.warmupLrInit >= 0))
          throw assertion('warmup_lr_init', `warmup_lr_init must be >= 0, got ${args.warmupLrInit}.`);
      }
      const raise = mathError('cycle_mul');
      const curve =
        name === 'timm.CosineLRScheduler'
          ? (lrMax: number, tCurr: number, tI: number): number =>
              args.lrMin + 0.5 * (lrMax - args.lrMin) * (1 + Math.cos((Math.PI * tCurr ** k) / tI ** k))
          : name === 'timm.PolyLRScheduler'
            ? (lrMax: number, tCurr: number, tI: number): number =>
                args.lrMin + (lrMax - args.lrMin) * (1 - tCurr ** k / tI ** k) ** power
            : (lrMax: number, tCurr: number, tI: number): number => {
                const tr = tCurr / tI;
                return args.lrMin + 0.5 * (lrMax - args.lrMin) * (1 - Math.tanh(lb * (1 - tr) + ub * tr));
              };
      // The warm-up ramps to the base lr, except TanhLR without a prefix, which ramps to its own value at warmup_t.
      let warmupStep = 1;
      if (args.warmupT) {
        const target =
          name === 'timm.TanhLRScheduler' && !args.warmupPrefix
            ? cycleLr({ ...args, warmupT: 0 }, 0, curve, raise)(args.warmupT)
            : base;
        warmupStep = (target - args.warmupLrInit) / args.warmupT;
      }
      const shape = { lrAt: cycleLr(args, warmupStep, curve, raise), markers: cycleMarkers(args, unit.singular) };
      return new TimmScheduler(className, path, group, shape, args.warmupT ? args.warmupLrInit : base);
    }
    case 'timm.StepLRScheduler':
    case 'timm.MultiStepLRScheduler': {
      const multi = name === 'timm.MultiStepLRScheduler';
      const decayEvery = multi ? Number.NaN : reader.number('decay_t');
      const milestones = multi ? reader.numberList('decay_t', true) : [];
      const decayRate = reader.number('decay_rate');
      const warmupT = reader.number('warmup_t');
      const warmupLrInit = reader.number('warmup_lr_init');
      const warmupPrefix = reader.boolean('warmup_prefix');
      if (reader.failed) return undefined;
      const warmupStep = warmupT ? (base - warmupLrInit) / warmupT : 1;
      const decays = (t: number): number => {
        if (multi) return bisectRight(milestones, t + 1);
        if (decayEvery === 0)
          throw new LibraryRaise([...path, 'decay_t'], `timm (${className}) raises ZeroDivisionError`, 'decay_t is 0.');
        return Math.floor(t / decayEvery);
      };
      const lrAt: LrAt = (t) => {
        if (t < warmupT) return warmupLrInit + t * warmupStep;
        const shifted = warmupPrefix ? t - warmupT : t;
        return base * decayRate ** decays(shifted);
      };
      const offset = warmupPrefix ? warmupT : 0;
      const markers = (horizon: number): ScheduleMarker[] => {
        const out: ScheduleMarker[] = [];
        if (warmupT > 0)
          out.push({ step: warmupT, kind: 'warmup-end', label: `warm-up ends (${unit.singular} ${warmupT})` });
        // MultiStep drops one point early: bisect_right(decay_t, t + 1) counts milestone m from t = m - 1.
        const drops = multi ? milestones.map((m) => m - 1 + offset) : [];
        if (!multi && decayEvery > 0)
          for (let at = offset + decayEvery; at < horizon && drops.length < MAX_MARKERS_PER_SCHEDULER; at += decayEvery)
            drops.push(Math.ceil(at));
        for (const step of drops)
          out.push({ step, kind: 'milestone', label: `lr × ${decayRate} (${unit.singular} ${step})` });
        return out;
      };
      return new TimmScheduler(className, path, group, { lrAt, markers }, warmupT ? warmupLrInit : base);
    }
    default:
      reader.fail(
        undefined,
        `The engine has no simulation for '${name}'${name === 'timm.PlateauLRScheduler' ? ' (it follows the metric given to step(epoch, metric))' : ''}.`,
      );
      return undefined;
  }
}
