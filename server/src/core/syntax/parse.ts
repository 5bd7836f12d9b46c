// Parses YAML or JSON text into the format-neutral syntax tree, collecting syntax errors instead of stopping at them.

import * as jsonc from 'jsonc-parser';
import * as YAML from 'yaml';
import type { MapEntry, MapNode, Node, ScalarNode, SeqNode, SourceFormat, Span, SyntaxError, SyntaxTree } from './tree';
import { findSuppressions } from './suppressions';

/** Deeper nesting than this is reported instead of followed, so hostile input cannot exhaust the stack. */
export const MAX_DEPTH = 128;
/** Aliases are expanded into copies; past this many nodes expansion stops, so an alias bomb cannot exhaust memory. */
export const MAX_NODES = 200_000;

/** Per-parse conversion state (never module-level). */
interface Budget {
  nodes: number;
  reported: boolean;
}

/** How the YAML documents are read (shared with the cooperative reader in `parseSteps.ts`). */
export const YAML_PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: false } as const;

/** `yamlDocuments`: the YAML already read into documents (by `parseSteps.ts`, in slices); read here when absent. */
export function parseTree(
  text: string,
  format: SourceFormat,
  yamlDocuments?: readonly YAML.Document.Parsed[],
): SyntaxTree {
  const suppressions = findSuppressions(text);
  try {
    return format === 'json' ? parseJson(text, suppressions) : parseYaml(text, suppressions, yamlDocuments);
  } catch (error) {
    // The parsers are robust, but a pathological input (e.g. extreme nesting) can still overflow the stack.
    // The core never throws on user input: report it as a syntax problem on the whole text.
    const message = error instanceof Error ? error.message : String(error);
    return {
      format,
      text,
      root: null,
      errors: [{ start: 0, end: Math.min(text.length, 1), message: `The file could not be parsed: ${message}` }],
      suppressions,
    };
  }
}

// ---------------------------------------------------------------------------------------------- YAML

function parseYaml(
  text: string,
  suppressions: SyntaxTree['suppressions'],
  read?: readonly YAML.Document.Parsed[],
): SyntaxTree {
  const errors: SyntaxError[] = [];
  const documents = read ?? YAML.parseAllDocuments(text, YAML_PARSE_OPTIONS);
  const list = Array.isArray(documents) ? documents : [];
  for (const document of list) {
    for (const error of document.errors) {
      const located = describeYamlError(text, error.code, firstLine(error.message), error.pos[0], error.pos[1]);
      // One mistake often makes the parser complain twice about the same line: keep the first (clearest) one.
      if (!errors.some((other) => lineStart(text, other.start) === lineStart(text, located.start)))
        errors.push(located);
    }
  }
  const first = list.find((document) => document.contents !== null) ?? list[0];
  if (list.length > 1) {
    const second = list[1];
    const start = second?.range[0] ?? 0;
    errors.push({
      start,
      end: Math.min(text.length, start + 3),
      message: 'Only the first YAML document of the file is analysed; the rest is ignored.',
    });
  }
  const budget: Budget = { nodes: 0, reported: false };
  const root = first?.contents ? convertYaml(first.contents, first, text, errors, 0, budget) : null;
  return { format: 'yaml', text, root, errors: clampErrors(errors, text.length, text), suppressions };
}

function convertYaml(
  node: unknown,
  document: YAML.Document.Parsed,
  text: string,
  errors: SyntaxError[],
  depth: number,
  budget: Budget,
): Node | null {
  budget.nodes++;
  if (budget.nodes > MAX_NODES) {
    if (!budget.reported) {
      budget.reported = true;
      const range = (node as { range?: [number, number, number] }).range ?? [0, 0, 0];
      errors.push({
        start: range[0],
        end: Math.max(range[1], range[0] + 1),
        message: `The document expands to more than ${MAX_NODES} values (aliases?); the rest is not analysed.`,
      });
    }
    return null;
  }
  if (depth > MAX_DEPTH) {
    const range = (node as { range?: [number, number, number] }).range ?? [0, 0, 0];
    errors.push({
      start: range[0],
      end: Math.max(range[1], range[0] + 1),
      message: `Nesting deeper than ${MAX_DEPTH} levels is not analysed.`,
    });
    return null;
  }
  if (YAML.isAlias(node)) {
    // An alias stands for its anchor's value; positions stay on the alias so edits land where the user looks.
    const target = node.resolve(document);
    const range = node.range ?? [0, 0, 0];
    if (!target) return scalar(null, text, range[0], range[1], true);
    const resolved = convertYaml(target, document, text, errors, depth + 1, budget);
    return resolved ? relocate(resolved, range[0], range[1], text) : null;
  }
  if (YAML.isScalar(node)) {
    const range = node.range ?? [0, 0, 0];
    const value = node.value;
    const plain = node.type === 'PLAIN' || node.type === undefined;
    let scalarValue: ScalarNode['value'];
    if (value === null || value === undefined) scalarValue = null;
    else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') scalarValue = value;
    else if (typeof value === 'bigint') scalarValue = Number(value);
    else scalarValue = String(value);
    return scalar(scalarValue, text, range[0], range[1], plain);
  }
  if (YAML.isMap(node)) {
    const range = node.range ?? [0, 0, 0];
    const entries: MapEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as { range?: [number, number, number] } | null;
      const keyRange = keyNode?.range ?? [range[0], range[0], range[0]];
      const key = YAML.isScalar(pair.key) ? String(pair.key.value ?? '') : keyText(pair.key, text);
      const value =
        pair.value === null || pair.value === undefined
          ? null
          : convertYaml(pair.value, document, text, errors, depth + 1, budget);
      const end = value ? value.end : keyRange[1];
      entries.push({
        key,
        keySpan: { start: keyRange[0], end: keyRange[1] },
        value: isEmptyScalar(value) ? null : value,
        start: keyRange[0],
        end,
      });
    }
    const map: MapNode = { kind: 'map', ...collectionSpan(text, range), entries, flow: Boolean(node.flow) };
    return map;
  }
  if (YAML.isSeq(node)) {
    const range = node.range ?? [0, 0, 0];
    const items: Node[] = [];
    for (const item of node.items) {
      const converted = convertYaml(item, document, text, errors, depth + 1, budget);
      if (converted) items.push(converted);
    }
    const seq: SeqNode = { kind: 'seq', ...collectionSpan(text, range), items, flow: Boolean(node.flow) };
    return seq;
  }
  return null;
}

