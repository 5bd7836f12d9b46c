// Convert: writes a config's optimizer, schedule and run length in another dialect, listing exactly what cannot be carried over.

import * as YAML from 'yaml';
import { pyyamlFloatSpelling } from '../syntax/yaml11';
import { findOptimizer, OPTIMIZERS, resolveParams, torchEquivalentOf, type OptimizerEntry } from '../catalog/index';
import { HF_SCHEDULER_TYPES } from '../dialects/huggingFace';
import type { ConfigModel, OptimizerBlock, SchedulerBlock } from '../model';
import { analyze } from '../analysis';
import { computeSchedule, DEFAULT_PREVIEW_STEPS } from '../features/scheduleFacts';
import { formatNumber } from '../util/numberFormat';
import { deepSpeedRecipe, huggingFaceRecipe, recognizeRecipe, type Recipe } from './recipes';

export type { ConvertTarget } from '../catalog/dialects';
import type { ConvertTarget } from '../catalog/dialects';

export interface ConvertResult {
  readonly text: string;
  readonly format: 'yaml' | 'json';
  /** One sentence per setting that the target cannot express (empty when the conversion is exact). */
  readonly lost: string[];
  /**
   * The schedules before and after, as the engine computes them over the run: the largest difference in lr as a
   * fraction of the original's peak lr, and its step. Absent when there is no schedule on both sides to compare.
   */
  readonly scheduleDifference?: { readonly relative: number; readonly step: number; readonly steps: number };
}

/**
 * A recipe (warm-up + cosine, ...) is carried into DeepSpeed or Hugging Face when the schedule the target computes
 * stays within this fraction of the peak lr of the original at every step; otherwise it is listed as not carried.
 */
export const RECIPE_TOLERANCE = 0.05;

/** The schedules are compared over at most this many steps (a longer run is compared on its first part). */
const COMPARED_STEPS = 2_000_000;

/** The dialect-neutral content of a model: catalog names and plain values, with opaque values left out. */
interface Neutral {
  readonly optimizer: { readonly name: string; readonly params: Record<string, unknown> } | undefined;
  readonly scheduler: { readonly name: string; readonly params: Record<string, unknown> } | undefined;
  readonly steps: number | undefined;
}

function givenParams(block: OptimizerBlock | SchedulerBlock, lost: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of block.params.values()) {
    if (param.opaque) {
      lost.push(`\`${param.key}\` is only known at run time (${param.opaque}); fill it in by hand.`);
      continue;
    }
    out[param.name] = param.value;
  }
  return out;
}

function neutral(model: ConfigModel, lost: string[]): Neutral {
  const optimizer = model.optimizer;
  const scheduler = model.scheduler;
  if (optimizer && !optimizer.entry && (optimizer.typeName || optimizer.params.size > 0))
    lost.push(`The optimizer \`${optimizer.typeName || '(opaque)'}\` is not in the catalog; it is left out.`);
  if (scheduler && !scheduler.entry)
    lost.push(`The scheduler \`${scheduler.typeName}\` is not in the catalog; it is left out.`);
  let optimizerPart = optimizer?.entry
    ? { name: optimizer.entry.name, params: givenParams(optimizer, lost) }
    : undefined;
  // An optimizer outside torch.optim (DeepSpeed's Adam) is written as the torch class with the same arithmetic.
  const equivalent =
    optimizer?.entry && optimizerPart ? torchEquivalentOf(optimizer.entry, optimizerPart.params) : undefined;
  if (optimizerPart && equivalent) {
    if (optimizerPart.params['bias_correction'] === false)
      lost.push('`bias_correction: false` has no torch.optim equivalent.');
    optimizerPart = { name: equivalent.classPath.replace(/^torch\.optim\./, ''), params: equivalent.kwargs };
  }
  const schedulerPart = scheduler?.entry
    ? { name: scheduler.entry.name, params: givenParams(scheduler, lost) }
    : undefined;
  return { optimizer: optimizerPart, scheduler: schedulerPart, steps: model.training?.totalSteps };
}

