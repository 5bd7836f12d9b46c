// Builds the semantic model of a Hydra config: `_target_: torch.optim.X` / `torch.optim.lr_scheduler.X` blocks anywhere in
// the tree. Interpolations `${...}` and `???` stay opaque: they are never evaluated (a resolver may run arbitrary code).

import { findOptimizer, findScheduler } from '../catalog/index';
import type { ConfigModel, OptimizerBlock, SchedulerBlock } from '../model';
import { entryOf, type MapNode, type Span, type SyntaxTree } from '../syntax/tree';
import { paramsOf, rootMap, stringOf, walkMaps } from './common';

/** Hydra's own keys in an instantiated block; they are not arguments of the class. */
export const HYDRA_RESERVED_KEYS: readonly string[] = ['_target_', '_partial_', '_recursive_', '_convert_', '_args_'];

const OPTIMIZER_PREFIXES = ['torch.optim.', 'deepspeed.ops.'];
const SCHEDULER_PREFIXES = ['torch.optim.lr_scheduler.', 'transformers.'];

/** A `_target_` block with the span of the key that holds it. */
interface TargetBlock {
  readonly target: string;
  readonly targetSpan: Span;
  readonly map: MapNode;
  readonly keySpan: Span;
  readonly path: readonly string[];
}

export function buildHydraModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  const optimizers: TargetBlock[] = [];
  const schedulers: TargetBlock[] = [];
  walkMaps(root, (map, path, keySpan) => {
    const targetEntry = entryOf(map, '_target_');
    const target = stringOf(targetEntry?.value);
    if (!target || !targetEntry?.value) return;
    const block: TargetBlock = { target, targetSpan: targetEntry.value, map, keySpan: keySpan ?? targetEntry.keySpan, path };
    if (SCHEDULER_PREFIXES.some((prefix) => target.startsWith(prefix))) {
      if (target.startsWith('torch.') || findScheduler(target)) schedulers.push(block);
    } else if (OPTIMIZER_PREFIXES.some((prefix) => target.startsWith(prefix))) {
      optimizers.push(block);
    }
  });
  // With several blocks, the one under a key named like an optimizer / scheduler is the one the training code uses.
  const pick = (blocks: TargetBlock[], word: RegExp): TargetBlock | undefined => blocks.find((block) => word.test(block.path.join('.'))) ?? blocks[0];
  const optimizerTarget = pick(optimizers, /optim/i);
  const schedulerTarget = pick(schedulers, /sched/i);
  const skip = (key: string): boolean => HYDRA_RESERVED_KEYS.includes(key);
  const optimizer: OptimizerBlock | null = optimizerTarget
    ? { typeName: optimizerTarget.target, typeSpan: optimizerTarget.targetSpan, entry: findOptimizer(optimizerTarget.target), params: paramsOf(optimizerTarget.map, 'hydra', skip), node: optimizerTarget.map, keySpan: optimizerTarget.keySpan }
    : null;
  const scheduler: SchedulerBlock | null = schedulerTarget
    ? { typeName: schedulerTarget.target, typeSpan: schedulerTarget.targetSpan, entry: findScheduler(schedulerTarget.target), params: paramsOf(schedulerTarget.map, 'hydra', skip), children: [], node: schedulerTarget.map, keySpan: schedulerTarget.keySpan }
    : null;
  // No run length: a Hydra file's scheduler interval (step or epoch) lives in the training code, so comparing schedule
  // lengths with `trainer.max_steps` or `max_epochs` would raise false alarms.
  return { dialect: 'hydra', tree, optimizer, scheduler, training: null, rangeTest: null, simulate: null };
}