function isEmptyScalar(node: Node | null): boolean {
  return node !== null && node.kind === 'scalar' && node.value === null && node.start === node.end;
}

function keyText(key: unknown, text: string): string {
  const range = (key as { range?: [number, number, number] } | null)?.range;
  return range ? text.slice(range[0], range[1]) : '';
}

/** A YAML map's or list's span, ending on its last character (see `trimEnd`). */
function collectionSpan(text: string, range: readonly [number, number, number]): Span {
  return { start: range[0], end: trimEnd(text, range[0], range[1]) };
}

/** Block collections' ranges include trailing newlines and comments; spans should end on the last character. */
function trimEnd(text: string, start: number, end: number): number {
  let stop = Math.min(end, text.length);
  while (stop > start && /\s/.test(text[stop - 1] ?? '')) stop--;
  return stop;
}

function scalar(value: ScalarNode['value'], text: string, start: number, end: number, plain: boolean): ScalarNode {
  return { kind: 'scalar', value, source: text.slice(start, end), plain, start, end };
}

/** A copy of an aliased node placed at the alias's span (children keep their anchor positions). */
function relocate(node: Node, start: number, end: number, text: string): Node {
  if (node.kind === 'scalar') return { ...node, start, end, source: text.slice(start, end), plain: false };
  return { ...node, start, end };
}

/** The offset where the line holding `offset` starts. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

function lineEnd(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return end < 0 ? text.length : end;
}

/** The unclosed `[` or `{` before `offset` (quoted text skipped), or -1. */
function unclosedBracket(text: string, offset: number): number {
  const open: number[] = [];
  let quote = '';
  for (let i = 0; i < offset; i++) {
    const char = text[i]!;
    if (quote) {
      if (char === quote) quote = '';
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(text[i - 1]!))) i = lineEnd(text, i) - 1;
    else if (char === '[' || char === '{') open.push(i);
    else if ((char === ']' || char === '}') && open.length > 0) open.pop();
  }
  return open.at(-1) ?? -1;
}

/**
 * A YAML parser error moved onto the line that holds the mistake, with a message written for a person. The parser
 * notices many mistakes only on a later line (an unclosed `[` or quote, a line indented too far), and words them in
 * its own terms ("Implicit keys need to be on a single line").
 */
function describeYamlError(text: string, code: string, message: string, start: number, end: number): SyntaxError {
  const onLine = (at: number, what: string): SyntaxError => {
    const first = lineStart(text, at);
    const indent = /^[ \t]*/.exec(text.slice(first))?.[0].length ?? 0;
    const from = Math.max(at, first + indent);
    return { start: from, end: Math.max(from + 1, lineEnd(text, from)), message: what };
  };
  const flowEnd = /end with an? ([\]}])/.exec(message)?.[1] ?? (code === 'MISSING_CHAR' && /[\]}]/.exec(message)?.[0]);
  if (flowEnd) {
    const bracket = unclosedBracket(text, start);
    const kind = flowEnd === ']' ? 'list' : 'mapping';
    if (bracket >= 0)
      return {
        start: bracket,
        end: bracket + 1,
        message: `This \`${text[bracket]}\` ${kind} is never closed: add \`${flowEnd}\` where it ends.`,
      };
  }
  if (code === 'MISSING_CHAR' && /quote/i.test(message)) {
    const quoteChar = /"quote|double/i.test(message) ? '"' : "'";
    const opening = text.lastIndexOf(quoteChar, Math.max(0, start - 1));
    if (opening >= 0)
      return {
        start: opening,
        end: Math.max(opening + 1, lineEnd(text, opening)),
        message: `This quoted string is never closed: add the closing ${quoteChar} on this line.`,
      };
  }
  if (code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY') {
    const first = lineStart(text, start);
    const before = text.slice(first, start);
    if (before.includes(':')) {
      // `type: AdamW` followed by a line indented deeper: YAML reads that line as part of the value above it.
      const next = lineEnd(text, start) + 1;
      if (next < text.length)
        return onLine(
          next,
          'This line is indented deeper than the key above it, so YAML reads it as part of that value: align it with the other keys of its mapping.',
        );
    }
    const shown = text.slice(start, lineEnd(text, start)).trim();
    return onLine(
      start,
      `\`${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}\` has no \`:\` after its key: write \`key: value\` (with a space after the colon), one per line.`,
    );
  }
  if (code === 'TAB_AS_INDENT') return onLine(start, 'YAML does not allow tabs for indentation: indent with spaces.');
  if (code === 'BAD_INDENT')
    return onLine(
      start,
      `The indentation of this line does not match the lines around it (${message.replace(/\.$/, '')}).`,
    );
  return { start, end: Math.max(end, start + 1), message };
}

