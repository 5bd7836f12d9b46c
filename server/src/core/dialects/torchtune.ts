// Builds the semantic model of a torchtune recipe config: the `optimizer:` and `lr_scheduler:` blocks that
// `torchtune.config.instantiate` builds from their `_component_` paths, and the recipe's own run keys beside them.
// Interpolations `${...}` stay opaque: OmegaConf resolves them at run time (a resolver may run arbitrary code).

import type { ConfigModel, OptimizerBlock, SchedulerBlock } from '../model';
import { entryOf, type MapEntry, type MapNode, type SyntaxTree } from '../syntax/tree';
import { resolveOptimizerPath, resolveSchedulerPath } from './classPath';
import { mapAt, paramOf, paramsOf, rootMap, stringOf } from './common';

/** The key `torchtune.config.instantiate` reads the class or function path from (torchtune/config/_instantiate.py). */
export const TORCHTUNE_COMPONENT_KEY = '_component_';

/**
 * Arguments a torchtune recipe passes to the scheduler component itself: `config.instantiate(cfg_lr_scheduler,
 * self.optimizer, num_training_steps=total_epochs * steps_per_epoch, last_epoch=global_step - 1)`
 * (recipes/full_finetune_single_device.py `_setup_lr_scheduler`). Keyword arguments of `instantiate` are merged over
 * the config (`OmegaConf.merge(config, kwargs)`), so a value written for them in the file is replaced.
 */
export const TORCHTUNE_RECIPE_SCHEDULER_ARGS: readonly string[] = ['num_training_steps', 'last_epoch'];

/** A root block whose `_component_` is a string: the block map, its key entry and the component entry. */
interface ComponentBlock {
  readonly entry: MapEntry;
  readonly map: MapNode;
  readonly component: MapEntry;
  readonly path: string;
}

function componentBlock(root: MapNode | null, key: string): ComponentBlock | undefined {
  const entry = root ? entryOf(root, key) : undefined;
  const map = mapAt(root, key);
  const component = map ? entryOf(map, TORCHTUNE_COMPONENT_KEY) : undefined;
  const path = stringOf(component?.value)?.trim();
  if (!entry || !map || !component || !path) return undefined;
  return { entry, map, component, path };
}

/** Whether the root has an `optimizer:` or `lr_scheduler:` block with a `_component_` (detection's evidence). */
export function hasTorchtuneComponent(root: MapNode): boolean {
  return componentBlock(root, 'optimizer') !== undefined || componentBlock(root, 'lr_scheduler') !== undefined;
}

export function buildTorchtuneModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  const scheduler = schedulerOf(componentBlock(root, 'lr_scheduler'));
  // No run length: it is `epochs * min(len(dataloader) // gradient_accumulation_steps, max_steps_per_epoch)` (the
  // recipes' `_steps_per_epoch`), and the dataset size is not in the file, so even with `max_steps_per_epoch` set the
  // product is only an upper bound. The run keys are not mapped onto `training:` either: the native `epochs` means
  // something else there (it multiplies `steps_per_epoch`).
  return {
    dialect: 'torchtune',
    tree,
    optimizer: optimizerOf(componentBlock(root, 'optimizer')),
    scheduler,
    training: null,
    rangeTest: null,
    simulate: null,
    reader: 'torchtune.config.instantiate',
  };
}

/**
 * `torch.optim` classes are the catalog's when spelt exactly (a typo is kept without an entry, so it is reported as
 * unknown); classes outside it (bitsandbytes, torchao, a project's own) keep their `lr` for the schedule but no type,
 * so no rule judges arguments whose signature the catalog does not hold. A misspelt name in `bitsandbytes.optim` or
 * `torchao.optim` (modules whose names are all listed) is kept with its type and reported as unknown.
 */
function optimizerOf(block: ComponentBlock | undefined): OptimizerBlock | null {
  if (!block) return null;
  const resolved = resolveOptimizerPath(block.path);
  // `params` (the model parameters) is passed by the recipe: `config.instantiate(cfg_optimizer, params=...)`.
  const params = paramsOf(block.map, 'other', (key) => key === TORCHTUNE_COMPONENT_KEY || key === 'params');
  if (resolved.kind === 'external') {
    const lr = params.get('lr');
    return {
      typeName: '',
      typeSpan: block.entry.keySpan,
      entry: undefined,
      params: new Map(lr ? [['lr', lr]] : []),
      node: null,
      keySpan: block.entry.keySpan,
    };
  }
  return {
    typeName: block.path,
    typeSpan: block.component.value ?? block.component.keySpan,
    entry: resolved.kind === 'catalog' ? resolved.entry : undefined,
    params,
    node: block.map,
    keySpan: block.entry.keySpan,
  };
}

/**
 * The scheduler component, called as `component(optimizer, num_training_steps=..., last_epoch=..., **block)`: both
 * arguments count as given, with values known only at run time (a value written for either is replaced by the
 * recipe's; a rule says so). A scheduler the engine does not model (a project's own function) is left out, so it is
 * neither drawn nor reported.
 */
function schedulerOf(block: ComponentBlock | undefined): SchedulerBlock | null {
  if (!block) return null;
  const resolved = resolveSchedulerPath(block.path);
  if (resolved.kind === 'external' && !/(^|\.)(LambdaLR|MultiplicativeLR)$/.test(block.path)) return null;
  const entry = resolved.kind === 'catalog' ? resolved.entry : undefined;
  const typeSpan = block.component.value ?? block.component.keySpan;
  const params = paramsOf(
    block.map,
    'other',
    (key) => key === TORCHTUNE_COMPONENT_KEY || key === 'optimizer' || TORCHTUNE_RECIPE_SCHEDULER_ARGS.includes(key),
  );
  // Passed by the recipe: `num_training_steps` (epochs x steps per epoch) and `last_epoch` (`global_step - 1`, -1 on a
  // fresh run). A value written for either is kept under its key, for hover, but is as unknown as the recipe's.
  for (const name of TORCHTUNE_RECIPE_SCHEDULER_ARGS) {
    if (!entry?.params.some((param) => param.name === name)) continue;
    const written = entryOf(block.map, name);
    params.set(
      name,
      written
        ? { ...paramOf(written, name, 'derived'), value: undefined }
        : { name, key: name, keySpan: typeSpan, node: null, value: undefined, opaque: 'derived' },
    );
  }
  return {
    typeName: block.path,
    typeSpan,
    entry,
    params,
    children: [],
    node: block.map,
    keySpan: block.entry.keySpan,
    interval: 'step',
  };
}
