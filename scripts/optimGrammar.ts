// The TextMate grammar of the native format (YAML and JSON forms alike): a fixed template plus the catalog's names.

import { OPTIMIZERS, SCHEDULERS } from '../server/src/core/catalog/index';
import { TOP_LEVEL_SECTIONS } from '../server/src/core/catalog/sections';

/** The names the grammar highlights after `type:`; tests pass their own, the generator passes the catalog's. */
export interface GrammarNames {
  readonly optimizers: readonly string[];
  readonly schedulers: readonly string[];
  readonly sections: readonly string[];
}

type Rule = Record<string, unknown>;

/** The path of the grammar file, relative to the repository root. */
export const GRAMMAR_PATH = 'syntaxes/optim.tmLanguage.json';

/** The command that rewrites the grammar; staleness messages quote it. */
export const GRAMMAR_COMMAND = 'node --import tsx scripts/generateGrammar.ts';

/** The catalog's names: every canonical name and alias, for optimizers and schedulers, and the top-level sections. */
export function catalogGrammarNames(): GrammarNames {
  return {
    optimizers: OPTIMIZERS.flatMap((entry) => [entry.name, ...(entry.aliases ?? [])]),
    schedulers: SCHEDULERS.flatMap((entry) => [entry.name, ...(entry.aliases ?? [])]),
    sections: TOP_LEVEL_SECTIONS.map((section) => section.name),
  };
}

/** The grammar file's text, exactly as `scripts/generateGrammar.ts` writes it. */
export function renderOptimGrammar(names: GrammarNames = catalogGrammarNames()): string {
  return `${JSON.stringify(buildOptimGrammar(names), null, 2)}\n`;
}

// The building blocks below are Oniguruma regular expressions. Lookbehinds must have a fixed length there,
// which is why "at the start of a node" is written as "not preceded by anything but space or flow punctuation".

/** A key starts a line, follows whitespace, or follows `{` / `,` in flow style. */
const KEY_START = String.raw`(?<![^\s\[{,])`;
/** A value starts where a key could, or right after `:` (JSON's `"lr":1`). */
const VALUE_START = String.raw`(?<![^\s\[{,:])`;
/** A scalar ends at the end of the line, at flow punctuation, or before a comment. */
const VALUE_END = String.raw`(?=\s*$|\s*[,\]}]|\s+#|\s*//|\s*/\*)`;
/** Module paths written in front of a class name (`torch.optim.`, `deepspeed.ops.adam.`). */
const MODULE_PREFIX = String.raw`(?:[a-z_][a-z0-9_]*\.)*`;

const FLOAT = String.raw`[-+]?(?:\d[\d_]*\.[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?|\d[\d_]*[eE][-+]?\d+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`;
const INTEGER = String.raw`[-+]?(?:0x[0-9a-fA-F_]+|0o[0-7_]+|\d[\d_]*)`;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

/**
 * An alternation of the names, longest first so a name is never cut short by one of its prefixes.
 * An empty list gives a pattern that matches nothing, so an empty catalog still yields a valid grammar.
 */
function alternation(names: readonly string[]): string {
  const unique = [...new Set(names)].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return unique.length === 0 ? '(?!)' : unique.map(escapeRegExp).join('|');
}

