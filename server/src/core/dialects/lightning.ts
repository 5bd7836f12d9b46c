// Builds the semantic model of a Lightning CLI (jsonargparse) config: `optimizer` / `lr_scheduler` with `class_path` +
// `init_args`, `trainer.max_epochs` / `max_steps`; and litgpt recipes, whose `train:` section drives a fixed warm-up + cosine.

import { findScheduler } from '../catalog/index';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock, TrainingBlock } from '../model';
import { entryOf, type MapEntry, type MapNode, type Node, type Span, type SyntaxTree } from '../syntax/tree';
import { resolveOptimizerPath, resolveSchedulerPath } from './classPath';
import { mapAt, numberOf, paramOf, paramsOf, positiveOf, rootMap, stringOf, trainingOf } from './common';

/** Keys of a LightningCLI `lr_scheduler` block that Lightning consumes itself rather than passing to the scheduler. */
export const LIGHTNING_SCHEDULER_KEYS: readonly string[] = ['monitor'];

/**
 * The schedule litgpt builds in code for every recipe (litgpt `get_lr_scheduler`): a linear warm-up over
 * `train.lr_warmup_steps`, then a cosine down to `train.min_lr` at `train.max_steps`, stepped per optimizer step. That is
 * exactly Hugging Face's cosine_with_min_lr with an absolute `min_lr`.
 */
const LITGPT_SCHEDULE = 'hf.cosine_with_min_lr';

export function buildLightningModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  const holder = lightningHolder(root);
  const optimizerEntry = holder ? entryOf(holder, 'optimizer') : undefined;
  const schedulerEntry = holder ? entryOf(holder, 'lr_scheduler') : undefined;
  const optimizer = optimizerEntry ? optimizerBlock(optimizerEntry) : null;
  const litgpt = root && !schedulerEntry ? litgptSchedule(root) : null;
  const scheduler = schedulerEntry ? schedulerBlock(schedulerEntry) : (litgpt?.scheduler ?? null);
  const reader = litgpt
    ? 'litgpt (its `train:` section drives a warm-up + cosine schedule in code)'
    : 'LightningCLI (jsonargparse)';
  return {
    dialect: 'lightning',
    tree,
    optimizer,
    scheduler,
    training: litgpt?.training ?? trainerRun(root, scheduler),
    rangeTest: null,
    simulate: null,
    reader,
  };
}

/** Where the optimizer blocks are: at the top level (LightningCLI auto-configuration) or in `model.init_args`. */
function lightningHolder(root: MapNode | null): MapNode | null {
  if (!root) return null;
  if (entryOf(root, 'optimizer') || entryOf(root, 'lr_scheduler')) return root;
  return mapAt(mapAt(root, 'model'), 'init_args') ?? root;
}

interface ClassBlock {
  readonly typeName: string;
  readonly typeSpan: Span;
  readonly params: Map<string, ParamValue>;
  readonly node: MapNode | null;
}

/** `class_path` + `init_args`, or a bare class path (`optimizer: Adam`), which jsonargparse also accepts. */
function classBlock(entry: MapEntry, skip: (key: string) => boolean): ClassBlock {
  const value = entry.value;
  if (value?.kind === 'scalar')
    return { typeName: stringOf(value) ?? '', typeSpan: value, params: new Map(), node: null };
  const map = value?.kind === 'map' ? value : null;
  const classEntry = map ? entryOf(map, 'class_path') : undefined;
  const initArgs = mapAt(map, 'init_args');
  return {
    typeName: stringOf(classEntry?.value) ?? '',
    typeSpan: classEntry?.value ?? entry.keySpan,
    params: paramsOf(initArgs, 'other', skip),
    node: initArgs,
  };
}

/**
 * jsonargparse imports `class_path` exactly as written, so a class is the catalog's only when spelt exactly as in the
 * library; a misspelt name in torch.optim is kept with no entry (reported as unknown, with did-you-mean), and a class
 * outside the modules we know (e.g. `bitsandbytes.optim.AdamW8bit`, a project's own) stays opaque, without a type.
 */
function optimizerBlock(entry: MapEntry): OptimizerBlock | null {
  const block = classBlock(entry, () => false);
  if (!block.typeName && block.node === null) return null;
  if (!block.typeName) return { ...block, entry: undefined, keySpan: entry.keySpan };
  const resolved = resolveOptimizerPath(block.typeName);
  if (resolved.kind === 'external')
    return { ...block, typeName: '', node: null, entry: undefined, keySpan: entry.keySpan };
  return { ...block, entry: resolved.kind === 'catalog' ? resolved.entry : undefined, keySpan: entry.keySpan };
}