/** What a target writer reads: the neutral content, the model, the recognized recipe, and where it says what is lost. */
interface TargetInput {
  content: Neutral;
  model: ConfigModel;
  recipe: Recipe | undefined;
  lost: string[];
}

export function convertConfig(model: ConfigModel, to: ConvertTarget): ConvertResult {
  const lost: string[] = [];
  const content = neutral(model, lost);
  const recipe =
    to === 'deepspeed' || to === 'hf' ? (model.scheduler ? recognizeRecipe(model.scheduler) : undefined) : undefined;
  switch (to) {
    case 'optim':
      return finish(model, to, toOptim(model, content), 'yaml', lost, undefined);
    case 'deepspeed': {
      const out = toDeepSpeed({ content, model, recipe, lost });
      return finish(model, to, out, 'json', lost, recipe && out.scheduler ? () => delete out.scheduler : undefined);
    }
    case 'lightning':
      return withComments({ text: yaml(toLightning(content, model, lost)), format: 'yaml', lost });
    case 'hf': {
      const out = toHuggingFace({ content, model, recipe, lost });
      const schedulerKeys = ['lr_scheduler_type', 'warmup_steps', 'lr_scheduler_kwargs'];
      return finish(
        model,
        to,
        out,
        'yaml',
        lost,
        recipe && out.lr_scheduler_type ? () => schedulerKeys.forEach((key) => delete out[key]) : undefined,
      );
    }
  }
}

function serialize(out: Record<string, unknown> | string, format: 'yaml' | 'json'): string {
  if (typeof out === 'string') return out;
  return format === 'json' ? `${JSON.stringify(out, null, 2)}\n` : yaml(out);
}

/**
 * Serializes, then reads the result back as the target dialect and compares the two schedules step by step. A
 * recognised recipe whose target schedule strays further than RECIPE_TOLERANCE is taken out again (`dropSchedule`)
 * and listed as not carried; any other difference is stated in `lost` with its size.
 */
function finish(
  model: ConfigModel,
  to: ConvertTarget,
  out: Record<string, unknown> | string,
  format: 'yaml' | 'json',
  lost: string[],
  dropSchedule: (() => void) | undefined,
): ConvertResult {
  let text = serialize(out, format);
  let difference = scheduleDifference(model, text, format, to);
  if (difference && !Number.isFinite(difference.relative)) {
    lost.push(
      `The converted schedule stops at step ${difference.step}, not with the original's; compare them before training.`,
    );
    difference = undefined;
  }
  if (difference && dropSchedule && difference.relative > RECIPE_TOLERANCE && typeof out !== 'string') {
    dropSchedule();
    lost.push(
      `The schedule cannot be written in ${targetName(to)} within ${percent(RECIPE_TOLERANCE)} of the peak lr (the closest differs by ${percent(difference.relative)} at step ${difference.step}); build it in code.`,
    );
    text = serialize(out, format);
    difference = undefined;
  } else if (difference && difference.relative > 0) {
    lost.push(
      `The schedule differs from the original by at most ${percent(difference.relative)} of the peak lr (at step ${difference.step} of ${difference.steps}, as the engine computes both).`,
    );
  }
  return withComments({ text, format, lost, ...(difference ? { scheduleDifference: difference } : {}) });
}

function targetName(to: ConvertTarget): string {
  return to === 'deepspeed'
    ? 'DeepSpeed'
    : to === 'hf'
      ? 'Hugging Face'
      : to === 'lightning'
        ? 'Lightning'
        : 'the native format';
}

/** A fraction as a short percentage: `0.01` -> `1%`, `0.00198` -> `0.198%`. */
function percent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}

