// Helpers every dialect builder shares: reading maps, typed blocks, opaque values and run-length blocks with source spans.

import type { ParamValue, TrainingBlock } from '../model';
import { entryOf, toPlain, type MapEntry, type MapNode, type Node, type Span, type SyntaxTree } from '../syntax/tree';

/** The root mapping of the document, or null when the root is missing or not a mapping. */
export function rootMap(tree: SyntaxTree): MapNode | null {
  return tree.root?.kind === 'map' ? tree.root : null;
}

/** The value of `key` in `map` when it is a mapping. */
export function mapAt(map: MapNode | null | undefined, key: string): MapNode | null {
  const value = map ? entryOf(map, key)?.value : undefined;
  return value?.kind === 'map' ? value : null;
}

/** The string value of a scalar node, or undefined. */
export function stringOf(node: Node | null | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A finite number, or undefined (strings such as "auto" are not numbers). */
export function numberOf(node: Node | null | undefined): number | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'number' && Number.isFinite(node.value)
    ? node.value
    : undefined;
}

/** A positive count (steps, epochs): the `-1` and `0` that trainers use for "not set" read as undefined. */
export function positiveOf(node: Node | null | undefined): number | undefined {
  const value = numberOf(node);
  return value !== undefined && value > 0 ? value : undefined;
}

/**
 * Why a value can only be known at run time, or undefined for an ordinary value. `"auto"` is the DeepSpeed placeholder
 * the HF integration fills in; `${...}` is an OmegaConf interpolation or resolver (never evaluated: some shell out);
 * `???` is OmegaConf's mandatory-missing marker.
 */
export function opaqueKind(node: Node | null, dialect: 'deepspeed' | 'hydra' | 'other'): ParamValue['opaque'] {
  const text = stringOf(node);
  if (text === undefined) return undefined;
  if (dialect === 'deepspeed' && text === 'auto') return 'auto';
  if (text.includes('${')) return 'interpolation';
  // MONAI bundle syntax (read like Hydra configs): `@id` references, `$expr` expressions, `%file#id` macros.
  if (dialect === 'hydra' && /^[@$%]/.test(text)) return 'interpolation';
  if (text === '???') return 'missing';
  return undefined;
}

/** A parameter read from one entry of the file, under its catalog name. */
export function paramOf(entry: MapEntry, name: string, opaque: ParamValue['opaque']): ParamValue {
  return {
    name,
    key: entry.key,
    keySpan: entry.keySpan,
    node: entry.value,
    value: toPlain(entry.value),
    ...(opaque ? { opaque } : {}),
  };
}

/** Every entry of a mapping as a parameter under its own name. */
export function paramsOf(
  map: MapNode | null,
  dialect: 'deepspeed' | 'hydra' | 'other',
  skip: (key: string) => boolean = () => false,
): Map<string, ParamValue> {
  const params = new Map<string, ParamValue>();
  for (const entry of map?.entries ?? []) {
    if (skip(entry.key)) continue;
    params.set(entry.key, paramOf(entry, entry.key, opaqueKind(entry.value, dialect)));
  }
  return params;
}

/** A run-length block that rules read; `node` stays null so the native `training:` key checks never run on it. */
export function trainingOf(
  params: Map<string, ParamValue>,
  keySpan: Span,
  totalSteps: number | undefined,
  totalStepsSpan: Span | undefined,
): TrainingBlock {
  return {
    params,
    node: null,
    keySpan,
    totalSteps: totalSteps === undefined ? undefined : Math.floor(totalSteps),
    totalStepsSpan,
  };
}

/** Depth-first visit of every mapping in the tree with its key path. */
export function walkMaps(
  node: Node | null,
  visit: (map: MapNode, path: readonly string[], keySpan: Span | undefined) => void,
  path: readonly string[] = [],
  keySpan?: Span,
): void {
  if (!node) return;
  if (node.kind === 'map') {
    visit(node, path, keySpan);
    for (const entry of node.entries) walkMaps(entry.value, visit, [...path, entry.key], entry.keySpan);
  } else if (node.kind === 'seq') {
    node.items.forEach((item, index) => walkMaps(item, visit, [...path, String(index)], keySpan));
  }
}