function schedulerBlock(entry: MapEntry): SchedulerBlock | null {
  const block = classBlock(entry, (key) => LIGHTNING_SCHEDULER_KEYS.includes(key));
  if (!block.typeName) return null;
  const resolved = resolveSchedulerPath(block.typeName);
  // Real but not modelled (LambdaLR is reported as code-only; others stay out of the model).
  if (resolved.kind === 'external' && !/(^|\.)(LambdaLR|MultiplicativeLR)$/.test(block.typeName)) return null;
  // LightningCLI returns `[optimizer], [scheduler]` (or, for ReduceLROnPlateau, `{"scheduler", "monitor"}`) with no
  // interval, and its `lr_scheduler:` block cannot set one: Lightning steps the scheduler once per epoch.
  return {
    ...block,
    entry: resolved.kind === 'catalog' ? resolved.entry : undefined,
    children: [],
    keySpan: entry.keySpan,
    interval: 'epoch',
  };
}

/** Lightning's default when neither `max_epochs` nor `max_steps` is set (lightning.pytorch.loops.utilities). */
export const LIGHTNING_DEFAULT_MAX_EPOCHS = 1000;

/** How many epochs a LightningCLI run lasts, as the Trainer resolves `max_epochs` and `max_steps`. */
export interface LightningEpochs {
  /** The epoch count, or undefined when unbounded (`max_epochs: -1`, or `max_steps` set without `max_epochs`). */
  readonly epochs: number | undefined;
  readonly source: 'max_epochs' | 'default' | 'unbounded';
  /** `trainer.max_epochs` as written, when it is. */
  readonly epochsNode: Node | undefined;
  /** `trainer.max_steps` (optimizer steps), when set: evidence of what a length written in steps was meant for. */
  readonly maxSteps: number | undefined;
}

export function lightningEpochs(root: MapNode | null): LightningEpochs {
  const trainer = mapAt(root, 'trainer');
  const epochsEntry = trainer ? entryOf(trainer, 'max_epochs') : undefined;
  const maxEpochs = numberOf(epochsEntry?.value);
  const maxSteps = positiveOf(trainer ? entryOf(trainer, 'max_steps')?.value : undefined);
  if (maxEpochs !== undefined && maxEpochs >= 0)
    return { epochs: maxEpochs, source: 'max_epochs', epochsNode: epochsEntry?.value ?? undefined, maxSteps };
  if (
    maxEpochs === undefined &&
    maxSteps === undefined &&
    !(epochsEntry && epochsEntry.value !== null && stringOf(epochsEntry.value) !== undefined)
  ) {
    return { epochs: LIGHTNING_DEFAULT_MAX_EPOCHS, source: 'default', epochsNode: undefined, maxSteps };
  }
  return { epochs: undefined, source: 'unbounded', epochsNode: undefined, maxSteps };
}

/**
 * How many scheduler steps a scheduler is sized for, and the argument that says it: the length after which it is
 * finished, periodic or raises. Undefined for schedulers without a length (ExponentialLR, ReduceLROnPlateau, ...).
 */
export function scheduledLength(
  scheduler: SchedulerBlock,
): { readonly length: number; readonly param: ParamValue | undefined; readonly perBatch: boolean } | undefined {
  const param = (key: string): ParamValue | undefined => scheduler.params.get(key);
  const value = (key: string): number | undefined => {
    const given = param(key);
    return given && !given.opaque && typeof given.value === 'number' && Number.isFinite(given.value)
      ? given.value
      : undefined;
  };
  switch (scheduler.entry?.name) {
    case 'StepLR':
      return value('step_size') !== undefined
        ? { length: value('step_size')!, param: param('step_size'), perBatch: false }
        : undefined;
    case 'MultiStepLR': {
      const milestones = param('milestones');
      const list = Array.isArray(milestones?.value)
        ? (milestones.value as unknown[]).filter((item): item is number => typeof item === 'number')
        : [];
      return list.length > 0 ? { length: Math.max(...list), param: milestones, perBatch: false } : undefined;
    }
    case 'LinearLR':
    case 'ConstantLR':
    case 'PolynomialLR': {
      const defaults: Record<string, number> = { LinearLR: 5, ConstantLR: 5, PolynomialLR: 5 };
      const length = value('total_iters') ?? defaults[scheduler.entry.name]!;
      return { length, param: param('total_iters'), perBatch: false };
    }
    case 'CosineAnnealingLR':
      return value('T_max') !== undefined
        ? { length: value('T_max')!, param: param('T_max'), perBatch: false }
        : undefined;
    case 'CosineAnnealingWarmRestarts':
      return value('T_0') !== undefined ? { length: value('T_0')!, param: param('T_0'), perBatch: false } : undefined;
    case 'OneCycleLR': {
      const perEpoch = value('steps_per_epoch');
      const epochs = value('epochs');
      const total =
        value('total_steps') ?? (perEpoch !== undefined && epochs !== undefined ? perEpoch * epochs : undefined);
      if (total === undefined) return undefined;
      // `steps_per_epoch` > 1 says in so many words that it expects to be stepped per batch.
      if (perEpoch !== undefined && perEpoch > 1 && value('total_steps') === undefined)
        return { length: total, param: param('steps_per_epoch'), perBatch: true };
      return { length: total, param: param('total_steps') ?? param('epochs'), perBatch: false };
    }
    case 'CyclicLR': {
      const up = value('step_size_up') ?? 2000;
      const down = value('step_size_down') ?? up;
      return { length: up + down, param: param('step_size_up'), perBatch: false };
    }
    default:
      return undefined;
  }
}

