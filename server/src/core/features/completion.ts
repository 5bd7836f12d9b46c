// Completion: section keys, optimizer and scheduler names, parameter keys with their defaults, enum values, and setup snippets.

import type { Analysis } from '../analysis';
import { OPTIMIZERS, SCHEDULERS } from '../catalog/index';
import { TOP_LEVEL_SECTIONS, TRAINING_SECTION } from '../catalog/sections';
import { CONFIG_SNIPPETS } from '../catalog/snippets';
import type { EntryBase, ParamSpec, SectionEntry } from '../catalog/types';
import type { ParamValue, SchedulerBlock } from '../model';
import type { MapNode } from '../syntax/tree';
import type { SourceFormat, Span } from '../syntax/tree';
import { completionContext, type CompletionContext } from './completionContext';
import { entryMarkdown, paramMarkdown } from './hover';

export interface CompletionItem {
  readonly label: string;
  readonly kind: 'section' | 'optimizer' | 'scheduler' | 'param' | 'value' | 'snippet';
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Text with `${n:...}` tab stops when `snippet` is true. */
  readonly insertText: string;
  readonly snippet: boolean;
  /** What the insertion replaces. */
  readonly replace: Span;
  readonly sortText?: string;
  /** Keeps the list filtering on the visible label even when the insert text differs. */
  readonly filterText?: string;
}

export function complete(
  analysis: Analysis,
  offset: number,
  sections: readonly SectionEntry[] = [TRAINING_SECTION],
): CompletionItem[] {
  const { tree, model } = analysis;
  const text = tree.text;
  if (model && model.dialect !== 'optim') return dialectCompletion(analysis, offset);
  const context = completionContext(text, offset, tree.format);
  const replace = context.word;
  const format = tree.format;
  const path = context.path;
  const existing = existingKeys(analysis, path, offset);

  if (path.length === 0) {
    if (context.position === 'value') return [];
    const items: CompletionItem[] = TOP_LEVEL_SECTIONS.filter((section) => !existing.has(section.name)).map(
      (section, index) => ({
        label: section.name,
        kind: 'section' as const,
        documentation: section.summary,
        insertText: keyInsert(format, context, section.name, format === 'json' ? '{$0}' : '\n  $0'),
        snippet: true,
        replace,
        sortText: `0${index}`,
      }),
    );
    if (!existing.has('optimizer') && !existing.has('scheduler')) {
      CONFIG_SNIPPETS.forEach((snippet, index) => {
        items.push({
          label: snippet.label,
          kind: 'snippet',
          detail: 'Optimizer Lens setup',
          documentation: snippet.description,
          insertText: format === 'json' ? snippet.json : snippet.yaml,
          snippet: true,
          replace,
          sortText: `1${index}`,
        });
      });
    }
    return items;
  }

  const section = path[0];
  if (section === 'optimizer' && path.length === 1) {
    const entry = model?.optimizer?.entry;
    if (context.position === 'value') {
      if (context.valueKey === 'type') return names(OPTIMIZERS, 'optimizer', replace, 'torch.optim optimizer');
      return valueItems(entry?.params, context.valueKey, replace, format);
    }
    return keyItems(entry, existing, format, context, 'optimizer');
  }
  if (section === 'scheduler' && (path.length === 1 || path.at(-1) === '-')) {
    const block = model?.scheduler
      ? path.length === 1
        ? model.scheduler
        : innermostScheduler(model.scheduler, offset, text)
      : undefined;
    const entry = block?.entry;
    if (context.position === 'value') {
      if (context.valueKey === 'type') return names(SCHEDULERS, 'scheduler', replace, 'scheduler');
      return valueItems(entry?.params, context.valueKey, replace, format);
    }
    return keyItems(entry, existing, format, context, 'scheduler');
  }
  const sectionEntry = sections.find((candidate) => candidate.name === section);
  if (sectionEntry && path.length === 1) {
    if (context.position === 'value') return valueItems(sectionEntry.params, context.valueKey, replace, format);
    return sectionEntry.params
      .filter((param) => !existing.has(param.name))
      .map((param, index) => paramItem(param, `\`${sectionEntry.name}:\``, format, context, index));
  }
  return [];
}

function names(
  entries: readonly EntryBase[],
  kind: 'optimizer' | 'scheduler',
  replace: Span,
  what: string,
): CompletionItem[] {
  return entries.map((entry, index) => ({
    label: entry.name,
    kind,
    detail: entry.summary,
    documentation: entryMarkdown(entry, what),
    insertText: entry.name,
    snippet: false,
    replace,
    sortText: String(index).padStart(3, '0'),
  }));
}