/** A `type: Name` pair, with the key and the value each plain, double- or single-quoted. */
function typeValueRules(kind: 'optimizer' | 'scheduler', names: readonly string[]): Rule[] {
  const scope = `support.class.${kind}.optim`;
  const known = `${MODULE_PREFIX}(?i:${alternation(names)})`;
  const key = String.raw`${KEY_START}(?:(type)|(")(type)(")|(')(type)('))\s*(:)\s*`;
  const keyCaptures: Rule = {
    '1': { name: 'entity.name.tag.optim' },
    '2': { name: 'punctuation.definition.string.begin.optim' },
    '3': { name: 'support.type.property-name.optim' },
    '4': { name: 'punctuation.definition.string.end.optim' },
    '5': { name: 'punctuation.definition.string.begin.optim' },
    '6': { name: 'support.type.property-name.optim' },
    '7': { name: 'punctuation.definition.string.end.optim' },
    '8': { name: 'punctuation.separator.key-value.mapping.optim' },
  };
  return [
    {
      comment: `\`type:\` followed by a ${kind} name from the catalog, unquoted.`,
      match: `${key}(${known})${VALUE_END}`,
      captures: { ...keyCaptures, '9': { name: scope } },
    },
    {
      comment: `\`type:\` followed by a ${kind} name from the catalog, quoted.`,
      match: `${key}(?:(")(${known})(")|(')(${known})('))${VALUE_END}`,
      captures: {
        ...keyCaptures,
        '9': { name: 'punctuation.definition.string.begin.optim' },
        '10': { name: scope },
        '11': { name: 'punctuation.definition.string.end.optim' },
        '12': { name: 'punctuation.definition.string.begin.optim' },
        '13': { name: scope },
        '14': { name: 'punctuation.definition.string.end.optim' },
      },
    },
  ];
}

/** A section key (`optimizer:`) plain or quoted, anywhere a key may start. */
function sectionKeyRule(sections: readonly string[]): Rule {
  const section = `(?:${alternation(sections)})`;
  return {
    match: `${KEY_START}${sectionKey(section)}`,
    captures: sectionKeyCaptures(1),
  };
}

/** A section name `pattern` written plain, double- or single-quoted, then its colon. */
function sectionKey(pattern: string): string {
  return String.raw`(?:(${pattern})|(")(${pattern})(")|(')(${pattern})('))\s*(:)(?=\s|$|[\[{"'])`;
}

/** The scopes of `sectionKey`'s eight groups, numbered from `first`. */
function sectionKeyCaptures(first: number): Record<string, { name: string }> {
  const names = [
    'keyword.other.section.optim',
    'punctuation.definition.string.begin.optim',
    'keyword.other.section.optim',
    'punctuation.definition.string.end.optim',
    'punctuation.definition.string.begin.optim',
    'keyword.other.section.optim',
    'punctuation.definition.string.end.optim',
    'punctuation.separator.key-value.mapping.optim',
  ];
  return Object.fromEntries(names.map((name, index) => [String(first + index), { name }]));
}

/**
 * A section that starts a line: it lasts while the following lines are indented deeper than its key, which is
 * true of block YAML and of pretty-printed JSON alike. Inside it, `type:` prefers the section's own kind of name.
 */
function sectionRegionRule(section: string, node: string): Rule {
  const name = escapeRegExp(section);
  return {
    name: `meta.section.${section}.optim`,
    begin: String.raw`^(\s*)` + sectionKey(name),
    beginCaptures: sectionKeyCaptures(2),
    // Blank lines and comments never end a section; any other line indented no deeper than the key does.
    end: String.raw`^(?!\1\s|\s*$|\s*#|\s*//)`,
    patterns: [{ include: node }],
  };
}

