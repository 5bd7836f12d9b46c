// The syntax tree as flat arrays, so that a tree read on another thread crosses over cheaply and is rebuilt in slices.

import type { MapEntry, MapNode, Node, ScalarNode, SeqNode, SyntaxTree } from './tree';

/**
 * A `SyntaxTree` without its text, in pre-order. Structured cloning the tree itself costs more than the `yaml`
 * composition it would save (about 0.3 s to read back 18 MB of clone data at 2 MB of YAML, all at once); these
 * arrays are transferred without a copy and read back by `decodeTreeSteps`, which pauses.
 *
 * `ints`: a node is `kind, start, end, ...`: a scalar `0, start, end, plain, tag` (tag: `VALUE_*`; a number is the
 * next entry of `numbers`, a string not equal to its source the next `length` characters of `strings`); a map
 * `1, start, end, flow, count` then per entry `keyTag, keyLength, keyStart, keyEnd, start, end, hasValue` and its value;
 * a sequence `2, start, end, flow, count` then its items. The first int says whether there is a root.
 * A string equal to the text it spans is not stored (most keys and plain scalars). A subtree that the tree shares
 * (the copy of an anchored value at an alias) is written out at each place: the rebuilt tree is deep-equal, not shared.
 */
export interface EncodedTree {
  readonly ints: Int32Array;
  readonly numbers: Float64Array;
  readonly strings: string;
  readonly format: SyntaxTree['format'];
  readonly errors: SyntaxTree['errors'];
  readonly suppressions: SyntaxTree['suppressions'];
}

/** Nodes and entries rebuilt between two pauses of `decodeTreeSteps` (about 2 ms on the 2-core test machine). */
export const NODES_PER_STEP = 2048;

const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
const VALUE_NULL = 0;
const VALUE_TRUE = 1;
const VALUE_FALSE = 2;
const VALUE_NUMBER = 3;
const VALUE_SOURCE = 4;
const VALUE_STRING = 5;

/** The tree as flat arrays (see `EncodedTree`); `decodeTreeSteps(encodeTree(tree), tree.text)` is deep-equal to `tree`. */
export function encodeTree(tree: SyntaxTree): EncodedTree {
  const ints = new IntWriter();
  ints.push(tree.root ? 1 : 0);
  const numbers: number[] = [];
  const strings: string[] = [];
  const text = tree.text;
  const pushString = (value: string, start: number, end: number): void => {
    if (end - start === value.length && text.startsWith(value, start)) ints.push2(VALUE_SOURCE, 0);
    else {
      ints.push2(VALUE_STRING, value.length);
      strings.push(value);
    }
  };
  // An explicit stack, not recursion: the tree may be as deep as the parser allows. Entries are written in turn:
  // an entry's header, then its value's whole subtree, then the next entry.
  const pending: ({ readonly node: Node } | { readonly entry: MapEntry })[] = tree.root ? [{ node: tree.root }] : [];
  while (pending.length > 0) {
    const item = pending.pop()!;
    if ('entry' in item) {
      const entry = item.entry;
      pushString(entry.key, entry.keySpan.start, entry.keySpan.end);
      ints.push5(entry.keySpan.start, entry.keySpan.end, entry.start, entry.end, entry.value ? 1 : 0);
      if (entry.value) pending.push({ node: entry.value });
      continue;
    }
    const node = item.node;
    if (node.kind === 'scalar') {
      ints.push4(SCALAR, node.start, node.end, node.plain ? 1 : 0);
      const value = node.value;
      if (value === null) ints.push(VALUE_NULL);
      else if (value === true) ints.push(VALUE_TRUE);
      else if (value === false) ints.push(VALUE_FALSE);
      else if (typeof value === 'number') {
        ints.push(VALUE_NUMBER);
        numbers.push(value);
      } else if (value === text.slice(node.start, node.end)) ints.push(VALUE_SOURCE);
      else {
        ints.push2(VALUE_STRING, value.length);
        strings.push(value);
      }
    } else if (node.kind === 'map') {
      ints.push5(MAP, node.start, node.end, node.flow ? 1 : 0, node.entries.length);
      for (let i = node.entries.length - 1; i >= 0; i--) pending.push({ entry: node.entries[i]! });
    } else {
      ints.push5(SEQ, node.start, node.end, node.flow ? 1 : 0, node.items.length);
      for (let i = node.items.length - 1; i >= 0; i--) pending.push({ node: node.items[i]! });
    }
  }
  return {
    ints: ints.finish(),
    numbers: Float64Array.from(numbers),
    strings: strings.join(''),
    format: tree.format,
    errors: tree.errors,
    suppressions: tree.suppressions,
  };
}