/** The largest |lr before - lr after| over the run, relative to the original peak; undefined when either has no curve. */
function scheduleDifference(
  model: ConfigModel,
  text: string,
  format: 'yaml' | 'json',
  to: ConvertTarget,
): ConvertResult['scheduleDifference'] {
  if (!model.scheduler?.entry) return undefined;
  const steps = Math.min(model.training?.totalSteps ?? DEFAULT_PREVIEW_STEPS, COMPARED_STEPS);
  // A schedule driven by a metric (ReduceLROnPlateau) is compared on one made-up series that improves, then stalls.
  const metrics = model.scheduler.entry.needsMetric
    ? Array.from({ length: steps }, (_, step) => 1 / (1 + Math.floor(step / 10)))
    : undefined;
  const options = { steps, ...(metrics ? { metrics } : {}) };
  const before = computeSchedule(model, options)?.series;
  const converted = analyze(text, {
    format,
    dialect: to,
    fileName: to === 'deepspeed' ? 'ds_config.json' : to === 'optim' ? 'converted.optim.yaml' : 'converted.yaml',
  }).model;
  const after = converted ? computeSchedule(converted, options)?.series : undefined;
  if (!before || !after || before.lr.length === 0 || after.lr.length === 0) return undefined;
  let peak = 0;
  for (const value of before.lr) peak = Math.max(peak, Math.abs(value));
  if (before.lr.length !== after.lr.length || peak === 0)
    return { relative: Infinity, step: Math.min(before.lr.length, after.lr.length), steps };
  let largest = 0;
  let at = 0;
  for (let step = 0; step < before.lr.length; step++) {
    const gap = Math.abs(before.lr[step]! - after.lr[step]!);
    if (gap > largest) {
      largest = gap;
      at = step;
    }
  }
  // Differences at the level of float rounding (the recursive and closed forms of one schedule) count as none.
  const relative = largest / peak <= 1e-9 ? 0 : largest / peak;
  return { relative, step: at, steps };
}

/** YAML output opens with the list of what was not carried over, as comments; JSON has no comments (see the README). */
function withComments(result: ConvertResult): ConvertResult {
  if (result.format !== 'yaml' || result.lost.length === 0) return result;
  const header = [
    '# Converted by Optimizer Lens. Not carried over, or carried with a difference:',
    ...result.lost.map((line) => `# - ${line.replace(/\r?\n/g, ' ')}`),
  ].join('\n');
  return { ...result, text: `${header}\n${result.text}` };
}

