// The JSON Schema (draft-07) of the native `*.optim.{yaml,yml,json}` format, generated from the catalog.

import { ALL_SECTIONS } from './allSections';
import { OPTIMIZERS, SCHEDULERS } from './index';
import { RANGE_TEST_SECTION } from './rangeTestSection';
import { TOP_LEVEL_SECTIONS } from './sections';
import { SIMULATE_SECTION } from './simulateSection';
import type { Bound, EntryBase, OptimizerEntry, ParamSpec, SchedulerEntry, SectionEntry } from './types';

type OptimSectionKey = 'training' | 'range_test' | 'simulate';

/** Where the generated schema lives, relative to the repository root. */
export const OPTIM_SCHEMA_PATH = 'schemas/optim.schema.json';

/** The command that rewrites the schema file; staleness messages quote it. */
export const OPTIM_SCHEMA_COMMAND = 'node --import tsx scripts/generateSchemas.ts';

/** The schema's identifier; a URN because the schema ships inside the extension rather than on a web site. */
export const OPTIM_SCHEMA_ID = 'urn:optimizer-lens:schema:optim';

/**
 * Module prefixes the native format accepts in front of a class name. They are the ones the brief of the
 * format names; every spelling built with them must also resolve through `findOptimizer` / `findScheduler`
 * (a test checks this), so the schema never accepts a name the look-ups reject.
 */
const TORCH_OPTIMIZER_PREFIX = 'torch.optim.';
const TORCH_SCHEDULER_PREFIX = 'torch.optim.lr_scheduler.';

/** The non-optimizer, non-scheduler sections; a missing entry makes the schema accept any object there. */
export interface OptimSchemaSections {
  readonly training?: SectionEntry;
  readonly range_test?: SectionEntry;
  readonly simulate?: SectionEntry;
}

/** Everything the schema is derived from; tests pass a small catalog, the generator passes the real one. */
export interface OptimSchemaCatalog {
  readonly optimizers: readonly OptimizerEntry[];
  readonly schedulers: readonly SchedulerEntry[];
  readonly sections: OptimSchemaSections;
}

type JsonSchema = Record<string, unknown>;

/** The schema of the native format, from the catalog as it is compiled into the extension. */
export function generateOptimSchema(): object {
  return buildOptimSchema({ optimizers: OPTIMIZERS, schedulers: SCHEDULERS, sections: catalogSections() });
}

/** The section entries the catalog defines; the first entry of a name wins, so `ALL_SECTIONS` takes precedence. */
function catalogSections(): OptimSchemaSections {
  const known: readonly SectionEntry[] = [...ALL_SECTIONS, RANGE_TEST_SECTION, SIMULATE_SECTION];
  const find = (name: OptimSectionKey) => known.find((entry) => entry.name === name);
  return { training: find('training'), range_test: find('range_test'), simulate: find('simulate') };
}

/** The schema file's text: two-space indentation and a trailing newline, so regenerating it is a no-op. */
export function serializeSchema(schema: object): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Every spelling `type:` accepts for an optimizer: name, aliases, and `torch.optim.<Name>` for torch classes. */
export function optimizerTypeSpellings(entry: OptimizerEntry): string[] {
  const base = [entry.name, ...(entry.aliases ?? [])];
  const prefixed = entry.library === 'torch' ? [TORCH_OPTIMIZER_PREFIX + entry.name] : [];
  return unique([...base, ...prefixed]);
}

/** Every spelling `type:` accepts for a scheduler: name, aliases, and `torch.optim.lr_scheduler.<Name>` for torch classes. */
export function schedulerTypeSpellings(entry: SchedulerEntry): string[] {
  const base = [entry.name, ...(entry.aliases ?? [])];
  const prefixed = entry.family === 'torch' ? [TORCH_SCHEDULER_PREFIX + entry.name] : [];
  return unique([...base, ...prefixed]);
}

