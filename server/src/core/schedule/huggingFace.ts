// The Hugging Face transformers schedules (get_scheduler types), as the lr_lambda factors that LambdaLR multiplies base_lr by.

import type { ParamReader } from './params';
import { LibraryRaise, pyDivide } from './runtime';
import type { ParamGroup } from './runtime';
import type { ScheduleMarker } from './types';
import { MAX_MARKERS_PER_SCHEDULER } from './torchSchedulers';

export interface LambdaSchedule {
  readonly factorAt: (step: number) => number;
  readonly markers: (horizon: number) => ScheduleMarker[];
}

/** The warm-up every HF schedule shares: step / max(1, num_warmup_steps). */
function warmupFactor(step: number, warmupSteps: number): number {
  return step / Math.max(1, warmupSteps);
}

function markersAt(horizon: number, ...candidates: readonly (ScheduleMarker | false)[]): ScheduleMarker[] {
  return candidates.filter(
    (marker): marker is ScheduleMarker => marker !== false && marker.step > 0 && marker.step < horizon,
  );
}

function warmupMarker(warmupSteps: number): ScheduleMarker | false {
  return warmupSteps > 0 && { step: warmupSteps, kind: 'warmup-end', label: 'warm-up ends' };
}

function endMarker(trainingSteps: number): ScheduleMarker | false {
  return { step: trainingSteps, kind: 'end', label: 'num_training_steps reached' };
}

/**
 * The lambda for `hf.<name>`, or undefined when the arguments are unusable (issues were recorded).
 * Throws LibraryRaise where transformers raises ValueError in the factory.
 */
export function buildHuggingFaceLambda(
  name: string,
  reader: ParamReader,
  group: ParamGroup,
): LambdaSchedule | undefined {
  const raise = (key: string | undefined, errorType: string, detail: string): LibraryRaise =>
    new LibraryRaise(
      key === undefined ? reader.path : [...reader.path, key],
      `transformers (${name}) raises ${errorType}`,
      detail,
    );
  switch (name) {
    case 'hf.constant':
      return { factorAt: () => 1, markers: () => [] };
    case 'hf.constant_with_warmup': {
      const warmup = reader.integer('num_warmup_steps');
      if (reader.failed) return undefined;
      return {
        factorAt: (step) => (step < warmup ? step / Math.max(1.0, warmup) : 1.0),
        markers: (horizon) => markersAt(horizon, warmupMarker(warmup)),
      };
    }
    case 'hf.linear': {
      const warmup = reader.integer('num_warmup_steps');
      const training = reader.integer('num_training_steps');
      if (reader.failed) return undefined;
      return {
        factorAt: (step) =>
          step < warmup
            ? warmupFactor(step, warmup)
            : Math.max(0.0, (training - step) / Math.max(1, training - warmup)),
        markers: (horizon) => markersAt(horizon, warmupMarker(warmup), endMarker(training)),
      };
    }
    case 'hf.cosine':
    case 'hf.cosine_with_min_lr': {
      const warmup = reader.integer('num_warmup_steps');
      const training = reader.integer('num_training_steps');
      const cycles = reader.number('num_cycles');
      let minLrRate = 0.0;
      if (name === 'hf.cosine_with_min_lr') {
        const minLr = reader.optionalNumber('min_lr');
        const rate = reader.optionalNumber('min_lr_rate');
        if (reader.failed) return undefined;
        if (minLr !== undefined && rate !== undefined)
          throw raise('min_lr', 'ValueError', 'only one of min_lr or min_lr_rate should be set.');
        if (minLr !== undefined)
          minLrRate = pyDivide(minLr, group.defaultsLr, () =>
            raise('min_lr', 'ZeroDivisionError', "the optimizer's lr is 0."),
          );
        else if (rate === undefined)
          throw raise('min_lr_rate', 'ValueError', 'one of min_lr or min_lr_rate must be set.');
        else minLrRate = rate;
      }
      if (reader.failed) return undefined;
      return {
        factorAt: (step) => {
          if (step < warmup) return warmupFactor(step, warmup);
          const progress = (step - warmup) / Math.max(1, training - warmup);
          const factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress));
          return Math.max(0, factor * (1 - minLrRate) + minLrRate);
        },
        markers: (horizon) => markersAt(horizon, warmupMarker(warmup), endMarker(training)),
      };
    }
    case 'hf.cosine_with_restarts': {
      const warmup = reader.integer('num_warmup_steps');
      const training = reader.integer('num_training_steps');
      const cycles = reader.number('num_cycles');
      if (reader.failed) return undefined;
      return {
        factorAt: (step) => {
          if (step < warmup) return warmupFactor(step, warmup);
          const progress = (step - warmup) / Math.max(1, training - warmup);
          if (progress >= 1.0) return 0.0;
          return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * ((cycles * progress) % 1.0))));
        },
        markers: (horizon) => {
          const restarts: ScheduleMarker[] = [];
          for (let cycle = 1; cycle < cycles && restarts.length < MAX_MARKERS_PER_SCHEDULER; cycle++) {
            restarts.push({
              step: Math.ceil(warmup + (cycle * (training - warmup)) / cycles),
              kind: 'restart',
              label: 'hard restart',
            });
          }
          return markersAt(horizon, warmupMarker(warmup), ...restarts, endMarker(training));
        },
      };
    }
    case 'hf.polynomial': {
      const warmup = reader.integer('num_warmup_steps');
      const training = reader.integer('num_training_steps');
      const lrEnd = reader.number('lr_end');
      const power = reader.number('power');
      if (reader.failed) return undefined;
      const lrInit = group.defaultsLr;
      if (!(lrInit > lrEnd))
        throw raise('lr_end', 'ValueError', `lr_end (${lrEnd}) must be smaller than the optimizer's lr (${lrInit}).`);
      return {
        factorAt: (step) => {
          if (step < warmup) return warmupFactor(step, warmup);
          if (step > training) return lrEnd / lrInit;
          const decaySteps = training - warmup;
          const remaining =
            1 -
            pyDivide(step - warmup, decaySteps, () =>
              raise('num_training_steps', 'ZeroDivisionError', 'num_training_steps equals num_warmup_steps.'),
            );
          const decay = (lrInit - lrEnd) * remaining ** power + lrEnd;
          return decay / lrInit;
        },
        markers: (horizon) => markersAt(horizon, warmupMarker(warmup), endMarker(training)),
      };
    }
    case 'hf.inverse_sqrt': {
      const warmup = reader.integer('num_warmup_steps');
      const given = reader.optionalNumber('timescale');
      if (reader.failed) return undefined;
      const timescale = given ?? (warmup !== 0 ? warmup : 10_000);
      return {
        factorAt: (step) => {
          if (step < warmup) return warmupFactor(step, warmup);
          const shift = timescale - warmup;
          const ratio = pyDivide(step + shift, timescale, () =>
            raise('timescale', 'ZeroDivisionError', 'timescale is 0.'),
          );
          if (ratio < 0) throw raise('timescale', 'ValueError', 'math domain error: sqrt of a negative number.');
          const root = Math.sqrt(ratio);
          return pyDivide(1.0, root, () =>
            raise('timescale', 'ZeroDivisionError', 'sqrt((step + timescale - num_warmup_steps) / timescale) is 0.'),
          );
        },
        markers: (horizon) => markersAt(horizon, warmupMarker(warmup)),
      };
    }
    case 'hf.warmup_stable_decay':
      return buildWarmupStableDecay(reader, raise);
    default:
      reader.fail(undefined, `The engine has no formula for '${name}'.`);
      return undefined;
  }
}

