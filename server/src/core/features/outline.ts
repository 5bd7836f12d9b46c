// Document symbols (the outline) and folding ranges, straight from the syntax tree.

import type { Analysis } from '../analysis';
import type { MapNode, Node, Span } from '../syntax/tree';

export interface OutlineSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'section' | 'optimizer' | 'scheduler' | 'key' | 'list';
  /** The whole entry. */
  readonly span: Span;
  /** The key itself (what the outline selects). */
  readonly selection: Span;
  readonly children: readonly OutlineSymbol[];
}

/** Outline entries are not nested deeper than this; configs are shallow and the outline must stay readable. */
const MAX_OUTLINE_DEPTH = 6;

export function outline(analysis: Analysis): OutlineSymbol[] {
  const root = analysis.tree.root;
  return root?.kind === 'map' ? mapSymbols(root, 0, true) : [];
}

function mapSymbols(map: MapNode, depth: number, top: boolean): OutlineSymbol[] {
  return map.entries.map((entry) => {
    const value = entry.value;
    const type = value?.kind === 'map' ? value.entries.find((item) => item.key === 'type')?.value : undefined;
    const typeName = type?.kind === 'scalar' && type.value !== null ? String(type.value) : undefined;
    const detail =
      typeName ??
      (value?.kind === 'scalar' ? value.source : value?.kind === 'seq' ? `${value.items.length} items` : '');
    const kind: OutlineSymbol['kind'] = top
      ? entry.key === 'optimizer'
        ? 'optimizer'
        : entry.key === 'scheduler'
          ? 'scheduler'
          : 'section'
      : value?.kind === 'seq'
        ? 'list'
        : 'key';
    return {
      name: entry.key,
      detail,
      kind,
      span: { start: entry.start, end: Math.max(entry.end, entry.keySpan.end) },
      selection: entry.keySpan,
      children: depth < MAX_OUTLINE_DEPTH ? childSymbols(value, depth + 1) : [],
    };
  });
}

function childSymbols(node: Node | null, depth: number): OutlineSymbol[] {
  if (!node) return [];
  if (node.kind === 'map') return mapSymbols(node, depth, false);
  if (node.kind === 'seq') {
    return node.items.flatMap((item, index) => {
      if (item.kind !== 'map') return [];
      const type = item.entries.find((entry) => entry.key === 'type')?.value;
      const name = type?.kind === 'scalar' && type.value !== null ? String(type.value) : `[${index}]`;
      return [
        {
          name,
          detail: `[${index}]`,
          kind: 'scheduler' as const,
          span: item,
          selection: type ?? item,
          children: mapSymbols(item, depth + 1, false),
        },
      ];
    });
  }
  return [];
}

/** Multi-line mappings and lists fold; the caller converts offsets to lines. */
export function foldingSpans(analysis: Analysis): Span[] {
  const out: Span[] = [];
  const visit = (node: Node | null, depth: number): void => {
    if (!node || node.kind === 'scalar' || depth > 64) return;
    out.push({ start: node.start, end: node.end });
    if (node.kind === 'map') for (const entry of node.entries) visit(entry.value, depth + 1);
    else for (const item of node.items) visit(item, depth + 1);
  };
  const root = analysis.tree.root;
  if (root?.kind === 'map') {
    // Fold each top-level entry from its key, so that `optimizer:` folds its block.
    for (const entry of root.entries) {
      if (entry.value && entry.value.kind !== 'scalar') out.push({ start: entry.keySpan.start, end: entry.value.end });
      if (entry.value?.kind === 'map') for (const inner of entry.value.entries) visit(inner.value, 1);
      else if (entry.value?.kind === 'seq') for (const item of entry.value.items) visit(item, 1);
    }
  } else visit(root, 0);
  return out;
}