function keyItems(
  entry: EntryBase | undefined,
  existing: ReadonlySet<string>,
  format: SourceFormat,
  context: CompletionContext,
  kind: string,
): CompletionItem[] {
  const items: CompletionItem[] = [];
  if (!existing.has('type')) {
    items.push({
      label: 'type',
      kind: 'param',
      documentation: `The ${kind} class name.`,
      insertText: keyInsert(format, context, 'type', '$0'),
      snippet: true,
      replace: context.word,
      sortText: '000',
    });
  }
  if (!entry) return items;
  entry.params.forEach((param, index) => {
    if (!existing.has(param.name)) items.push(paramItem(param, entry.name, format, context, index + 1));
  });
  return items;
}

function paramItem(
  param: ParamSpec,
  owner: string,
  format: SourceFormat,
  context: CompletionContext,
  index: number,
): CompletionItem {
  return {
    label: param.name,
    kind: 'param',
    detail: param.required
      ? 'required'
      : param.default !== undefined
        ? `default ${literal(param.default, format)}`
        : undefined,
    documentation: paramMarkdown(param, owner, undefined, false),
    insertText: keyInsert(format, context, param.name, placeholder(param, format)),
    snippet: true,
    replace: context.word,
    sortText: `${param.required ? '0' : '1'}${String(index).padStart(3, '0')}`,
    filterText: param.name,
  };
}

/** The values to offer for `key` among `params` (an entry's or a section's): an enum's values, or true and false. */
function valueItems(
  params: readonly ParamSpec[] | undefined,
  key: string | undefined,
  replace: Span,
  format: SourceFormat,
): CompletionItem[] {
  const param = params?.find((candidate) => candidate.name === key);
  if (!param) return [];
  const values = param.type === 'enum' ? (param.values ?? []) : param.type === 'boolean' ? ['true', 'false'] : [];
  return values.map((value, index) => ({
    label: value,
    kind: 'value' as const,
    ...(param.default !== undefined && String(param.default) === value ? { detail: 'default' } : {}),
    insertText: param.type === 'enum' && format === 'json' ? `"${value}"` : value,
    snippet: false,
    replace,
    sortText: String(index).padStart(3, '0'),
  }));
}

function keyInsert(format: SourceFormat, _context: CompletionContext, key: string, value: string): string {
  if (format === 'json') return `"${key}": ${value}`;
  return `${key}: ${value}`;
}

function placeholder(param: ParamSpec, format: SourceFormat): string {
  const value = param.default;
  switch (param.type) {
    case 'numberPair': {
      const pair = Array.isArray(value) && value.length === 2 ? value : [0.9, 0.999];
      return `[\${1:${literal(pair[0], format)}}, \${2:${literal(pair[1], format)}}]`;
    }
    case 'numberList':
    case 'integerList':
      return '[${1}]';
    case 'schedulerList':
      return format === 'json' ? '[{"type": "$1"}]' : '\n  - type: $1';
    case 'enum':
      return `\${1|${(param.values ?? []).join(',')}|}`;
    case 'boolean':
      return `\${1|${value === true ? 'true,false' : 'false,true'}|}`;
    default:
      return value === undefined || value === null ? '$1' : `\${1:${literal(value, format)}}`;
  }
}

