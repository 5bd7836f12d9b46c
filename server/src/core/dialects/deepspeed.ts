// Builds the semantic model of a DeepSpeed ds_config.json: `optimizer: {type, params}`, `scheduler: {type, params}`, batch sizes.

import { findScheduler } from '../catalog/index';
import { DEEPSPEED_BATCH_KEYS } from '../catalog/deepSpeedSchema';
import { findDeepSpeedOptimizer } from '../catalog/optimizers';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock, TrainingBlock } from '../model';
import { entryOf, type MapEntry, type MapNode, type Span, type SyntaxTree } from '../syntax/tree';
import { mapAt, opaqueKind, paramOf, paramsOf, positiveOf, rootMap, stringOf, trainingOf } from './common';

export function buildDeepSpeedModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  const optimizerEntry = root ? entryOf(root, 'optimizer') : undefined;
  const schedulerEntry = root ? entryOf(root, 'scheduler') : undefined;
  const optimizer = optimizerEntry ? typedBlock(optimizerEntry) : null;
  const scheduler = schedulerEntry ? typedBlock(schedulerEntry) : null;
  const optimizerBlock: OptimizerBlock | null =
    optimizer && optimizerEntry
      ? {
          ...optimizer,
          entry: optimizer.typeName ? findDeepSpeedOptimizer(optimizer.typeName) : undefined,
          keySpan: optimizerEntry.keySpan,
        }
      : null;
  const schedulerBlock: SchedulerBlock | null =
    scheduler && schedulerEntry
      ? {
          ...scheduler,
          entry: scheduler.typeName ? findScheduler(scheduler.typeName) : undefined,
          children: [],
          keySpan: schedulerEntry.keySpan,
        }
      : null;
  return {
    dialect: 'deepspeed',
    tree,
    optimizer: optimizerBlock,
    scheduler: schedulerBlock,
    training: training(root, schedulerBlock),
    rangeTest: null,
    simulate: null,
  };
}

interface TypedBlock {
  readonly typeName: string;
  readonly typeSpan: Span;
  readonly params: Map<string, ParamValue>;
  /** The `params` mapping: schedule-engine issue paths and inserted keys are relative to it. */
  readonly node: MapNode | null;
}

/** `{"type": ..., "params": {...}}`: DeepSpeed's parameter names are already the catalog's. */
function typedBlock(entry: MapEntry): TypedBlock {
  const block = entry.value?.kind === 'map' ? entry.value : null;
  const typeEntry = block ? entryOf(block, 'type') : undefined;
  const typeName = stringOf(typeEntry?.value) ?? '';
  const params = mapAt(block, 'params');
  return { typeName, typeSpan: typeEntry?.value ?? entry.keySpan, params: paramsOf(params, 'deepspeed'), node: params };
}

/**
 * The run length, in optimizer steps, is only in the file when the scheduler says it (`total_num_steps`); the batch-size
 * keys are kept as training parameters for the batch-size rule and hover.
 */
function training(root: MapNode | null, scheduler: SchedulerBlock | null): TrainingBlock | null {
  if (!root) return null;
  const params = new Map<string, ParamValue>();
  for (const key of DEEPSPEED_BATCH_KEYS) {
    const entry = entryOf(root, key);
    if (entry) params.set(key, paramOf(entry, key, opaqueKind(entry.value, 'deepspeed')));
  }
  const total = scheduler?.params.get('total_num_steps');
  const steps = total && !total.opaque ? positiveOf(total.node) : undefined;
  if (params.size === 0 && steps === undefined) return null;
  return trainingOf(
    params,
    total?.keySpan ?? root,
    steps,
    steps !== undefined ? (total?.node ?? undefined) : undefined,
  );
}