// ---------------------------------------------------------------------------------------------- JSON

function parseJson(text: string, suppressions: SyntaxTree['suppressions']): SyntaxTree {
  const parseErrors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, parseErrors, { allowTrailingComma: true, disallowComments: false });
  const errors: SyntaxError[] = parseErrors.map((error) => ({
    start: error.offset,
    end: error.offset + Math.max(error.length, 1),
    message: describeJsonError(error.error),
  }));
  const root = tree ? convertJson(tree, text, errors, 0) : null;
  return { format: 'json', text, root, errors: clampErrors(errors, text.length, text), suppressions };
}

function convertJson(node: jsonc.Node, text: string, errors: SyntaxError[], depth: number): Node | null {
  const start = node.offset;
  const end = node.offset + node.length;
  if (depth > MAX_DEPTH) {
    errors.push({ start, end: start + 1, message: `Nesting deeper than ${MAX_DEPTH} levels is not analysed.` });
    return null;
  }
  switch (node.type) {
    case 'object': {
      const entries: MapEntry[] = [];
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        if (!keyNode) continue;
        const value = valueNode ? convertJson(valueNode, text, errors, depth + 1) : null;
        entries.push({
          key: String(keyNode.value ?? ''),
          keySpan: { start: keyNode.offset, end: keyNode.offset + keyNode.length },
          value,
          start: keyNode.offset,
          end: value ? value.end : keyNode.offset + keyNode.length,
        });
      }
      return { kind: 'map', start, end, entries, flow: true };
    }
    case 'array': {
      const items: Node[] = [];
      for (const child of node.children ?? []) {
        const converted = convertJson(child, text, errors, depth + 1);
        if (converted) items.push(converted);
      }
      return { kind: 'seq', start, end, items, flow: true };
    }
    case 'string':
      return scalar(typeof node.value === 'string' ? node.value : '', text, start, end, false);
    case 'number':
    case 'boolean':
    case 'null':
      return scalar((node.value ?? null) as ScalarNode['value'], text, start, end, true);
    default:
      return null;
  }
}

const JSON_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'Invalid symbol: not valid JSON here (a template placeholder or a missing quote?).',
  InvalidNumberFormat: 'Invalid number format.',
  PropertyNameExpected: 'Property name expected (JSON keys are double-quoted strings).',
  ValueExpected: 'Value expected.',
  ColonExpected: 'Colon expected.',
  CommaExpected: 'Comma expected.',
  CloseBraceExpected: 'Closing brace `}` expected.',
  CloseBracketExpected: 'Closing bracket `]` expected.',
  EndOfFileExpected: 'End of file expected: there is text after the top-level value.',
  InvalidCommentToken: 'Invalid comment.',
  UnexpectedEndOfComment: 'Unterminated comment.',
  UnexpectedEndOfString: 'Unterminated string.',
  UnexpectedEndOfNumber: 'Unterminated number.',
  InvalidUnicode: 'Invalid unicode escape.',
  InvalidEscapeCharacter: 'Invalid escape character.',
  InvalidCharacter: 'Invalid character.',
};

function describeJsonError(code: jsonc.ParseErrorCode): string {
  return JSON_ERROR_MESSAGES[jsonc.printParseErrorCode(code)] ?? 'Syntax error.';
}

// ---------------------------------------------------------------------------------------------- shared

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** Keeps error spans inside the text; an error at the very end is moved onto the last visible character. */
function clampErrors(errors: SyntaxError[], length: number, text = ''): SyntaxError[] {
  return errors.map((error) => {
    let start = Math.max(0, Math.min(error.start, length));
    let end = Math.max(start, Math.min(error.end, length));
    if (start === end && start === length && length > 0) {
      let last = length - 1;
      while (last > 0 && /\s/.test(text[last] ?? '')) last--;
      start = last;
      end = last + 1;
    }
    return { ...error, start, end };
  });
}