/** The schema for an explicit catalog. Pure: the same catalog always gives the same object, key order included. */
export function buildOptimSchema(catalog: OptimSchemaCatalog): JsonSchema {
  const definitions: Record<string, JsonSchema> = {
    optimizer: kindSchema('optimizer', catalog.optimizers, optimizerTypeSpellings),
    scheduler: kindSchema('scheduler', catalog.schedulers, schedulerTypeSpellings),
  };
  for (const entry of catalog.optimizers)
    definitions[`optimizer.${entry.name}`] = branchSchema(entry, optimizerTypeSpellings(entry));
  for (const entry of catalog.schedulers)
    definitions[`scheduler.${entry.name}`] = branchSchema(entry, schedulerTypeSpellings(entry));

  const bySection: Record<string, JsonSchema> = {
    optimizer: { $ref: '#/definitions/optimizer' },
    scheduler: { $ref: '#/definitions/scheduler' },
    training: sectionSchema('training', catalog.sections.training),
    range_test: sectionSchema('range_test', catalog.sections.range_test),
    simulate: sectionSchema('simulate', catalog.sections.simulate),
  };
  // The catalog's list of top-level keys orders the properties; a key it adds later is accepted as any object.
  const properties: Record<string, JsonSchema> = {};
  for (const section of TOP_LEVEL_SECTIONS) {
    properties[section.name] = bySection[section.name] ?? {
      title: section.name,
      description: toPlainText(section.summary),
      markdownDescription: section.summary,
      type: 'object',
    };
  }
  for (const [name, schema] of Object.entries(bySection)) properties[name] ??= schema;

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: OPTIM_SCHEMA_ID,
    title: 'Optimizer Lens config',
    description:
      'An optimizer and learning-rate schedule written as PyTorch would construct them, plus the run they are checked against.',
    markdownDescription:
      'An optimizer and learning-rate schedule written as PyTorch would construct them (`type:` plus keyword arguments, verbatim), plus the run they are checked against. See `docs/format.md`.',
    type: 'object',
    properties,
    // Other top-level keys are left open: YAML users park anchors there (`x-common: &common ...`),
    // and the language server reports unknown sections with a message that says what to do.
    definitions: sortKeys(definitions),
  };
}

/** `optimizer` or `scheduler`: a `type` from the catalog, then the branch of that type checks the arguments. */
function kindSchema<T extends OptimizerEntry | SchedulerEntry>(
  kind: 'optimizer' | 'scheduler',
  entries: readonly T[],
  spellingsOf: (entry: T) => string[],
): JsonSchema {
  const title = kind === 'optimizer' ? 'Optimizer' : 'Learning-rate scheduler';
  const typeDoc =
    kind === 'optimizer'
      ? 'The optimizer class: its name (`AdamW`) or its module path (`torch.optim.AdamW`).'
      : 'The scheduler class: a torch name (`CosineAnnealingLR`, `torch.optim.lr_scheduler.CosineAnnealingLR`), a Hugging Face schedule (`hf.cosine`) or a DeepSpeed one (`WarmupLR`).';
  const typeSchema: JsonSchema = { type: 'string', description: toPlainText(typeDoc), markdownDescription: typeDoc };
  // With an empty catalog an empty enum would reject every type, so the type is then only required to be a string.
  if (entries.length > 0) {
    const spellings: string[] = [];
    const summaries: string[] = [];
    for (const entry of entries) {
      for (const spelling of spellingsOf(entry)) {
        if (spellings.includes(spelling)) continue;
        spellings.push(spelling);
        summaries.push(entry.summary);
      }
    }
    typeSchema.enum = spellings;
    typeSchema.markdownEnumDescriptions = summaries;
  }
  return {
    title,
    description:
      kind === 'optimizer'
        ? 'The optimizer: `type` plus its keyword arguments, exactly as the class takes them.'
        : 'The scheduler: `type` plus its keyword arguments, exactly as the class takes them (the optimizer argument is implied).',
    type: 'object',
    properties: { type: typeSchema },
    required: ['type'],
    // Draft-07 has no discriminator: one `if type is X then X's arguments` per class. `allOf` may not be empty.
    ...(entries.length > 0
      ? {
          allOf: entries.map((entry) => ({
            if: { type: 'object', properties: { type: { enum: spellingsOf(entry) } }, required: ['type'] },
            then: { $ref: `#/definitions/${kind}.${entry.name}` },
          })),
        }
      : {}),
  };
}