/** The grammar as a JSON-ready object. */
export function buildOptimGrammar(names: GrammarNames): Rule {
  return {
    information_for_contributors: [
      `Generated by \`${GRAMMAR_COMMAND}\` from the catalog (server/src/core/catalog/). Do not edit by hand:`,
      'change scripts/optimGrammar.ts or the catalog and run the command again.',
    ],
    name: 'Optimizer Lens config',
    scopeName: 'source.optim',
    fileTypes: ['optim.yaml', 'optim.yml', 'optim.json'],
    patterns: [
      { include: '#document' },
      ...names.sections.map((section) =>
        sectionRegionRule(section, section === 'scheduler' ? '#node-scheduler-first' : '#node-optimizer-first'),
      ),
      { include: '#section-key' },
      { include: '#node-optimizer-first' },
    ],
    repository: {
      'node-optimizer-first': {
        patterns: [
          { include: '#node-head' },
          { include: '#type-optimizer' },
          { include: '#type-scheduler' },
          { include: '#node-tail' },
        ],
      },
      'node-scheduler-first': {
        patterns: [
          { include: '#node-head' },
          { include: '#type-scheduler' },
          { include: '#type-optimizer' },
          { include: '#node-tail' },
        ],
      },
      'node-head': {
        patterns: [{ include: '#comments' }, { include: '#document' }, { include: '#block-scalar' }],
      },
      'node-tail': {
        patterns: [
          { include: '#keys' },
          { include: '#node-properties' },
          { include: '#sequence-item' },
          { include: '#flow-punctuation' },
          { include: '#strings' },
          { include: '#numbers' },
          { include: '#constants' },
          { include: '#plain-scalar' },
        ],
      },
      'section-key': sectionKeyRule(names.sections),
      'type-optimizer': { patterns: typeValueRules('optimizer', names.optimizers) },
      'type-scheduler': { patterns: typeValueRules('scheduler', names.schedulers) },
      comments: {
        patterns: [
          {
            name: 'comment.line.number-sign.optim',
            begin: String.raw`(?:^|(?<=\s))(#)`,
            beginCaptures: { '1': { name: 'punctuation.definition.comment.optim' } },
            end: '$',
            patterns: [{ include: '#suppression' }],
          },
          {
            comment: 'JSONC-style comments, so that a commented .optim.json file still highlights.',
            name: 'comment.line.double-slash.optim',
            begin: String.raw`(?:^|(?<=[\s,\[{]))(//)`,
            beginCaptures: { '1': { name: 'punctuation.definition.comment.optim' } },
            end: '$',
            patterns: [{ include: '#suppression' }],
          },
          {
            name: 'comment.block.optim',
            begin: String.raw`(?:^|(?<=[\s,\[{]))/\*`,
            end: String.raw`\*/`,
            captures: { '0': { name: 'punctuation.definition.comment.optim' } },
          },
        ],
      },
      suppression: {
        patterns: [
          {
            match: String.raw`(?<![\w-])optlens-disable(?:-next)?-line(?![\w-])`,
            name: 'keyword.other.suppression.optim',
          },
          { match: String.raw`\bOL\d+\b`, name: 'constant.other.rule-code.optim' },
        ],
      },
      document: {
        patterns: [
          { match: String.raw`^---(?=\s|$)`, name: 'entity.other.document.begin.optim' },
          { match: String.raw`^\.\.\.(?=\s|$)`, name: 'entity.other.document.end.optim' },
          {
            match: String.raw`^(%)(YAML|TAG)(?=\s)[^#]*`,
            name: 'meta.directive.optim',
            captures: {
              '1': { name: 'punctuation.definition.directive.begin.optim' },
              '2': { name: 'keyword.other.directive.optim' },
            },
          },
        ],
      },
      'block-scalar': {
        comment: 'A literal or folded block (`|`, `>-`): the lines indented deeper than its line are its text.',
        begin: String.raw`^(\s*)((?:-\s+)*)([^#\s][^#]*?\s|)([|>](?:[1-9][-+]?|[-+][1-9]?)?)(?=\s*(?:#.*)?$)`,
        beginCaptures: {
          '2': { patterns: [{ include: '#sequence-item' }] },
          '3': { patterns: [{ include: '#keys' }, { include: '#node-properties' }] },
          '4': { name: 'keyword.control.flow.block-scalar.optim' },
        },
        end: String.raw`^(?!\1\s|\s*$)`,
        contentName: 'string.unquoted.block.optim',
        patterns: [{ include: '#comments' }],
      },
      keys: {
        patterns: [
          {
            match: String.raw`${KEY_START}(")((?:[^"\\]|\\.)*)(")\s*(:)`,
            captures: {
              '1': { name: 'punctuation.definition.string.begin.optim' },
              '2': { name: 'support.type.property-name.optim' },
              '3': { name: 'punctuation.definition.string.end.optim' },
              '4': { name: 'punctuation.separator.key-value.mapping.optim' },
            },
          },
          {
            match: String.raw`${KEY_START}(')((?:[^']|'')*)(')\s*(:)(?=\s|$)`,
            captures: {
              '1': { name: 'punctuation.definition.string.begin.optim' },
              '2': { name: 'support.type.property-name.optim' },
              '3': { name: 'punctuation.definition.string.end.optim' },
              '4': { name: 'punctuation.separator.key-value.mapping.optim' },
            },
          },
          {
            match: String.raw`${KEY_START}([^\s\[\]{},:#'"&*!|>%@\x60\-][^\s\[\]{},:]*|-[^\s\[\]{},:]+)\s*(:)(?=\s|$)`,
            captures: {
              '1': { name: 'entity.name.tag.optim' },
              '2': { name: 'punctuation.separator.key-value.mapping.optim' },
            },
          },
        ],
      },
      'node-properties': {
        patterns: [
          {
            match: String.raw`${VALUE_START}(&)([^\s\[\]{},]+)`,
            captures: {
              '1': { name: 'punctuation.definition.anchor.optim' },
              '2': { name: 'entity.name.type.anchor.optim' },
            },
          },
          {
            match: String.raw`${VALUE_START}(\*)([^\s\[\]{},]+)`,
            captures: {
              '1': { name: 'punctuation.definition.alias.optim' },
              '2': { name: 'variable.other.alias.optim' },
            },
          },
          {
            match: String.raw`${VALUE_START}!(?:<[^>\s]*>|[\w\-]*!?[\w\-./:%]*)`,
            name: 'storage.type.tag-handle.optim',
          },
        ],
      },
      'sequence-item': {
        match: String.raw`(?<![^\s])-(?=\s|$)`,
        name: 'punctuation.definition.sequence.item.optim',
      },
      'flow-punctuation': {
        patterns: [
          { match: '\\{', name: 'punctuation.definition.mapping.begin.optim' },
          { match: '\\}', name: 'punctuation.definition.mapping.end.optim' },
          { match: '\\[', name: 'punctuation.definition.sequence.begin.optim' },
          { match: '\\]', name: 'punctuation.definition.sequence.end.optim' },
          { match: ',', name: 'punctuation.separator.optim' },
        ],
      },
      strings: {
        patterns: [
          {
            name: 'string.quoted.double.optim',
            begin: '"',
            beginCaptures: { '0': { name: 'punctuation.definition.string.begin.optim' } },
            end: '"',
            endCaptures: { '0': { name: 'punctuation.definition.string.end.optim' } },
            patterns: [
              {
                match: String.raw`\\(?:[0abtnvfre "/\\N_LP\t]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})`,
                name: 'constant.character.escape.optim',
              },
              { match: String.raw`\\.`, name: 'invalid.illegal.escape.optim' },
            ],
          },
          {
            name: 'string.quoted.single.optim',
            begin: "'",
            beginCaptures: { '0': { name: 'punctuation.definition.string.begin.optim' } },
            end: "'(?!')",
            endCaptures: { '0': { name: 'punctuation.definition.string.end.optim' } },
            patterns: [{ match: "''", name: 'constant.character.escape.optim' }],
          },
        ],
      },
      numbers: {
        patterns: [
          { match: `${VALUE_START}(?:${FLOAT})${VALUE_END}`, name: 'constant.numeric.float.optim' },
          { match: `${VALUE_START}(?:${INTEGER})${VALUE_END}`, name: 'constant.numeric.integer.optim' },
        ],
      },
      constants: {
        patterns: [
          {
            match: `${VALUE_START}(?:true|True|TRUE|false|False|FALSE)${VALUE_END}`,
            name: 'constant.language.boolean.optim',
          },
          { match: `${VALUE_START}(?:null|Null|NULL|~)${VALUE_END}`, name: 'constant.language.null.optim' },
        ],
      },
      'plain-scalar': {
        comment: 'One word of an unquoted scalar; the words of a multi-word scalar each match on their own.',
        match: String.raw`${VALUE_START}[^\s\[\]{},#'"&*!|>%@\x60][^\s\[\]{},]*`,
        name: 'string.unquoted.plain.optim',
      },
    },
  };
}
