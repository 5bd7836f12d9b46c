// Builds the semantic model of a native `*.optim.yaml|json` file from its syntax tree.

import { findOptimizer, findScheduler } from '../catalog/index';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock, TrainingBlock } from '../model';
import { toPlain, type MapEntry, type MapNode, type Node, type Span, type SyntaxTree } from '../syntax/tree';

export function buildNativeModel(tree: SyntaxTree): ConfigModel {
  const root = tree.root?.kind === 'map' ? tree.root : null;
  const section = (name: string): MapEntry | undefined => root?.entries.filter((entry) => entry.key === name).at(-1);
  const optimizerEntry = section('optimizer');
  const schedulerEntry = section('scheduler');
  const trainingEntry = section('training');
  const rangeTestEntry = section('range_test');
  const simulateEntry = section('simulate');
  return {
    dialect: 'optim',
    tree,
    optimizer: optimizerEntry ? buildOptimizer(optimizerEntry) : null,
    scheduler: schedulerEntry ? buildScheduler(schedulerEntry.value, schedulerEntry.keySpan) : null,
    training: trainingEntry ? buildTraining(trainingEntry) : null,
    rangeTest: rangeTestEntry ? { node: rangeTestEntry.value, keySpan: rangeTestEntry.keySpan } : null,
    simulate: simulateEntry ? { node: simulateEntry.value, keySpan: simulateEntry.keySpan } : null,
  };
}

/** `type:` plus keyword arguments, from a block that is a mapping (or a bare class name). */
interface TypedBlock {
  readonly typeName: string;
  readonly typeSpan: Span;
  readonly params: Map<string, ParamValue>;
  readonly node: MapNode | null;
}

export function readTypedBlock(value: Node | null, keySpan: Span): TypedBlock {
  if (value?.kind === 'scalar' && typeof value.value === 'string') {
    return { typeName: value.value, typeSpan: value, params: new Map(), node: null };
  }
  if (value?.kind !== 'map') return { typeName: '', typeSpan: keySpan, params: new Map(), node: null };
  const params = new Map<string, ParamValue>();
  let typeName = '';
  let typeSpan: Span = keySpan;
  for (const entry of value.entries) {
    if (entry.key === 'type') {
      typeName = entry.value?.kind === 'scalar' && entry.value.value !== null ? String(entry.value.value) : '';
      typeSpan = entry.value ?? entry.keySpan;
      continue;
    }
    params.set(entry.key, paramFromEntry(entry));
  }
  return { typeName, typeSpan, params, node: value };
}

export function paramFromEntry(entry: MapEntry, name = entry.key): ParamValue {
  return { name, key: entry.key, keySpan: entry.keySpan, node: entry.value, value: toPlain(entry.value) };
}

function buildOptimizer(entry: MapEntry): OptimizerBlock {
  const block = readTypedBlock(entry.value, entry.keySpan);
  return { ...block, entry: block.typeName ? findOptimizer(block.typeName) : undefined, keySpan: entry.keySpan };
}

export function buildScheduler(value: Node | null, keySpan: Span): SchedulerBlock {
  const block = readTypedBlock(value, keySpan);
  const children: SchedulerBlock[] = [];
  const list = block.params.get('schedulers')?.node;
  if (list?.kind === 'seq') {
    for (const item of list.items) children.push(buildScheduler(item, item));
  }
  // Written out rather than spread: a SequentialLR can hold thousands of these.
  return {
    typeName: block.typeName,
    typeSpan: block.typeSpan,
    params: block.params,
    node: block.node,
    entry: block.typeName ? findScheduler(block.typeName) : undefined,
    children,
    keySpan,
  };
}

function buildTraining(entry: MapEntry): TrainingBlock {
  const params = new Map<string, ParamValue>();
  const node = entry.value?.kind === 'map' ? entry.value : null;
  for (const item of node?.entries ?? []) params.set(item.key, paramFromEntry(item));
  const count = (name: string): number | undefined => {
    const value = params.get(name)?.value;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  };
  const steps = count('steps');
  const epochs = count('epochs');
  const perEpoch = count('steps_per_epoch');
  let totalSteps: number | undefined;
  let totalStepsSpan: Span | undefined;
  if (steps !== undefined) {
    totalSteps = Math.floor(steps);
    totalStepsSpan = params.get('steps')?.node ?? undefined;
  } else if (epochs !== undefined && perEpoch !== undefined) {
    totalSteps = Math.floor(epochs) * Math.floor(perEpoch);
    totalStepsSpan = params.get('epochs')?.node ?? undefined;
  }
  return { params, node, keySpan: entry.keySpan, totalSteps, totalStepsSpan };
}