/** An Int32Array that grows by doubling (a number[] of a million entries costs more to fill and to copy). */
class IntWriter {
  private buffer = new Int32Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) this.grow();
    this.buffer[this.length++] = value;
  }

  push2(a: number, b: number): void {
    this.push(a);
    this.push(b);
  }

  push4(a: number, b: number, c: number, d: number): void {
    this.push2(a, b);
    this.push2(c, d);
  }

  push5(a: number, b: number, c: number, d: number, e: number): void {
    this.push4(a, b, c, d);
    this.push(e);
  }

  /** The written ints, in a buffer of their own size (it is transferred). */
  finish(): Int32Array {
    return this.buffer.slice(0, this.length);
  }

  private grow(): void {
    const larger = new Int32Array(this.buffer.length * 2);
    larger.set(this.buffer);
    this.buffer = larger;
  }
}

/** A collection being filled: `remaining` children still to read; `key` is the header of a map entry whose value is being read. */
interface Frame {
  readonly node: MapNode | SeqNode;
  readonly children: MapEntry[] | Node[];
  remaining: number;
  key?: Omit<MapEntry, 'value'>;
}

/**
 * Rebuilds the tree of `encodeTree` over `text` (the text it was read from), pausing every `NODES_PER_STEP` nodes.
 * Malformed input (not made by `encodeTree` for this text) gives a tree with an internal error, never an exception.
 */
export function* decodeTreeSteps(encoded: EncodedTree, text: string): Generator<void, SyntaxTree, void> {
  const { ints, numbers } = encoded;
  let at = 1;
  let numberAt = 0;
  let stringAt = 0;
  let count = 0;
  const readString = (length: number): string => {
    const value = encoded.strings.slice(stringAt, stringAt + length);
    stringAt += length;
    return value;
  };
  const stack: Frame[] = [];
  /** Reads one node header: a finished node, or a collection whose children follow (pushed as a frame). */
  const readNode = (): Node | undefined => {
    if (at + 5 > ints.length) throw new Error('the encoded tree ends early');
    const kind = ints[at]!;
    const start = ints[at + 1]!;
    const end = ints[at + 2]!;
    const flag = ints[at + 3] === 1;
    if (kind === SCALAR) {
      const tag = ints[at + 4];
      at += 5;
      let value: ScalarNode['value'];
      if (tag === VALUE_NULL) value = null;
      else if (tag === VALUE_TRUE) value = true;
      else if (tag === VALUE_FALSE) value = false;
      else if (tag === VALUE_NUMBER) value = numbers[numberAt++]!;
      else if (tag === VALUE_SOURCE) value = text.slice(start, end);
      else value = readString(ints[at++]!);
      return { kind: 'scalar', value, source: text.slice(start, end), plain: flag, start, end };
    }
    if (kind !== MAP && kind !== SEQ) throw new Error(`unknown node kind ${kind}`);
    const remaining = ints[at + 4]!;
    at += 5;
    const node: MapNode | SeqNode =
      kind === MAP
        ? { kind: 'map', start, end, entries: [], flow: flag }
        : { kind: 'seq', start, end, items: [], flow: flag };
    if (remaining === 0) return node;
    stack.push({
      node,
      children: node.kind === 'map' ? (node.entries as MapEntry[]) : (node.items as Node[]),
      remaining,
    });
    return undefined;
  };
  let root: Node | null = null;
  try {
    let next: Node | undefined = ints[0] === 1 ? readNode() : undefined;
    if (ints[0] === 1 && stack.length === 0) root = next ?? null;
    while (stack.length > 0) {
      if (++count % NODES_PER_STEP === 0) yield;
      const frame = stack[stack.length - 1]!;
      if (next !== undefined) {
        // A finished child: attach it to the collection on top of the stack.
        if (frame.key) {
          (frame.children as MapEntry[]).push({ ...frame.key, value: next });
          frame.key = undefined;
        } else (frame.children as Node[]).push(next);
        frame.remaining--;
        next = undefined;
      }
      if (frame.remaining === 0) {
        stack.pop();
        if (stack.length === 0) root = frame.node;
        else next = frame.node;
        continue;
      }
      if (frame.node.kind === 'map') {
        if (at + 7 > ints.length) throw new Error('the encoded tree ends early');
        const tag = ints[at]!;
        const key = tag === VALUE_SOURCE ? text.slice(ints[at + 2]!, ints[at + 3]!) : readString(ints[at + 1]!);
        const keySpan = { start: ints[at + 2]!, end: ints[at + 3]! };
        const header = { key, keySpan, start: ints[at + 4]!, end: ints[at + 5]! };
        const hasValue = ints[at + 6] === 1;
        at += 7;
        if (!hasValue) {
          (frame.children as MapEntry[]).push({
            key: header.key,
            keySpan: header.keySpan,
            value: null,
            start: header.start,
            end: header.end,
          });
          frame.remaining--;
          continue;
        }
        frame.key = header;
      }
      next = readNode();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      format: encoded.format,
      text,
      root: null,
      errors: [
        { start: 0, end: Math.min(1, text.length), message: `Internal error reading the syntax tree: ${message}` },
      ],
      suppressions: encoded.suppressions,
    };
  }
  return { format: encoded.format, text, root, errors: encoded.errors, suppressions: encoded.suppressions };
}
