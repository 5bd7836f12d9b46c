// Builds the semantic model of a Hydra config: `_target_: torch.optim.X` / `torch.optim.lr_scheduler.X` blocks anywhere in
// the tree. Interpolations `${...}` and `???` stay opaque: they are never evaluated (a resolver may run arbitrary code).

import { findOptimizer } from '../catalog/index';
import { OPTIMIZER_CLASS_KEYS, WRAPPER_OPTIMIZERS } from '../catalog/externalClasses';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock } from '../model';
import { entryOf, type MapNode, type Node, type Span, type SyntaxTree } from '../syntax/tree';
import { resolveOptimizerPath, resolveSchedulerPath } from './classPath';
import { paramsOf, rootMap, stringOf, walkMaps } from './common';

/** Hydra's own keys in an instantiated block; they are not arguments of the class. */
export const HYDRA_RESERVED_KEYS: readonly string[] = ['_target_', '_partial_', '_recursive_', '_convert_', '_args_'];

const OPTIMIZER_PREFIXES = ['torch.optim.', 'deepspeed.ops.'];
const SCHEDULER_PREFIXES = [
  'torch.optim.lr_scheduler.',
  'transformers.get_',
  'transformers.optimization.get_',
  'timm.scheduler.',
];

/** Keys of a wrapper optimizer that are its own, not the wrapped optimizer's (ZeroRedundancyOptimizer's signature). */
const WRAPPER_OWN_KEYS: readonly string[] = [
  ...OPTIMIZER_CLASS_KEYS,
  'params',
  'process_group',
  'parameters_as_bucket_view',
  'overlap_with_ddp',
  'k',
  'alpha',
  'pad_values',
];

/** A `_target_` block with the span of the key that holds it. */
interface TargetBlock {
  readonly target: string;
  readonly targetSpan: Span;
  readonly map: MapNode;
  readonly keySpan: Span;
  readonly path: readonly string[];
  /** For a wrapper optimizer: the wrapped class, written as a string or as `{_target_: hydra.utils.get_class, path: ...}`. */
  readonly wrapped?: { readonly name: string; readonly span: Span };
}

/** The class a wrapper receives: `optimizer_class: torch.optim.AdamW`, or a `get_class` block with `path:`. */
function wrappedClass(map: MapNode): { name: string; span: Span } | undefined {
  for (const key of OPTIMIZER_CLASS_KEYS) {
    const value: Node | null | undefined = entryOf(map, key)?.value;
    const text = stringOf(value);
    if (text && value) return { name: text, span: value };
    if (
      value?.kind === 'map' &&
      /get_class|get_method|get_object/.test(stringOf(entryOf(value, '_target_')?.value) ?? '')
    ) {
      const pathNode = entryOf(value, 'path')?.value;
      const path = stringOf(pathNode);
      if (path && pathNode) return { name: path, span: pathNode };
    }
  }
  return undefined;
}

