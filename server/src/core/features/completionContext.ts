// Where the cursor is in a possibly half-written file: the chain of keys above it, and whether a key or a value is being typed.

import * as jsonc from 'jsonc-parser';
import type { SourceFormat, Span } from '../syntax/tree';

/** `-` stands for "an item of a list"; other steps are keys. */
export type PathStep = string;

export interface CompletionContext {
  /** Keys from the top level down to the mapping that holds the cursor. */
  readonly path: readonly PathStep[];
  /** Typing a key (`key` position) or the value of `valueKey`. */
  readonly position: 'key' | 'value';
  readonly valueKey?: string;
  /** The partial word under the cursor, which a completion replaces. */
  readonly word: Span;
  /** Inside `{...}` or `[...]` (so a key completion must not add a newline-style value). */
  readonly inFlow: boolean;
}

export function completionContext(text: string, offset: number, format: SourceFormat): CompletionContext {
  return format === 'json' ? jsonContext(text, offset) : yamlContext(text, offset);
}

function wordAt(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && /[\w.\-"']/.test(text[start - 1] ?? '')) start--;
  let end = offset;
  while (end < text.length && /[\w.\-]/.test(text[end] ?? '')) end++;
  // Keep a leading quote in JSON out of the word unless the whole word is quoted.
  return { start, end };
}

function jsonContext(text: string, offset: number): CompletionContext {
  let location: jsonc.Location;
  try {
    location = jsonc.getLocation(text, offset);
  } catch {
    // jsonc-parser recurses per nesting level; absurdly deep input overflows the stack. Offer nothing there.
    return { path: ['\u0000'], position: 'key', word: { start: offset, end: offset }, inFlow: true };
  }
  const path = location.path.map((step) => (typeof step === 'number' ? '-' : step));
  const word = wordAt(text, offset);
  if (location.isAtPropertyKey) {
    // The last step is the key being typed.
    return { path: path.slice(0, -1), position: 'key', word, inFlow: true };
  }
  const last = path.at(-1);
  if (last === undefined || last === '-') return { path, position: 'key', word, inFlow: true };
  return { path: path.slice(0, -1), position: 'value', valueKey: last, word, inFlow: true };
}

interface Line {
  readonly indent: number;
  readonly dash: boolean;
  /** Indentation of the content after an optional `- `. */
  readonly contentIndent: number;
  readonly key: string | undefined;
  /** The line is `key:` with nothing (or only a comment) after the colon: a parent of what follows. */
  readonly opensBlock: boolean;
}

function readLine(line: string): Line | undefined {
  const match = /^(\s*)(-\s+)?(.*)$/.exec(line);
  if (!match) return undefined;
  const indent = match[1]?.length ?? 0;
  const dash = match[2] !== undefined;
  const rest = (match[3] ?? '').replace(/\s+#.*$/, '');
  if (rest.trim() === '' && !dash) return undefined;
  if (rest.startsWith('#')) return undefined;
  const keyMatch = /^(["']?)([^:"'{}[\],#]+)\1\s*:(\s|$)(.*)$/.exec(rest);
  const key = keyMatch?.[2]?.trim();
  const after = (keyMatch?.[4] ?? '').trim();
  return {
    indent,
    dash,
    contentIndent: indent + (match[2]?.length ?? 0),
    key,
    opensBlock: key !== undefined && after === '',
  };
}

function yamlContext(text: string, offset: number): CompletionContext {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const word = wordAt(text, offset);
  const path: PathStep[] = [];

  // Flow collection opened on this line (`- {type: LinearLR, sta|`): work inside it first.
  const flow = openFlow(prefix);
  const structural = flow ? prefix.slice(0, flow.at) : prefix;
  const head = /^(\s*)(-\s+)?(?:(["']?)([^:"'{}[\],#]+)\3\s*:\s*)?(.*)$/.exec(structural);
  const indent = head?.[1]?.length ?? 0;
  const dash = head?.[2] !== undefined;
  const lineKey = head?.[4]?.trim();
  const contentIndent = indent + (head?.[2]?.length ?? 0);

  // Parents from the lines above, by indentation.
  const above = text.slice(0, lineStart).split('\n');
  let limit = contentIndent;
  let inclusive = false; // After a list item, its parent key may sit at the same indentation ("key:\n- item").
  const parents: PathStep[] = [];
  if (dash) {
    parents.push('-');
    limit = indent;
    inclusive = true;
  }
  for (let i = above.length - 1; i >= 0 && limit > 0; i--) {
    const line = readLine(above[i] ?? '');
    if (!line) continue;
    if (line.dash && line.contentIndent <= limit && line.indent < limit + (inclusive ? 1 : 0)) {
      if (line.contentIndent === limit && !inclusive) {
        // A sibling key inside the same list item: we are inside that item.
        parents.push('-');
        limit = line.indent;
        inclusive = true;
        continue;
      }
      if (line.contentIndent < limit && line.opensBlock) {
        parents.push(line.key ?? '', '-');
        limit = line.indent;
        inclusive = true;
        continue;
      }
    }
    const fits = inclusive ? line.contentIndent <= limit : line.contentIndent < limit;
    if (!line.dash && fits && line.opensBlock && line.key !== undefined) {
      parents.push(line.key);
      limit = line.indent;
      inclusive = false;
    }
  }
  path.push(...parents.reverse());

  if (flow) {
    if (lineKey !== undefined) path.push(lineKey);
    else if (dash && !path.includes('-')) path.push('-');
    else if (dash && path.at(-1) !== '-') path.push('-');
    path.push(...flow.path);
    if (flow.valueKey !== undefined) return { path, position: 'value', valueKey: flow.valueKey, word, inFlow: true };
    return { path, position: 'key', word, inFlow: true };
  }
  if (lineKey !== undefined) return { path, position: 'value', valueKey: lineKey, word, inFlow: false };
  return { path, position: 'key', word, inFlow: false };
}

/** The innermost `{` or `[` still open in the line prefix, with the keys of nested flow maps and the current position. */
function openFlow(prefix: string): { at: number; path: PathStep[]; valueKey?: string } | undefined {
  const stack: { char: string; at: number; key?: string }[] = [];
  let quote: string | undefined;
  let segmentStart = 0;
  for (let i = 0; i < prefix.length; i++) {
    const char = prefix[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '{' || char === '[') {
      const before = prefix.slice(segmentStart, i);
      const keyMatch = /([\w.\-]+)\s*:\s*$/.exec(before);
      stack.push({ char, at: i, ...(keyMatch?.[1] ? { key: keyMatch[1] } : {}) });
      segmentStart = i + 1;
    } else if (char === '}' || char === ']') {
      stack.pop();
      segmentStart = i + 1;
    } else if (char === ',') segmentStart = i + 1;
  }
  if (stack.length === 0) return undefined;
  const path: PathStep[] = [];
  stack.forEach((open, index) => {
    if (index > 0) path.push(open.key ?? '-');
  });
  const innermost = stack.at(-1)!;
  if (innermost.char === '[') return { at: stack[0]!.at, path: [...path, '-'] };
  const segment = prefix.slice(segmentStart);
  const keyMatch = /^\s*([\w.\-]+)\s*:\s*[^,]*$/.exec(segment);
  return { at: stack[0]!.at, path, ...(keyMatch?.[1] ? { valueKey: keyMatch[1] } : {}) };
}
