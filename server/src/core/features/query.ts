// "What is under the cursor": the one query that hover, completion and code actions share.

import type { ParamSpec, SectionEntry } from '../catalog/types';
import { findParam } from '../catalog/index';
import { TRAINING_SECTION } from '../catalog/sections';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock } from '../model';
import type { Span } from '../syntax/tree';

export type Target =
  | { readonly kind: 'section'; readonly name: string; readonly span: Span }
  | { readonly kind: 'optimizerType'; readonly block: OptimizerBlock; readonly span: Span }
  | { readonly kind: 'schedulerType'; readonly block: SchedulerBlock; readonly span: Span }
  | {
      readonly kind: 'param';
      readonly owner: ParamOwner;
      readonly param: ParamValue;
      readonly spec: ParamSpec | undefined;
      /** The cursor is on the key rather than on the value. */
      readonly onKey: boolean;
      readonly span: Span;
    };

export type ParamOwner =
  | { readonly kind: 'optimizer'; readonly block: OptimizerBlock }
  | { readonly kind: 'scheduler'; readonly block: SchedulerBlock }
  | { readonly kind: 'section'; readonly section: SectionEntry };

function inside(span: Span | null | undefined, offset: number): boolean {
  return span !== null && span !== undefined && offset >= span.start && offset <= span.end;
}

export function queryAt(
  model: ConfigModel,
  offset: number,
  sections: readonly SectionEntry[] = [TRAINING_SECTION],
): Target | undefined {
  const root = model.tree.root;
  if (root?.kind !== 'map') return undefined;
  const optimizer = model.optimizer;
  if (optimizer) {
    if (optimizer.typeName && inside(optimizer.typeSpan, offset) && optimizer.typeSpan !== optimizer.keySpan) {
      return { kind: 'optimizerType', block: optimizer, span: optimizer.typeSpan };
    }
    const found = paramTarget(optimizer.params, offset, { kind: 'optimizer', block: optimizer }, optimizer.entry);
    if (found) return found;
  }
  if (model.scheduler) {
    const found = schedulerTarget(model.scheduler, offset);
    if (found) return found;
  }
  const sectionBlocks: [SectionEntry | undefined, ReadonlyMap<string, ParamValue> | undefined][] = [
    [TRAINING_SECTION, model.training?.params],
  ];
  for (const section of sections) {
    if (section.name === 'training') continue;
    const node =
      section.name === 'range_test'
        ? model.rangeTest?.node
        : section.name === 'simulate'
          ? model.simulate?.node
          : undefined;
    if (node?.kind !== 'map') continue;
    const params = new Map<string, ParamValue>();
    // A scalar's value as written, so that the hover's "Effective value" is the file's (`task: pytorch`), not the default.
    for (const item of node.entries)
      params.set(item.key, {
        name: item.key,
        key: item.key,
        keySpan: item.keySpan,
        node: item.value,
        value: item.value?.kind === 'scalar' ? item.value.value : undefined,
      });
    sectionBlocks.push([section, params]);
  }
  for (const [section, params] of sectionBlocks) {
    if (!section || !params) continue;
    const found = paramTarget(params, offset, { kind: 'section', section }, section);
    if (found) return found;
  }
  // Top-level keys last: in other dialects a top-level key can be a parameter (Hugging Face `learning_rate`).
  for (const entry of root.entries) {
    if (inside(entry.keySpan, offset)) return { kind: 'section', name: entry.key, span: entry.keySpan };
  }
  return undefined;
}

function schedulerTarget(block: SchedulerBlock, offset: number): Target | undefined {
  if (block.typeName && inside(block.typeSpan, offset) && block.typeSpan !== block.keySpan) {
    return { kind: 'schedulerType', block, span: block.typeSpan };
  }
  for (const child of block.children) {
    if (inside(child.node, offset)) {
      const found = schedulerTarget(child, offset);
      if (found) return found;
    }
  }
  return paramTarget(block.params, offset, { kind: 'scheduler', block }, block.entry);
}

/** The parameter of `owner` under the cursor, with its catalog spec when `specs` (the owner's entry) is known. */
function paramTarget(
  params: ReadonlyMap<string, ParamValue>,
  offset: number,
  owner: ParamOwner,
  specs: { readonly params: readonly ParamSpec[] } | undefined,
): Target | undefined {
  const hit = paramAt(params, offset);
  if (!hit) return undefined;
  return {
    kind: 'param',
    owner,
    param: hit.param,
    onKey: hit.onKey,
    span: hit.span,
    spec: specs ? findParam(specs, hit.param.name) : undefined,
  };
}

function paramAt(
  params: ReadonlyMap<string, ParamValue>,
  offset: number,
): { param: ParamValue; onKey: boolean; span: Span } | undefined {
  for (const param of params.values()) {
    if (inside(param.keySpan, offset)) return { param, onKey: true, span: param.keySpan };
    // Only scalar values count as "on the value": a nested list of schedulers is searched separately.
    if (param.node?.kind === 'scalar' && inside(param.node, offset)) return { param, onKey: false, span: param.node };
    if (
      param.node?.kind === 'seq' &&
      param.node.items.every((item) => item.kind === 'scalar') &&
      inside(param.node, offset)
    ) {
      return { param, onKey: false, span: param.node };
    }
  }
  return undefined;
}