/**
 * Whether a scheduler stepped once per epoch is sized in optimizer steps: it is longer than the run's epochs, or (with
 * an unbounded epoch count) at least `max_steps` long, which no run of `max_steps` optimizer steps can reach in epochs
 * unless every epoch is a single batch.
 */
export function sizedInSteps(scheduler: SchedulerBlock, run: LightningEpochs): boolean {
  if (scheduler.interval !== 'epoch') return false;
  const sized = scheduledLength(scheduler);
  if (!sized) return false;
  if (sized.perBatch) return true;
  if (run.epochs !== undefined) return sized.length > run.epochs;
  return run.maxSteps !== undefined && sized.length >= run.maxSteps && sized.length > 1;
}

/**
 * The run in scheduler steps. Schedulers of a LightningCLI config step once per epoch, so the run is `max_epochs`; a
 * `max_steps` counts optimizer steps, which says nothing about the number of epochs.
 */
function trainerRun(root: MapNode | null, scheduler: SchedulerBlock | null): TrainingBlock | null {
  const trainer = mapAt(root, 'trainer');
  if (!trainer) return null;
  const params = paramsOf(
    trainer,
    'other',
    (key) => key !== 'max_epochs' && key !== 'max_steps' && key !== 'min_epochs',
  );
  const epochsEntry = entryOf(trainer, 'max_epochs');
  // A scheduler sized in optimizer steps but stepped per epoch is reported once, in epochs, by the Lightning rule
  // (OL310); comparing its length with the epoch count again would report the same mistake under another code.
  const stepSized = scheduler !== null && sizedInSteps(scheduler, lightningEpochs(root));
  const epochs = stepSized ? undefined : positiveOf(epochsEntry?.value);
  const perEpoch = scheduler === null || scheduler.interval === 'epoch';
  const total = perEpoch ? epochs : positiveOf(entryOf(trainer, 'max_steps')?.value);
  const span = perEpoch ? (epochsEntry?.value ?? undefined) : (entryOf(trainer, 'max_steps')?.value ?? undefined);
  return trainingOf(
    params,
    entryOf(root as MapNode, 'trainer')?.keySpan ?? trainer,
    total,
    total !== undefined ? span : undefined,
  );
}

/** litgpt: `train.lr_warmup_steps`, `train.max_steps`, `train.min_lr` become the schedule litgpt builds in code. */
function litgptSchedule(root: MapNode): { scheduler: SchedulerBlock; training: TrainingBlock } | null {
  const trainEntry = entryOf(root, 'train');
  const train = mapAt(root, 'train');
  if (!trainEntry || !train) return null;
  const warmup = entryOf(train, 'lr_warmup_steps');
  const maxSteps = entryOf(train, 'max_steps');
  const minLr = entryOf(train, 'min_lr');
  const entry = findScheduler(LITGPT_SCHEDULE);
  if (!warmup || !entry) return null;
  const params = new Map<string, ParamValue>();
  params.set('num_warmup_steps', paramOf(warmup, 'num_warmup_steps', undefined));
  const steps = positiveOf(maxSteps?.value);
  // Without `max_steps` litgpt derives the length from epochs and the dataset size, which the file does not hold.
  params.set(
    'num_training_steps',
    steps !== undefined && maxSteps
      ? paramOf(maxSteps, 'num_training_steps', undefined)
      : { ...paramOf(maxSteps ?? warmup, 'num_training_steps', 'derived'), value: undefined },
  );
  if (minLr && numberOf(minLr.value) !== undefined) params.set('min_lr', paramOf(minLr, 'min_lr', undefined));
  else params.set('min_lr_rate', { ...paramOf(warmup, 'min_lr_rate', undefined), node: null, value: 0 });
  const scheduler: SchedulerBlock = {
    typeName: LITGPT_SCHEDULE,
    typeSpan: trainEntry.keySpan,
    entry,
    params,
    children: [],
    node: null,
    keySpan: trainEntry.keySpan,
    interval: 'step',
  };
  const runParams = paramsOf(
    train,
    'other',
    (key) => key !== 'max_steps' && key !== 'epochs' && key !== 'global_batch_size' && key !== 'micro_batch_size',
  );
  return {
    scheduler,
    training: trainingOf(
      runParams,
      trainEntry.keySpan,
      steps,
      steps !== undefined ? (maxSteps?.value ?? undefined) : undefined,
    ),
  };
}
