// Turns a scheduler block (and nested blocks) into simulated scheduler objects, constructed in PyTorch's order on one param group.

import { findScheduler } from '../catalog/index';
import { buildHuggingFaceLambda } from './huggingFace';
import {
  DeepSpeedOneCycleScheduler,
  LrRangeTestScheduler,
  WarmupCosineLrScheduler,
  WarmupLrScheduler,
} from './deepSpeed';
import type { WarmupShape } from './deepSpeed';
import { ParamReader } from './params';
import { buildTimmScheduler } from './timm';
import { LibraryRaise } from './runtime';
import type { ParamGroup, ParamPath, SteppableScheduler } from './runtime';
import {
  ChainedSchedulerScheduler,
  ConstantLrScheduler,
  CosineAnnealingLrScheduler,
  CosineAnnealingWarmRestartsScheduler,
  CyclicLrScheduler,
  ExponentialLrScheduler,
  LambdaLrScheduler,
  LinearLrScheduler,
  MultiStepLrScheduler,
  OneCycleLrScheduler,
  PolynomialLrScheduler,
  ReduceLrOnPlateauScheduler,
  SequentialLrScheduler,
  StepLrScheduler,
} from './torchSchedulers';
import type { ScheduleIssue } from './types';

export interface BuildContext {
  readonly group: ParamGroup;
  readonly issues: ScheduleIssue[];
  /** The number of steps the caller asked for, quoted in messages such as OneCycleLR's overrun. */
  readonly runSteps: number;
  /** What the drawing assumes or leaves out, for the caller to show: notes, and the unit a point counts (timm). */
  readonly drawing: DrawingFacts;
}