/** A value as it should be written in the file: floats in a form every YAML loader reads as a float. */
export function literal(value: unknown, format: SourceFormat): string {
  if (typeof value === 'number') {
    if (
      format === 'yaml' &&
      value !== 0 &&
      Number.isFinite(value) &&
      (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)
    ) {
      const [mantissa = '', exponent = ''] = value.toExponential().split('e');
      return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent.startsWith('-') ? exponent : `+${exponent.replace('+', '')}`}`;
    }
    return String(value);
  }
  if (typeof value === 'string') return format === 'json' ? JSON.stringify(value) : value;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, format)).join(', ')}]`;
  return JSON.stringify(value);
}

/** The nested scheduler block holding the cursor, also on a new key line below a block-style list item. */
function innermostScheduler(block: SchedulerBlock, offset: number, text: string): SchedulerBlock | undefined {
  let found: SchedulerBlock | undefined;
  for (const child of block.children) {
    if (child.node && inMap(text, child.node, offset)) {
      found = innermostScheduler(child, offset, text) ?? child;
    }
  }
  return found;
}

/** Keys already present in the mapping being completed, so they are not offered twice. */
function existingKeys(analysis: Analysis, path: readonly string[], offset: number): ReadonlySet<string> {
  const model = analysis.model;
  const root = analysis.tree.root;
  if (path.length === 0) return new Set(root?.kind === 'map' ? root.entries.map((entry) => entry.key) : []);
  if (!model) return new Set();
  if (path[0] === 'optimizer' && model.optimizer)
    return new Set(
      ['type', ...model.optimizer.params.keys()].filter((key) => key !== 'type' || model.optimizer?.typeName),
    );
  if (path[0] === 'scheduler' && model.scheduler) {
    const block = path.length === 1 ? model.scheduler : innermostScheduler(model.scheduler, offset, analysis.tree.text);
    if (!block) return new Set();
    return new Set([...(block.typeName ? ['type'] : []), ...block.params.keys()]);
  }
  if (path[0] === 'training' && model.training) return new Set(model.training.params.keys());
  const section =
    path[0] === 'range_test' ? model.rangeTest?.node : path[0] === 'simulate' ? model.simulate?.node : undefined;
  if (section?.kind === 'map') return new Set(section.entries.map((entry) => entry.key));
  return new Set();
}

/** The blocks a dialect file maps onto the model, innermost last: the optimizer, the scheduler and its children. */
function blocksOf(analysis: Analysis): {
  kind: 'optimizer' | 'scheduler';
  block: {
    readonly node: MapNode | null;
    readonly typeSpan: Span;
    readonly typeName: string;
    readonly params: ReadonlyMap<string, ParamValue>;
    readonly entry?: EntryBase | undefined;
  };
}[] {
  const out: ReturnType<typeof blocksOf> = [];
  const model = analysis.model;
  if (model?.optimizer) out.push({ kind: 'optimizer', block: model.optimizer });
  const visit = (block: SchedulerBlock): void => {
    out.push({ kind: 'scheduler', block });
    block.children.forEach(visit);
  };
  if (model?.scheduler) visit(model.scheduler);
  return out;
}

/** Whether the cursor is in a mapping: inside its span, or on a new line below it at the indentation of its keys. */
function inMap(text: string, map: MapNode, offset: number): boolean {
  if (offset >= map.start && offset <= map.end) return true;
  if (offset < map.end || map.flow || map.entries.length === 0) return false;
  // Only blank lines between the end of the mapping and the cursor's line.
  const cursorLine = text.lastIndexOf('\n', offset - 1) + 1;
  if (cursorLine <= map.end || text.slice(map.end, cursorLine).trim() !== '') return false;
  const firstKey = map.entries[0]!.keySpan.start;
  const keyIndent = firstKey - (text.lastIndexOf('\n', firstKey - 1) + 1);
  const indent = (/^[ \t]*/.exec(text.slice(cursorLine)) ?? [''])[0].length;
  return indent === keyIndent;
}

/**
 * Completion in DeepSpeed, Lightning, Hugging Face and Hydra files: optimizer and scheduler names on their type
 * value, and the parameters of the block under the cursor. Nothing else: the native sections and snippets would be
 * wrong suggestions in another tool's file.
 */
function dialectCompletion(analysis: Analysis, offset: number): CompletionItem[] {
  const text = analysis.tree.text;
  const format = analysis.tree.format;
  const word = wordSpan(text, offset);
  const blocks = blocksOf(analysis);
  for (const { kind, block } of blocks) {
    if (block.typeName && offset >= block.typeSpan.start && offset <= block.typeSpan.end) {
      return names(
        kind === 'optimizer' ? OPTIMIZERS : SCHEDULERS,
        kind,
        word,
        kind === 'optimizer' ? 'optimizer' : 'scheduler',
      ).map((item) =>
        format === 'json' ? { ...item, insertText: `"${item.insertText}"`, replace: block.typeSpan } : item,
      );
    }
  }
  for (const { block } of [...blocks].reverse()) {
    if (!block.node || !block.entry || !inMap(text, block.node, offset)) continue;
    // Only on a key position: the rest of the line before the cursor is a bare word.
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    if (!/^[\s{,]*"?[\w]*$/.test(before)) return [];
    // Arguments the calling code passes (Hydra's caller, torchtune's recipe) count as present: never suggested.
    const passed = [...block.params.values()].filter((param) => param.opaque === 'derived');
    const present = new Set([...block.node.entries.map((entry) => entry.key), ...passed.map((param) => param.name)]);
    const context: CompletionContext = { path: [], position: 'key', word, inFlow: block.node.flow };
    return block.entry.params
      .filter((param) => !present.has(param.name))
      .map((param, index) => paramItem(param, block.entry!.name, format, context, index));
  }
  return [];
}

function wordSpan(text: string, offset: number): Span {
  let start = offset;
  while (start > 0 && /[\w."]/.test(text[start - 1] ?? '')) start--;
  let end = offset;
  while (end < text.length && /[\w."]/.test(text[end] ?? '')) end++;
  return { start, end };
}