const WSD_SHAPES: readonly string[] = ['linear', 'cosine', '1-sqrt'];

function buildWarmupStableDecay(
  reader: ParamReader,
  raise: (key: string | undefined, errorType: string, detail: string) => LibraryRaise,
): LambdaSchedule | undefined {
  const warmup = reader.integer('num_warmup_steps');
  const decaySteps = reader.integer('num_decay_steps');
  const training = reader.optionalInteger('num_training_steps');
  const stableGiven = reader.optionalInteger('num_stable_steps');
  const warmupType = reader.string('warmup_type');
  const decayType = reader.string('decay_type');
  const minLrRatio = reader.number('min_lr_ratio');
  const cycles = reader.number('num_cycles');
  if (reader.failed) return undefined;
  if (training === undefined && stableGiven === undefined) {
    throw raise('num_training_steps', 'ValueError', 'either num_training_steps or num_stable_steps must be specified.');
  }
  if (training !== undefined && stableGiven !== undefined) {
    reader.warn(
      'num_training_steps',
      'Both num_training_steps and num_stable_steps are given: transformers uses num_stable_steps.',
    );
  }
  if (!WSD_SHAPES.includes(warmupType))
    throw raise(
      'warmup_type',
      'ValueError',
      `unknown warmup type '${warmupType}' (expected linear, cosine or 1-sqrt).`,
    );
  if (!WSD_SHAPES.includes(decayType))
    throw raise('decay_type', 'ValueError', `unknown decay type '${decayType}' (expected linear, cosine or 1-sqrt).`);
  const stable = stableGiven ?? (training as number) - warmup - decaySteps;
  return {
    factorAt: (step) => {
      if (step < warmup) {
        const progress = step / Math.max(1, warmup);
        const factor =
          warmupType === 'linear'
            ? progress
            : warmupType === 'cosine'
              ? 0.5 * (1.0 - Math.cos(Math.PI * progress))
              : 1.0 - Math.sqrt(1.0 - progress);
        return Math.max(0.0, factor * (1.0 - minLrRatio) + minLrRatio);
      }
      if (step < warmup + stable) return 1.0;
      if (step < warmup + stable + decaySteps) {
        const progress = (step - warmup - stable) / Math.max(1, decaySteps);
        const factor =
          decayType === 'linear'
            ? 1.0 - progress
            : decayType === 'cosine'
              ? 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress))
              : 1.0 - Math.sqrt(progress);
        return Math.max(0.0, factor * (1.0 - minLrRatio) + minLrRatio);
      }
      return minLrRatio;
    },
    markers: (horizon) =>
      markersAt(
        horizon,
        warmupMarker(warmup),
        stable > 0 && { step: warmup + stable, kind: 'phase', label: 'decay starts' },
        { step: warmup + stable + decaySteps, kind: 'end', label: 'decay ends (min_lr_ratio)' },
      ),
  };
}