export interface DrawingFacts {
  readonly notes: string[];
  /** Set when one point of the series is not one optimizer step (a timm scheduler with `t_in_epochs: true`). */
  unit?: 'epoch' | 'update';
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function error(context: BuildContext, path: ParamPath, message: string): undefined {
  context.issues.push({ path, message, severity: 'error' });
  return undefined;
}

/**
 * Constructs the scheduler for one block, with the same side effects on the param group as PyTorch's constructor.
 * Returns undefined (after recording issues) when the block cannot be evaluated; throws LibraryRaise where the library
 * itself raises during construction.
 */
export function buildScheduler(block: unknown, path: ParamPath, context: BuildContext): SteppableScheduler | undefined {
  if (!isRecord(block)) return error(context, path, 'A scheduler must be a block with a `type`.');
  const typeName = block['type'];
  if (typeof typeName !== 'string') return error(context, [...path, 'type'], 'The scheduler has no `type`.');
  const params = isRecord(block['params']) ? block['params'] : {};
  const entry = findScheduler(typeName);
  if (entry === undefined) {
    const bare = typeName.replace(/^torch\.optim\.lr_scheduler\./, '');
    if (bare === 'LambdaLR' || bare === 'MultiplicativeLR') {
      return error(
        context,
        [...path, 'type'],
        `${bare} takes a Python function (lr_lambda), which the engine cannot evaluate; use one of the named schedules (e.g. hf.linear) instead.`,
      );
    }
    return error(context, [...path, 'type'], `Unknown scheduler type '${typeName}'.`);
  }
  const reader = new ParamReader(entry, params, path, context.issues);
  if (!reader.isNone('last_epoch') && reader.raw('last_epoch') !== -1) {
    reader.fail(
      'last_epoch',
      'Resuming (last_epoch other than -1) is not simulated: with a fresh optimizer PyTorch raises KeyError because initial_lr is missing.',
    );
  }
  if (!reader.isNone('last_batch_iteration') && reader.raw('last_batch_iteration') !== -1) {
    reader.fail('last_batch_iteration', 'Resuming (last_batch_iteration other than -1) is not simulated.');
  }
  const { group } = context;
  if (entry.family === 'hf') {
    const schedule = buildHuggingFaceLambda(entry.name, reader, group);
    if (schedule === undefined || reader.failed) return undefined;
    return new LambdaLrScheduler(entry.name, path, group, schedule.factorAt, schedule.markers);
  }
  if (entry.family === 'deepspeed') return buildDeepSpeed(entry.name, reader, group);
  if (entry.family === 'timm') return buildTimmScheduler(entry.name, reader, group, context.drawing);
  return buildTorch(entry.name, reader, path, context);
}

function buildTorch(
  name: string,
  reader: ParamReader,
  path: ParamPath,
  context: BuildContext,
): SteppableScheduler | undefined {
  const { group } = context;
  switch (name) {
    case 'StepLR': {
      const stepSize = reader.integer('step_size');
      const gamma = reader.number('gamma');
      return reader.failed ? undefined : new StepLrScheduler(path, group, stepSize, gamma);
    }
    case 'MultiStepLR': {
      const milestones = reader.numberList('milestones', true);
      const gamma = reader.number('gamma');
      return reader.failed ? undefined : new MultiStepLrScheduler(path, group, milestones, gamma);
    }
    case 'ConstantLR': {
      const factor = reader.number('factor');
      const totalIters = reader.integer('total_iters');
      return reader.failed ? undefined : new ConstantLrScheduler(path, group, factor, totalIters);
    }
    case 'LinearLR': {
      const start = reader.number('start_factor');
      const end = reader.number('end_factor');
      const totalIters = reader.integer('total_iters');
      return reader.failed ? undefined : new LinearLrScheduler(path, group, start, end, totalIters);
    }
    case 'ExponentialLR': {
      const gamma = reader.number('gamma');
      return reader.failed ? undefined : new ExponentialLrScheduler(path, group, gamma);
    }
    case 'PolynomialLR': {
      const totalIters = reader.integer('total_iters');
      const power = reader.number('power');
      return reader.failed ? undefined : new PolynomialLrScheduler(path, group, totalIters, power);
    }
    case 'CosineAnnealingLR': {
      const tMax = reader.number('T_max');
      const etaMin = reader.number('eta_min');
      return reader.failed ? undefined : new CosineAnnealingLrScheduler(path, group, tMax, etaMin);
    }
    case 'CosineAnnealingWarmRestarts': {
      const t0 = reader.number('T_0');
      const tMult = reader.number('T_mult');
      const etaMin = reader.number('eta_min');
      return reader.failed ? undefined : new CosineAnnealingWarmRestartsScheduler(path, group, t0, tMult, etaMin);
    }
    case 'CyclicLR': {
      if (!reader.isNone('scale_fn')) {
        reader.fail('scale_fn', 'A custom scale_fn is a Python callable, which the engine cannot evaluate.');
      }
      const options = {
        baseLr: reader.numberOrSingleton('base_lr'),
        maxLr: reader.numberOrSingleton('max_lr'),
        stepSizeUp: reader.number('step_size_up'),
        stepSizeDown: reader.optionalNumber('step_size_down'),
        mode: reader.string('mode'),
        gamma: reader.number('gamma'),
        cycleMomentum: reader.boolean('cycle_momentum'),
        baseMomentum: reader.numberOrSingleton('base_momentum'),
        maxMomentum: reader.numberOrSingleton('max_momentum'),
      };
      reader.string('scale_mode');
      return reader.failed ? undefined : new CyclicLrScheduler(path, group, options);
    }
    case 'OneCycleLR':
      return buildOneCycleLr(reader, path, context);
    case 'ReduceLROnPlateau': {
      const options = {
        mode: reader.string('mode'),
        factor: reader.number('factor'),
        patience: reader.integer('patience'),
        threshold: reader.number('threshold'),
        thresholdMode: reader.string('threshold_mode'),
        cooldown: reader.integer('cooldown'),
        minLr: reader.numberOrSingleton('min_lr'),
        eps: reader.number('eps'),
      };
      return reader.failed ? undefined : new ReduceLrOnPlateauScheduler(path, group, options);
    }
    case 'SequentialLR':
    case 'ChainedScheduler': {
      const childBlocks = reader.raw('schedulers');
      const milestones = name === 'SequentialLR' ? reader.numberList('milestones', true) : [];
      if (!Array.isArray(childBlocks)) {
        reader.fail('schedulers', `${name} needs 'schedulers': a list of scheduler blocks.`);
        return undefined;
      }
      if (reader.failed) return undefined;
      // Sub-schedulers are constructed in list order on the same optimizer, each running its initial step.
      const children: SteppableScheduler[] = [];
      for (let index = 0; index < childBlocks.length; index++) {
        const child = buildScheduler(childBlocks[index], [...path, 'schedulers', index], context);
        if (child === undefined) return undefined;
        children.push(child);
      }
      return name === 'SequentialLR'
        ? new SequentialLrScheduler(path, group, children, milestones)
        : new ChainedSchedulerScheduler(path, children);
    }
    default:
      reader.fail(undefined, `The engine has no simulation for '${name}'.`);
      return undefined;
  }
}

function buildOneCycleLr(reader: ParamReader, path: ParamPath, context: BuildContext): SteppableScheduler | undefined {
  const maxLr = reader.numberOrSingleton('max_lr');
  const totalGiven = reader.optionalNumber('total_steps');
  const epochs = reader.optionalNumber('epochs');
  const stepsPerEpoch = reader.optionalNumber('steps_per_epoch');
  const options = {
    pctStart: reader.number('pct_start'),
    annealStrategy: reader.string('anneal_strategy'),
    cycleMomentum: reader.boolean('cycle_momentum'),
    baseMomentum: reader.numberOrSingleton('base_momentum'),
    maxMomentum: reader.numberOrSingleton('max_momentum'),
    divFactor: reader.number('div_factor'),
    finalDivFactor: reader.number('final_div_factor'),
    threePhase: reader.boolean('three_phase'),
  };
  if (reader.failed) return undefined;
  const raise = (key: string | undefined, detail: string): LibraryRaise =>
    new LibraryRaise(key === undefined ? path : [...path, key], 'OneCycleLR raises ValueError', detail);
  let totalSteps: number;
  let totalStepsKey: string;
  if (totalGiven === undefined && epochs === undefined && stepsPerEpoch === undefined) {
    throw raise(undefined, 'it needs either total_steps or both epochs and steps_per_epoch.');
  } else if (totalGiven !== undefined) {
    if (totalGiven <= 0 || !Number.isInteger(totalGiven))
      throw raise('total_steps', `total_steps must be a positive integer, got ${totalGiven}.`);
    totalSteps = totalGiven;
    totalStepsKey = 'total_steps';
  } else {
    if (epochs === undefined || epochs <= 0 || !Number.isInteger(epochs))
      throw raise('epochs', `epochs must be a positive integer, got ${epochs ?? 'None'}.`);
    if (stepsPerEpoch === undefined || stepsPerEpoch <= 0 || !Number.isInteger(stepsPerEpoch)) {
      throw raise('steps_per_epoch', `steps_per_epoch must be a positive integer, got ${stepsPerEpoch ?? 'None'}.`);
    }
    totalSteps = epochs * stepsPerEpoch;
    totalStepsKey = 'epochs';
  }
  return new OneCycleLrScheduler(path, context.group, {
    ...options,
    maxLr,
    totalSteps,
    totalStepsKey,
    runSteps: context.runSteps,
  });
}

function warmupShape(reader: ParamReader): WarmupShape {
  const shape = reader.string('warmup_type');
  if (shape === 'log' || shape === 'linear' || reader.failed) return shape === 'linear' ? 'linear' : 'log';
  reader.warn('warmup_type', `DeepSpeed does not know warmup_type '${shape}': it logs a warning and uses 'log'.`);
  return 'log';
}

function buildDeepSpeed(name: string, reader: ParamReader, group: ParamGroup): SteppableScheduler | undefined {
  const path = reader.path;
  switch (name) {
    case 'WarmupLR':
    case 'WarmupDecayLR': {
      const total = name === 'WarmupDecayLR' ? reader.number('total_num_steps') : undefined;
      const minLr = reader.numberOrSingleton('warmup_min_lr');
      const maxLr = reader.isNone('warmup_max_lr') ? group.lr : reader.numberOrSingleton('warmup_max_lr');
      const warmupSteps = reader.number('warmup_num_steps');
      const shape = warmupShape(reader);
      return reader.failed
        ? undefined
        : new WarmupLrScheduler(name, path, group, minLr, maxLr, warmupSteps, shape, total);
    }
    case 'WarmupCosineLR': {
      const total = reader.number('total_num_steps');
      const warmupMinRatio = reader.number('warmup_min_ratio');
      const warmupSteps = reader.number('warmup_num_steps');
      const cosMinRatio = reader.number('cos_min_ratio');
      const shape = warmupShape(reader);
      return reader.failed
        ? undefined
        : new WarmupCosineLrScheduler(path, group, total, warmupMinRatio, warmupSteps, cosMinRatio, shape);
    }
    case 'OneCycle': {
      const options = {
        cycleMinLr: reader.number('cycle_min_lr'),
        cycleMaxLr: reader.number('cycle_max_lr'),
        decayLrRate: reader.number('decay_lr_rate'),
        cycleFirstStepSize: reader.number('cycle_first_step_size'),
        cycleSecondStepSize: reader.optionalNumber('cycle_second_step_size'),
        cycleFirstStairCount: reader.number('cycle_first_stair_count'),
        cycleSecondStairCount: reader.optionalNumber('cycle_second_stair_count'),
        decayStepSize: reader.number('decay_step_size'),
        cycleMomentum: reader.boolean('cycle_momentum'),
        cycleMinMom: reader.number('cycle_min_mom'),
        cycleMaxMom: reader.number('cycle_max_mom'),
        decayMomRate: reader.number('decay_mom_rate'),
      };
      if (reader.failed) return undefined;
      return new DeepSpeedOneCycleScheduler(path, group, options, (key, message) => reader.warn(key, message));
    }
    case 'LRRangeTest': {
      const minLr = reader.numberOrSingleton('lr_range_test_min_lr');
      const stepSize = reader.number('lr_range_test_step_size');
      const stepRate = reader.number('lr_range_test_step_rate');
      const staircase = reader.boolean('lr_range_test_staircase');
      return reader.failed ? undefined : new LrRangeTestScheduler(path, group, minLr, stepSize, stepRate, staircase);
    }
    default:
      reader.fail(undefined, `The engine has no simulation for '${name}'.`);
      return undefined;
  }
}
