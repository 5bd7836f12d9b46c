// A format-neutral syntax tree: YAML and JSON both parse into it, with UTF-16 offsets into the source text.

export interface Span {
  /** Offset of the first character. */
  readonly start: number;
  /** Offset one past the last character. */
  readonly end: number;
}

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode extends Span {
  readonly kind: 'scalar';
  /** The value as YAML 1.2 (the `yaml` package, OmegaConf, jsonargparse) or JSON reads it. */
  readonly value: ScalarValue;
  /** The characters as written. */
  readonly source: string;
  /** Plain (unquoted) YAML scalar or a JSON literal, as opposed to a quoted string. */
  readonly plain: boolean;
}

export interface MapEntry extends Span {
  readonly key: string;
  readonly keySpan: Span;
  /** `null` for `key:` with nothing after it. */
  readonly value: Node | null;
}

export interface MapNode extends Span {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
  /** `{...}` (flow) rather than block style. */
  readonly flow: boolean;
}

export interface SeqNode extends Span {
  readonly kind: 'seq';
  readonly items: readonly Node[];
  readonly flow: boolean;
}

export type Node = ScalarNode | MapNode | SeqNode;

export type SourceFormat = 'yaml' | 'json';

export interface SyntaxError extends Span {
  readonly message: string;
}

export interface SyntaxTree {
  readonly format: SourceFormat;
  readonly text: string;
  /** `null` for an empty document or one that could not be parsed at all. */
  readonly root: Node | null;
  readonly errors: readonly SyntaxError[];
  /** 0-based lines on which a suppression comment silences diagnostics (`# optlens-disable-line [CODE...]`). */
  readonly suppressions: ReadonlyMap<number, ReadonlySet<string> | 'all'>;
}

/** The entry with this key, or undefined. The last one wins, as in every YAML and JSON loader. */
export function entryOf(map: MapNode, key: string): MapEntry | undefined {
  let found: MapEntry | undefined;
  for (const entry of map.entries) if (entry.key === key) found = entry;
  return found;
}

/** Plain JavaScript value of a node (maps become objects, later duplicate keys win). */
export function toPlain(node: Node | null): unknown {
  if (node === null) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const entry of node.entries) out[entry.key] = toPlain(entry.value);
      return out;
    }
  }
}

/** Follow a path of keys and indices; undefined when any step is missing. */
export function nodeAt(root: Node | null, path: readonly (string | number)[]): Node | undefined {
  let node: Node | null | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    if (typeof step === 'number') {
      if (node.kind !== 'seq') return undefined;
      node = node.items[step];
    } else {
      if (node.kind !== 'map') return undefined;
      node = entryOf(node, step)?.value;
    }
  }
  return node ?? undefined;
}
