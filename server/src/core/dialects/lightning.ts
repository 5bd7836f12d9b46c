// Builds the semantic model of a Lightning CLI (jsonargparse) config: `optimizer` / `lr_scheduler` with `class_path` +
// `init_args`, `trainer.max_epochs` / `max_steps`; and litgpt recipes, whose `train:` section drives a fixed warm-up + cosine.

import { findOptimizer, findScheduler } from '../catalog/index';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock, TrainingBlock } from '../model';
import { entryOf, type MapEntry, type MapNode, type Span, type SyntaxTree } from '../syntax/tree';
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
  const scheduler = schedulerEntry ? schedulerBlock(schedulerEntry) : litgpt?.scheduler ?? null;
  return { dialect: 'lightning', tree, optimizer, scheduler, training: litgpt?.training ?? trainerRun(root, scheduler), rangeTest: null, simulate: null };
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
  if (value?.kind === 'scalar') return { typeName: stringOf(value) ?? '', typeSpan: value, params: new Map(), node: null };
  const map = value?.kind === 'map' ? value : null;
  const classEntry = map ? entryOf(map, 'class_path') : undefined;
  const initArgs = mapAt(map, 'init_args');
  return { typeName: stringOf(classEntry?.value) ?? '', typeSpan: classEntry?.value ?? entry.keySpan, params: paramsOf(initArgs, 'other', skip), node: initArgs };
}

/** A class outside torch (e.g. `bitsandbytes.optim.AdamW8bit`) is not ours to judge: it stays opaque, without a type. */
function isForeignClass(typeName: string, known: boolean): boolean {
  return !known && typeName.includes('.') && !typeName.startsWith('torch.optim.');
}

function optimizerBlock(entry: MapEntry): OptimizerBlock | null {
  const block = classBlock(entry, () => false);
  if (!block.typeName && block.node === null) return null;
  const found = block.typeName ? findOptimizer(block.typeName) : undefined;
  if (isForeignClass(block.typeName, found !== undefined)) return { ...block, typeName: '', node: null, entry: undefined, keySpan: entry.keySpan };
  return { ...block, entry: found, keySpan: entry.keySpan };
}

function schedulerBlock(entry: MapEntry): SchedulerBlock | null {
  const block = classBlock(entry, (key) => LIGHTNING_SCHEDULER_KEYS.includes(key));
  if (!block.typeName) return null;
  const found = findScheduler(block.typeName);
  if (isForeignClass(block.typeName, found !== undefined)) return null;
  // LightningCLI returns `{"scheduler": ..., "monitor": ...}` without an interval, so Lightning steps it once per epoch.
  return { ...block, entry: found, children: [], keySpan: entry.keySpan, interval: 'epoch' };
}

/**
 * The run in scheduler steps. Schedulers of a LightningCLI config step once per epoch, so the run is `max_epochs`; a
 * `max_steps` counts optimizer steps, which says nothing about the number of epochs.
 */
function trainerRun(root: MapNode | null, scheduler: SchedulerBlock | null): TrainingBlock | null {
  const trainer = mapAt(root, 'trainer');
  if (!trainer) return null;
  const params = paramsOf(trainer, 'other', (key) => key !== 'max_epochs' && key !== 'max_steps' && key !== 'min_epochs');
  const epochsEntry = entryOf(trainer, 'max_epochs');
  const epochs = positiveOf(epochsEntry?.value);
  const perEpoch = scheduler === null || scheduler.interval === 'epoch';
  const total = perEpoch ? epochs : positiveOf(entryOf(trainer, 'max_steps')?.value);
  const span = perEpoch ? epochsEntry?.value ?? undefined : entryOf(trainer, 'max_steps')?.value ?? undefined;
  return trainingOf(params, entryOf(root as MapNode, 'trainer')?.keySpan ?? trainer, total, total !== undefined ? span : undefined);
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
  params.set('num_training_steps', steps !== undefined && maxSteps ? paramOf(maxSteps, 'num_training_steps', undefined) : { ...paramOf(maxSteps ?? warmup, 'num_training_steps', 'derived'), value: undefined });
  if (minLr && numberOf(minLr.value) !== undefined) params.set('min_lr', paramOf(minLr, 'min_lr', undefined));
  else params.set('min_lr_rate', { ...paramOf(warmup, 'min_lr_rate', undefined), node: null, value: 0 });
  const scheduler: SchedulerBlock = { typeName: LITGPT_SCHEDULE, typeSpan: trainEntry.keySpan, entry, params, children: [], node: null, keySpan: trainEntry.keySpan, interval: 'step' };
  const runParams = paramsOf(train, 'other', (key) => key !== 'max_steps' && key !== 'epochs' && key !== 'global_batch_size' && key !== 'micro_batch_size');
  return { scheduler, training: trainingOf(runParams, trainEntry.keySpan, steps, steps !== undefined ? maxSteps?.value ?? undefined : undefined) };
}