/** One optimizer or scheduler class: its keyword arguments, nothing else. */
function branchSchema(entry: OptimizerEntry | SchedulerEntry, spellings: readonly string[]): JsonSchema {
  const properties: Record<string, JsonSchema> = { type: { enum: [...spellings] } };
  for (const param of entry.params) properties[param.name] = paramSchema(param);
  const required = ['type', ...entry.params.filter((param) => param.required).map((param) => param.name)];
  return {
    title: entry.name,
    description: toPlainText(entry.summary),
    markdownDescription: entryMarkdown(entry),
    type: 'object',
    properties,
    required,
    // Safe: the keys are Python keyword arguments, and an unknown one is a TypeError when the class is built.
    additionalProperties: false,
  };
}

/** A `training:`, `range_test:` or `simulate:` section, or any object when the catalog has no entry for it. */
function sectionSchema(key: OptimSectionKey, entry: SectionEntry | undefined): JsonSchema {
  if (entry === undefined) {
    return { title: key, description: `The \`${key}\` section.`, type: 'object' };
  }
  const properties: Record<string, JsonSchema> = {};
  for (const param of entry.params) properties[param.name] = paramSchema(param);
  const required = entry.params.filter((param) => param.required).map((param) => param.name);
  return {
    title: key,
    description: toPlainText(entry.summary),
    markdownDescription: `${entry.summary}\n\n${entry.doc}${referencesMarkdown(entry.references)}`,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    // Sections stay open: the language server reports unknown keys with a fix, and newer versions may add keys.
  };
}

function entryMarkdown(entry: EntryBase): string {
  return `**${entry.name}**: ${entry.summary}\n\n${entry.doc}${referencesMarkdown(entry.references)}`;
}

function referencesMarkdown(references: EntryBase['references']): string {
  if (references.length === 0) return '';
  return `\n\n${references.map((reference) => `- [${reference.title}](${reference.url})`).join('\n')}`;
}

/** The schema of one keyword argument. */
export function paramSchema(param: ParamSpec): JsonSchema {
  const schema: JsonSchema = {
    description: toPlainText(param.doc),
    markdownDescription: param.deprecated ? `${param.doc}\n\n*Deprecated:* ${param.deprecated}` : param.doc,
    ...(param.default === null ? nullable(valueSchema(param)) : valueSchema(param)),
  };
  if (isJsonValue(param.default)) schema.default = param.default;
  if (param.deprecated) schema.deprecationMessage = param.deprecated;
  return schema;
}

function valueSchema(param: ParamSpec): JsonSchema {
  const number = { type: 'number', ...bounds(param) };
  switch (param.type) {
    case 'number':
      return number;
    case 'integer':
      return { type: 'integer', ...bounds(param) };
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return { type: 'string' };
    case 'enum':
      return param.values && param.values.length > 0 ? { enum: [...param.values] } : { type: 'string' };
    case 'numberPair':
      return { type: 'array', items: number, minItems: 2, maxItems: 2 };
    case 'numberList':
      return { type: 'array', items: number };
    case 'integerList':
      return { type: 'array', items: { type: 'integer', ...bounds(param) } };
    case 'schedulerList':
      return { type: 'array', items: { $ref: '#/definitions/scheduler' } };
    case 'numberOrList':
      // Draft-07 applies the bounds to a number and `items` to an array, so one schema covers both shapes.
      return { type: ['number', 'array'], ...bounds(param), items: number };
    case 'any':
      return {};
  }
}

/** A `None` default (catalogued as `null`) means the argument may also be written as `null`. */
function nullable(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.enum)) return { ...schema, enum: [...(schema.enum as unknown[]), null] };
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.type)) return { ...schema, type: [...(schema.type as unknown[]), 'null'] };
  return schema;
}

function bounds(param: ParamSpec): JsonSchema {
  return { ...bound('minimum', 'exclusiveMinimum', param.min), ...bound('maximum', 'exclusiveMaximum', param.max) };
}

function bound(inclusiveKey: string, exclusiveKey: string, value: Bound | undefined): JsonSchema {
  if (value === undefined || !Number.isFinite(value.value)) return {};
  return { [value.exclusive ? exclusiveKey : inclusiveKey]: value.value };
}

/** Defaults such as `Infinity` or functions cannot be written in JSON and are left out rather than mangled. */
function isJsonValue(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value === 'string' || typeof value === 'boolean') return true;
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).every(isJsonValue);
  return false;
}

/** Markdown reduced to what a plain `description` shows well: no backticks, emphasis or link targets. */
function toPlainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]*)\*\*/g, '$1');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] as T;
  return sorted;
}