function yaml(value: object): string {
  // Numbers in scientific notation are written so that PyYAML reads them as floats too (`1e-8` -> `1.0e-8`).
  return YAML.stringify(value, { lineWidth: 0 }).replace(
    /^(\s*(?:- |[^\s#][^:#]*: ))([-+]?\d+(?:\.\d*)?[eE][-+]?\d+)$/gm,
    (_, head: string, number: string) => `${head}${pyyamlFloatSpelling(number) ?? number}`,
  );
}

function toOptim(model: ConfigModel, content: Neutral): string {
  const block = (name: string, params: Record<string, unknown>): Record<string, unknown> => ({ type: name, ...params });
  const nested = (scheduler: SchedulerBlock): Record<string, unknown> => {
    const params: Record<string, unknown> = {};
    for (const param of scheduler.params.values())
      if (!param.opaque && param.name !== 'schedulers') params[param.name] = param.value;
    if (scheduler.children.length > 0) params.schedulers = scheduler.children.map(nested);
    return block(scheduler.entry?.name ?? scheduler.typeName, params);
  };
  const out: Record<string, unknown> = {};
  if (content.optimizer) out.optimizer = block(content.optimizer.name, content.optimizer.params);
  if (model.scheduler?.entry)
    out.scheduler =
      model.scheduler.children.length > 0
        ? nested(model.scheduler)
        : block(content.scheduler?.name ?? '', content.scheduler?.params ?? {});
  if (content.steps !== undefined) out.training = { steps: content.steps };
  return yaml(out);
}

function lrOf(content: Neutral): number | undefined {
  const optimizer = content.optimizer;
  if (!optimizer) return undefined;
  const entry = findOptimizer(optimizer.name);
  const lr = entry ? resolveParams(entry, optimizer.params).lr : optimizer.params.lr;
  return typeof lr === 'number' ? lr : undefined;
}

// ------------------------------------------------------------------------------------------------ DeepSpeed

/** The catalog entry of a neutral optimizer name (always an entry's own name, see `neutral`). */
function entryNamed(name: string): OptimizerEntry | undefined {
  return OPTIMIZERS.find((entry) => entry.name === name);
}

function toDeepSpeed({ content, model, recipe, lost }: TargetInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const optimizer = content.optimizer;
  if (optimizer) {
    // The catalog's ds_config spelling (DeepSpeed falls back to torch.optim by name for the others it accepts).
    const type = entryNamed(optimizer.name)?.deepspeed?.write;
    if (type === undefined) lost.push(`DeepSpeed cannot build ${optimizer.name} from a ds_config.`);
    else
      out.optimizer = {
        type,
        params: type === 'Adam' ? { ...optimizer.params, adam_w_mode: false } : optimizer.params,
      };
  }
  const scheduler = content.scheduler;
  const recipeScheduler = recipe && deepSpeedRecipe(recipe, lrOf(content));
  if (recipeScheduler) out.scheduler = recipeScheduler;
  else if (scheduler) {
    if (model.scheduler?.children.length) nestedLost(model, 'DeepSpeed', lost);
    const converted = deepSpeedScheduler(scheduler.name, scheduler.params, content, lost);
    if (converted) out.scheduler = converted;
  }
  return out;
}

function nestedLost(model: ConfigModel, target: string, lost: string[]): void {
  lost.push(
    `${model.scheduler?.entry?.name ?? 'The scheduler'} of ${model.scheduler?.children.map((child) => child.entry?.name ?? child.typeName).join(' and ')} is not one of the recipes ${target} can express (linear warm-up then cosine, linear decay or constant).`,
  );
}

function deepSpeedScheduler(
  name: string,
  params: Record<string, unknown>,
  content: Neutral,
  lost: string[],
): Record<string, unknown> | undefined {
  if (
    name === 'WarmupLR' ||
    name === 'WarmupDecayLR' ||
    name === 'WarmupCosineLR' ||
    name === 'OneCycle' ||
    name === 'LRRangeTest'
  )
    return { type: name, params };
  const warmup = typeof params.num_warmup_steps === 'number' ? params.num_warmup_steps : 0;
  const total = typeof params.num_training_steps === 'number' ? params.num_training_steps : content.steps;
  const lr = lrOf(content);
  // DeepSpeed warm-ups need at least 1 step; its iteration lags the HF step by one, a difference of one step in the curve.
  const warmupSteps = Math.max(1, warmup);
  const lag = 'DeepSpeed schedules lag Hugging Face ones by one step (the constructor sets the lr for iteration -1).';
  switch (name) {
    case 'hf.constant':
      return undefined;
    case 'hf.constant_with_warmup':
      lost.push(lag);
      return {
        type: 'WarmupLR',
        params: {
          warmup_min_lr: 0,
          ...(lr !== undefined ? { warmup_max_lr: lr } : {}),
          warmup_num_steps: warmupSteps,
          warmup_type: 'linear',
        },
      };
    case 'hf.linear':
      if (total === undefined) break;
      lost.push(lag);
      return {
        type: 'WarmupDecayLR',
        params: {
          total_num_steps: total,
          warmup_min_lr: 0,
          ...(lr !== undefined ? { warmup_max_lr: lr } : {}),
          warmup_num_steps: warmupSteps,
          warmup_type: 'linear',
        },
      };
    case 'hf.cosine':
    case 'hf.cosine_with_min_lr': {
      if (total === undefined) break;
      const cycles = params.num_cycles ?? 0.5;
      if (cycles !== 0.5)
        lost.push(`num_cycles ${String(cycles)}: WarmupCosineLR always decays once (num_cycles 0.5).`);
      const rate =
        typeof params.min_lr_rate === 'number'
          ? params.min_lr_rate
          : typeof params.min_lr === 'number' && lr
            ? params.min_lr / lr
            : 0;
      lost.push(lag);
      return {
        type: 'WarmupCosineLR',
        params: {
          total_num_steps: total,
          warmup_min_ratio: 0,
          warmup_num_steps: warmupSteps,
          cos_min_ratio: rate,
          warmup_type: 'linear',
        },
      };
    }
  }
  lost.push(
    `${name} cannot be a DeepSpeed scheduler (DeepSpeed has WarmupLR, WarmupDecayLR, WarmupCosineLR, OneCycle and LRRangeTest); build it in code and pass it to deepspeed.initialize.`,
  );
  return undefined;
}

// ------------------------------------------------------------------------------------------------ Lightning

function torchOnly(name: string): boolean {
  const entry = findOptimizer(name);
  return entry?.library === 'torch';
}

function toLightning(content: Neutral, model: ConfigModel, lost: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const optimizer = content.optimizer;
  if (optimizer) {
    if (torchOnly(optimizer.name))
      out.optimizer = { class_path: `torch.optim.${optimizer.name}`, init_args: optimizer.params };
    else lost.push(`${optimizer.name} is not a torch.optim class; LightningCLI needs its import path (class_path).`);
  }
  const scheduler = content.scheduler;
  const family = model.scheduler?.entry?.family;
  if (scheduler) {
    if (family === 'torch' && model.scheduler?.children.length === 0) {
      out.lr_scheduler = { class_path: `torch.optim.lr_scheduler.${scheduler.name}`, init_args: scheduler.params };
      const stepSized =
        model.scheduler?.interval !== 'epoch' &&
        model.scheduler?.entry?.params.some(
          (spec) => spec.unit === 'steps' && scheduler.params[spec.name] !== undefined,
        );
      if (stepSized)
        lost.push(
          'LightningCLI steps the scheduler once per epoch, not per optimizer step: its step counts now count epochs.',
        );
      if (scheduler.name === 'ReduceLROnPlateau')
        (out.lr_scheduler as { init_args: Record<string, unknown> }).init_args = {
          monitor: 'val_loss',
          ...scheduler.params,
        };
    } else {
      if (model.scheduler?.children.length)
        lost.push(
          `${scheduler.name} of nested schedulers is converted only to the native format; LightningCLI's lr_scheduler takes one class.`,
        );
      else
        lost.push(
          `${scheduler.name} is not a torch.optim.lr_scheduler class, so LightningCLI's lr_scheduler cannot express it; build it in configure_optimizers.`,
        );
    }
  }
  if (content.steps !== undefined)
    out.trainer = model.scheduler?.interval === 'epoch' ? { max_epochs: content.steps } : { max_steps: content.steps };
  return out;
}

// ------------------------------------------------------------------------------------------------ Hugging Face

function toHuggingFace({ content, model, recipe, lost }: TargetInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const optimizer = content.optimizer;
  if (optimizer) {
    // The first of the catalog's TrainingArguments `optim` spellings, where one exists.
    const optim = entryNamed(optimizer.name)?.hfOptim?.[0];
    // learning_rate is the schedule's peak whatever builds the optimizer, so it is written either way.
    const lr = optimizer.params.lr;
    if (lr !== undefined) out.learning_rate = lr;
    if (optim === undefined)
      lost.push(
        `TrainingArguments has no \`optim\` for ${optimizer.name}; pass it to the Trainer as \`optimizers=\` (learning_rate is still the peak of the schedule).`,
      );
    else {
      out.optim = optim;
      const { lr: _lr, weight_decay: decay, betas, eps, ...rest } = optimizer.params;
      if (decay !== undefined) out.weight_decay = decay;
      if (Array.isArray(betas)) {
        out.adam_beta1 = betas[0];
        out.adam_beta2 = betas[1];
      }
      if (eps !== undefined) out.adam_epsilon = eps;
      for (const key of Object.keys(rest))
        lost.push(`Optimizer argument \`${key}\` has no TrainingArguments key (use \`optim_args\`).`);
    }
  }
  const scheduler = content.scheduler;
  if (recipe) Object.assign(out, huggingFaceRecipe(recipe, content.steps));
  else if (scheduler) {
    if (model.scheduler?.children.length) nestedLost(model, 'Hugging Face', lost);
    Object.assign(out, huggingFaceScheduler(scheduler.name, scheduler.params, content, lost));
  }
  if (content.steps !== undefined) out.max_steps = content.steps;
  return out;
}

function huggingFaceScheduler(
  name: string,
  params: Record<string, unknown>,
  content: Neutral,
  lost: string[],
): Record<string, unknown> {
  const hfName = Object.entries(HF_SCHEDULER_TYPES).find(([, catalog]) => catalog === name)?.[0];
  if (hfName !== undefined) {
    const { num_warmup_steps: warmup, num_training_steps: total, last_epoch: _last, ...kwargs } = params;
    if (typeof total === 'number' && content.steps !== undefined && total !== content.steps)
      lost.push(
        `num_training_steps ${total} differs from the run (${content.steps}); TrainingArguments uses max_steps for both.`,
      );
    return {
      lr_scheduler_type: hfName,
      // TrainingArguments raises ValueError for reduce_lr_on_plateau without an evaluation to take the metric from.
      ...(hfName === 'reduce_lr_on_plateau' ? { eval_strategy: 'steps' } : {}),
      ...(warmup !== undefined && warmup !== 0 ? { warmup_steps: warmup } : {}),
      ...(Object.keys(kwargs).length > 0 ? { lr_scheduler_kwargs: kwargs } : {}),
      ...(typeof total === 'number' && content.steps === undefined ? { max_steps: total } : {}),
    };
  }
  const lr = lrOf(content);
  const number = (key: string, fallback: number): number =>
    typeof params[key] === 'number' ? (params[key] as number) : fallback;
  if (name === 'WarmupDecayLR' || name === 'WarmupLR') {
    const linear = params.warmup_type === 'linear';
    const fromZero = number('warmup_min_lr', 0) === 0;
    const peak = params.warmup_max_lr;
    const samePeak =
      name === 'WarmupLR'
        ? peak === undefined || peak === null || peak === lr
        : peak === lr || (peak === undefined && lr === 0.001);
    if (!linear)
      lost.push(`${name} warms up logarithmically (warmup_type log, the default); Hugging Face warm-ups are linear.`);
    if (!fromZero) lost.push(`warmup_min_lr ${String(params.warmup_min_lr)}: Hugging Face warm-ups start at 0.`);
    if (!samePeak)
      lost.push(
        `warmup_max_lr ${String(peak ?? 0.001)} differs from the optimizer lr; Hugging Face schedules peak at learning_rate.`,
      );
    const total = number('total_num_steps', content.steps ?? 0);
    return {
      lr_scheduler_type: name === 'WarmupLR' ? 'constant_with_warmup' : 'linear',
      warmup_steps: number('warmup_num_steps', 1000),
      ...(name === 'WarmupDecayLR' && total > 0 && content.steps === undefined ? { max_steps: total } : {}),
    };
  }
  if (name === 'WarmupCosineLR') {
    if (params.warmup_type !== 'linear')
      lost.push('WarmupCosineLR warms up logarithmically by default; Hugging Face warm-ups are linear.');
    if (number('warmup_min_ratio', 0) !== 0) lost.push('warmup_min_ratio: Hugging Face warm-ups start at 0.');
    return {
      lr_scheduler_type: 'cosine_with_min_lr',
      warmup_steps: number('warmup_num_steps', 1000),
      lr_scheduler_kwargs: { min_lr_rate: number('cos_min_ratio', 0.0001) },
      ...(content.steps === undefined ? { max_steps: number('total_num_steps', 0) } : {}),
    };
  }
  if (name === 'ReduceLROnPlateau') {
    const { last_epoch: _last, verbose: _verbose, ...kwargs } = params;
    return {
      lr_scheduler_type: 'reduce_lr_on_plateau',
      eval_strategy: 'steps',
      ...(Object.keys(kwargs).length > 0 ? { lr_scheduler_kwargs: kwargs } : {}),
    };
  }
  if (name === 'CosineAnnealingLR' && (content.steps === undefined || params.T_max === content.steps)) {
    const etaMin = number('eta_min', 0);
    return {
      lr_scheduler_type: etaMin > 0 ? 'cosine_with_min_lr' : 'cosine',
      ...(etaMin > 0 ? { lr_scheduler_kwargs: { min_lr: etaMin } } : {}),
      ...(content.steps === undefined ? { max_steps: params.T_max } : {}),
    };
  }
  lost.push(
    `Hugging Face has no ${name} schedule (lr_scheduler_type knows ${Object.keys(HF_SCHEDULER_TYPES).join(', ')}).`,
  );
  return {};
}
