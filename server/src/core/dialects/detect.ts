// Dialect detection: which config format a YAML or JSON file is written in, from its name and its content.

import type { Dialect } from '../model';
import { entryOf, type MapNode, type Node, type SyntaxTree } from '../syntax/tree';
import { mapAt, rootMap, stringOf, walkMaps } from './common';
import { hasTorchtuneComponent } from './torchtune';

/** The native format is recognised by its file name. */
export const NATIVE_FILE_NAME = /\.optim\.(ya?ml|json)$/i;

/** DeepSpeed configs are usually named like this; the name alone is not enough, the content must agree. */
const DEEPSPEED_FILE_NAME = /(^|[\\/])[^\\/]*(ds_?config|deepspeed|zero[_-]?[0-3]?)[^\\/]*\.json$/i;

/** Top-level keys that only DeepSpeed configs have. */
const DEEPSPEED_MARKERS = [
  'zero_optimization',
  'train_micro_batch_size_per_gpu',
  'zero_allow_untested_optimizer',
  'zero_force_ds_cpu_optimizer',
];

/** Keys of TrainingArguments (and of axolotl / LLaMA-Factory recipes built on it) that say "a training recipe". */
const HUGGING_FACE_MARKERS = [
  'lr_scheduler_type',
  'lr_scheduler',
  'warmup_ratio',
  'warmup_steps',
  'num_train_epochs',
  'num_epochs',
  'optim',
  'per_device_train_batch_size',
  'micro_batch_size',
  'gradient_accumulation_steps',
  'max_steps',
];

/**
 * The dialect of a file, or null when it is not an optimizer config at all (then nothing is reported: no false alarms
 * on an unrelated YAML or JSON file). Checked from the most specific evidence to the least.
 */
export function detectDialectOf(tree: SyntaxTree, fileName: string): Dialect | null {
  if (NATIVE_FILE_NAME.test(fileName)) return 'optim';
  const root = rootMap(tree);
  if (!root) return null;
  if (looksLikeDeepSpeed(tree, root, fileName)) return 'deepspeed';
  if (tree.format === 'yaml') {
    // torchtune's `_component_` (read only by torchtune.config.instantiate, from YAML) in `optimizer:` or `lr_scheduler:`.
    if (hasTorchtuneComponent(root)) return 'torchtune';
    if (hasTorchTarget(root)) return 'hydra';
    if (looksLikeLightning(root)) return 'lightning';
    if (looksLikeHydra(tree, root)) return 'hydra';
  }
  if (looksLikeHuggingFace(root)) return 'hf';
  return null;
}

function isTypedBlock(node: Node | null | undefined): boolean {
  return node?.kind === 'map' && stringOf(entryOf(node, 'type')?.value) !== undefined;
}

function looksLikeDeepSpeed(tree: SyntaxTree, root: MapNode, fileName: string): boolean {
  if (tree.format !== 'json' && !DEEPSPEED_FILE_NAME.test(fileName)) return false;
  if (DEEPSPEED_MARKERS.some((key) => entryOf(root, key) !== undefined)) return true;
  const optimizer = entryOf(root, 'optimizer')?.value;
  const scheduler = entryOf(root, 'scheduler')?.value;
  // `{"type": ..., "params": {...}}` is DeepSpeed's block shape; a bare `type` would also match the native format.
  const dsBlock = (node: Node | null | undefined): boolean =>
    isTypedBlock(node) && node?.kind === 'map' && mapAt(node, 'params') !== null;
  if (dsBlock(optimizer) || dsBlock(scheduler)) return true;
  return (
    DEEPSPEED_FILE_NAME.test(fileName) &&
    (isTypedBlock(optimizer) || isTypedBlock(scheduler) || entryOf(root, 'train_batch_size') !== undefined)
  );
}

/** `_target_` prefixes of optimizers and schedulers: torch.optim, transformers' schedule factories, timm's schedulers. */
const TARGET_PREFIXES: readonly string[] = [
  'torch.optim.',
  'torch.distributed.optim.',
  'transformers.get_',
  'transformers.optimization.get_',
  'timm.scheduler.',
];

/** A Hydra `_target_` naming an optimizer or scheduler anywhere in the tree. */
function hasTorchTarget(root: MapNode): boolean {
  let found = false;
  walkMaps(root, (map) => {
    const target = stringOf(entryOf(map, '_target_')?.value);
    if (target && TARGET_PREFIXES.some((prefix) => target.startsWith(prefix))) found = true;
  });
  return found;
}

function classPathOf(node: Node | null | undefined): string | undefined {
  if (node?.kind === 'map') return stringOf(entryOf(node, 'class_path')?.value);
  return undefined;
}

function looksLikeLightning(root: MapNode): boolean {
  const blocks = [entryOf(root, 'optimizer')?.value, entryOf(root, 'lr_scheduler')?.value];
  const model = mapAt(mapAt(root, 'model'), 'init_args');
  if (model) blocks.push(entryOf(model, 'optimizer')?.value, entryOf(model, 'lr_scheduler')?.value);
  if (blocks.some((node) => classPathOf(node) !== undefined)) return true;
  // A LightningCLI config without optimizer blocks (the optimizer lives in the LightningModule) is not ours to lint.
  return false;
}

/** Hydra files without a torch `_target_`: package headers and `defaults:` overrides that touch an optimizer. */
function looksLikeHydra(tree: SyntaxTree, root: MapNode): boolean {
  const header = /^\s*#\s*@package\s/m.test(tree.text.slice(0, 2000));
  const defaults = entryOf(root, 'defaults')?.value;
  const overrides =
    defaults?.kind === 'seq' &&
    defaults.items.some(
      (item) =>
        /^override\s/.test(stringOf(item) ?? '') ||
        (item.kind === 'map' && item.entries.some((entry) => entry.key.startsWith('override '))),
    );
  if (!header && !overrides) return false;
  let optimizerish = false;
  walkMaps(root, (map, path) => {
    if (
      map.entries.some((entry) => /(^|\.)optimizer(\.|$)|(^|\.)scheduler(\.|$)/.test(entry.key)) ||
      path.some((key) => key === 'optimizer' || key === 'scheduler')
    )
      optimizerish = true;
  });
  return optimizerish || header;
}

function looksLikeHuggingFace(root: MapNode): boolean {
  if (entryOf(root, 'learning_rate') === undefined) return false;
  return HUGGING_FACE_MARKERS.some((key) => entryOf(root, key) !== undefined);
}
