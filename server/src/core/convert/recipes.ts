// Schedule recipes: the torch.optim compositions people write for warm-up + cosine, warm-up + linear decay and
// constant-with-warm-up, recognised so that a converter can write them as a DeepSpeed or Hugging Face schedule.

import { findScheduler, resolveParams } from '../catalog/index';
import type { SchedulerBlock } from '../model';

/**
 * A linear warm-up from `startFactor` x lr over `warmup` steps, then one of three shapes. Factors multiply the
 * optimizer's lr, as in torch.optim.
 */
export type Recipe =
  | {
      readonly kind: 'warmup-cosine';
      readonly startFactor: number;
      readonly warmup: number;
      readonly cosineSteps: number;
      readonly etaMin: number;
    }
  | {
      readonly kind: 'warmup-linear';
      readonly startFactor: number;
      readonly warmup: number;
      readonly decaySteps: number;
      readonly endFactor: number;
    }
  | { readonly kind: 'warmup-constant'; readonly startFactor: number; readonly warmup: number };

function paramsOf(block: SchedulerBlock): Record<string, unknown> | undefined {
  const entry = block.entry ?? findScheduler(block.typeName);
  if (!entry) return undefined;
  const given: Record<string, unknown> = {};
  for (const param of block.params.values()) {
    // A value only known at run time makes the recipe unknown too.
    if (param.opaque) return undefined;
    given[param.name] = param.value;
  }
  return resolveParams(entry, given);
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A LinearLR that ramps up to the full lr: start_factor, total_iters, with end_factor 1. */
function linearWarmup(block: SchedulerBlock): { startFactor: number; warmup: number } | undefined {
  if (block.entry?.name !== 'LinearLR') return undefined;
  const params = paramsOf(block);
  if (!params || !isNumber(params.start_factor) || !isNumber(params.total_iters) || params.end_factor !== 1)
    return undefined;
  if (params.start_factor > 1 || params.total_iters < 1) return undefined;
  return { startFactor: params.start_factor, warmup: params.total_iters };
}

/**
 * The recipe a scheduler block writes, or undefined when it is none of them. Recognised: `LinearLR` alone
 * (constant with warm-up), and `SequentialLR` of a `LinearLR` warm-up whose milestone is its own length, followed by
 * `CosineAnnealingLR` or by a `LinearLR` decay from the full lr.
 */
export function recognizeRecipe(block: SchedulerBlock): Recipe | undefined {
  const name = block.entry?.name;
  if (name === 'LinearLR' && block.children.length === 0) {
    const warmup = linearWarmup(block);
    return warmup && { kind: 'warmup-constant', ...warmup };
  }
  if (name !== 'SequentialLR' || block.children.length !== 2) return undefined;
  const milestones = block.params.get('milestones');
  if (!milestones || milestones.opaque || !Array.isArray(milestones.value) || milestones.value.length !== 1)
    return undefined;
  const [first, second] = block.children as [SchedulerBlock, SchedulerBlock];
  const warmup = linearWarmup(first);
  if (!warmup || milestones.value[0] !== warmup.warmup) return undefined;
  const params = paramsOf(second);
  if (!params) return undefined;
  if (
    second.entry?.name === 'CosineAnnealingLR' &&
    isNumber(params.T_max) &&
    isNumber(params.eta_min) &&
    params.T_max >= 1
  ) {
    return { kind: 'warmup-cosine', ...warmup, cosineSteps: params.T_max, etaMin: params.eta_min };
  }
  if (
    second.entry?.name === 'LinearLR' &&
    params.start_factor === 1 &&
    isNumber(params.end_factor) &&
    isNumber(params.total_iters) &&
    params.total_iters >= 1
  ) {
    return { kind: 'warmup-linear', ...warmup, decaySteps: params.total_iters, endFactor: params.end_factor };
  }
  return undefined;
}

/** Twelve significant digits: `0.01 * 3e-4` is written `3e-6`, not `3.0000000000000004e-6`. */
export function tidy(value: number): number {
  return Number(value.toPrecision(12));
}

/** DeepSpeed's keys of a linear warm-up from `startFactor * lr` to `lr` (WarmupLR's, which WarmupDecayLR extends). */
function deepSpeedWarmup(recipe: Recipe, lr: number): Record<string, unknown> {
  return {
    warmup_min_lr: tidy(recipe.startFactor * lr),
    warmup_max_lr: lr,
    warmup_num_steps: recipe.warmup,
    warmup_type: 'linear',
  };
}

/** The DeepSpeed scheduler for a recipe; `lr` is the optimizer's (DeepSpeed's warm-ups take absolute lrs). */
export function deepSpeedRecipe(recipe: Recipe, lr: number | undefined): Record<string, unknown> | undefined {
  switch (recipe.kind) {
    case 'warmup-cosine':
      if (lr === undefined || lr <= 0) return undefined;
      return {
        type: 'WarmupCosineLR',
        params: {
          total_num_steps: recipe.warmup + recipe.cosineSteps,
          warmup_min_ratio: recipe.startFactor,
          warmup_num_steps: recipe.warmup,
          cos_min_ratio: tidy(recipe.etaMin / lr),
          warmup_type: 'linear',
        },
      };
    case 'warmup-linear':
      if (lr === undefined) return undefined;
      // WarmupDecayLR decays back to warmup_min_lr; the measured difference says how far that is from end_factor.
      return {
        type: 'WarmupDecayLR',
        params: { total_num_steps: recipe.warmup + recipe.decaySteps, ...deepSpeedWarmup(recipe, lr) },
      };
    case 'warmup-constant':
      if (lr === undefined) return undefined;
      return { type: 'WarmupLR', params: deepSpeedWarmup(recipe, lr) };
  }
}

/** The TrainingArguments keys for a recipe. Hugging Face warm-ups start at 0 and its decays end at max_steps. */
export function huggingFaceRecipe(recipe: Recipe, runSteps: number | undefined): Record<string, unknown> {
  const maxSteps = (steps: number): Record<string, unknown> => (runSteps === undefined ? { max_steps: steps } : {});
  switch (recipe.kind) {
    case 'warmup-cosine':
      return {
        lr_scheduler_type: recipe.etaMin > 0 ? 'cosine_with_min_lr' : 'cosine',
        warmup_steps: recipe.warmup,
        ...(recipe.etaMin > 0 ? { lr_scheduler_kwargs: { min_lr: recipe.etaMin } } : {}),
        ...maxSteps(recipe.warmup + recipe.cosineSteps),
      };
    case 'warmup-linear':
      return {
        lr_scheduler_type: 'linear',
        warmup_steps: recipe.warmup,
        ...maxSteps(recipe.warmup + recipe.decaySteps),
      };
    case 'warmup-constant':
      return { lr_scheduler_type: 'constant_with_warmup', warmup_steps: recipe.warmup };
  }
}