export function buildHydraModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  const optimizers: TargetBlock[] = [];
  const schedulers: TargetBlock[] = [];
  walkMaps(root, (map, path, keySpan) => {
    const targetEntry = entryOf(map, '_target_');
    const target = stringOf(targetEntry?.value)?.trim();
    if (!target || !targetEntry?.value) return;
    const block: TargetBlock = {
      target,
      targetSpan: targetEntry.value,
      map,
      keySpan: keySpan ?? targetEntry.keySpan,
      path,
    };
    if (SCHEDULER_PREFIXES.some((prefix) => target.startsWith(prefix))) {
      // Modelled schedulers (torch, transformers factories, timm classes) and misspelt names are kept; real ones the
      // engine does not model (timm's factories, LambdaLR's siblings) are recognised and left out, so they are neither
      // drawn nor reported.
      const resolved = resolveSchedulerPath(target);
      if (resolved.kind !== 'external' || /(^|\.)(LambdaLR|MultiplicativeLR)$/.test(target)) schedulers.push(block);
    } else if (OPTIMIZER_PREFIXES.some((prefix) => target.startsWith(prefix))) {
      if (resolveOptimizerPath(target).kind !== 'external' || target.startsWith('deepspeed.')) optimizers.push(block);
    } else if (WRAPPER_OPTIMIZERS.includes(target)) {
      // A wrapper builds the optimizer class it is given with the remaining keyword arguments.
      const wrapped = wrappedClass(map);
      if (wrapped && resolveOptimizerPath(wrapped.name).kind !== 'external') optimizers.push({ ...block, wrapped });
    }
  });
  // With several blocks, the one under a key named like an optimizer / scheduler is the one the training code uses.
  const pick = (blocks: TargetBlock[], word: RegExp): TargetBlock | undefined =>
    blocks.find((block) => word.test(block.path.join('.'))) ?? blocks[0];
  const optimizerTarget = pick(optimizers, /optim/i);
  const schedulerTarget = pick(schedulers, /sched/i);
  const skip = (key: string): boolean => HYDRA_RESERVED_KEYS.includes(key);
  const optimizer: OptimizerBlock | null = optimizerTarget ? optimizerOf(optimizerTarget, skip) : null;
  const schedulerEntry = schedulerTarget ? catalogEntry(resolveSchedulerPath(schedulerTarget.target)) : undefined;
  // `optimizer` is the scheduler's positional argument (MONAI passes it by reference), not a keyword to check.
  const scheduler: SchedulerBlock | null = schedulerTarget
    ? {
        typeName: schedulerTarget.target,
        typeSpan: schedulerTarget.targetSpan,
        entry: schedulerEntry,
        params: withCallerArguments(
          paramsOf(schedulerTarget.map, 'hydra', (key) => skip(key) || key === 'optimizer'),
          schedulerEntry?.params ?? [],
          schedulerTarget.targetSpan,
        ),
        children: [],
        node: schedulerTarget.map,
        keySpan: schedulerTarget.keySpan,
      }
    : null;
  // No run length: a Hydra file's scheduler interval (step or epoch) lives in the training code, so comparing schedule
  // lengths with `trainer.max_steps` or `max_epochs` would raise false alarms.
  return {
    dialect: 'hydra',
    tree,
    optimizer,
    scheduler,
    training: null,
    rangeTest: null,
    simulate: null,
    reader: 'hydra.utils.instantiate',
  };
}

/**
 * Required arguments the block leaves out are passed by the code that calls `instantiate(cfg, ...)` (or set by the
 * experiment a `@package` fragment is merged into): they count as given, with values known only at run time.
 */
function withCallerArguments(
  params: Map<string, ParamValue>,
  specs: readonly { readonly name: string; readonly required?: boolean }[],
  span: Span,
): Map<string, ParamValue> {
  for (const spec of specs) {
    if (spec.required && !params.has(spec.name))
      params.set(spec.name, {
        name: spec.name,
        key: spec.name,
        keySpan: span,
        node: null,
        value: undefined,
        opaque: 'derived',
      });
  }
  return params;
}

function catalogEntry<E>(resolved: { readonly kind: string; readonly entry?: E }): E | undefined {
  return resolved.kind === 'catalog' ? resolved.entry : undefined;
}

function optimizerOf(block: TargetBlock, skip: (key: string) => boolean): OptimizerBlock {
  if (block.wrapped) {
    const params = paramsOf(block.map, 'hydra', (key) => skip(key) || WRAPPER_OWN_KEYS.includes(key));
    return {
      typeName: block.wrapped.name,
      typeSpan: block.wrapped.span,
      entry: catalogEntry(resolveOptimizerPath(block.wrapped.name)),
      params,
      node: block.map,
      keySpan: block.keySpan,
    };
  }
  const resolved = resolveOptimizerPath(block.target);
  // DeepSpeed's ops keep the catalog's loose look-up (DeepSpeed lower-cases its own optimizer names).
  const entry = block.target.startsWith('deepspeed.') ? findOptimizer(block.target) : catalogEntry(resolved);
  // `params` (the model parameters, given by reference) is the positional argument, not a keyword to check.
  return {
    typeName: block.target,
    typeSpan: block.targetSpan,
    entry,
    params: paramsOf(block.map, 'hydra', (key) => skip(key) || key === 'params'),
    node: block.map,
    keySpan: block.keySpan,
  };
}
