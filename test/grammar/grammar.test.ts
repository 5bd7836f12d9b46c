// Snapshot-style tests of syntaxes/optim.tmLanguage.json: the scopes of chosen tokens, in the YAML and JSON forms.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { IGrammar } from 'vscode-textmate';
import { OPTIMIZERS, SCHEDULERS } from '../../server/src/core/catalog/index';
import { buildOptimGrammar, GRAMMAR_COMMAND, GRAMMAR_PATH, renderOptimGrammar } from '../../scripts/optimGrammar';
import { loadGrammar, REPOSITORY_ROOT, tokenize, type Token } from './tokenize';

const grammarOnDisk = readFileSync(join(REPOSITORY_ROOT, GRAMMAR_PATH), 'utf8');

/**
 * The innermost scope of the `occurrence`-th token whose text is `text` (on `line` when given).
 * Scopes are compared without the `.optim` suffix noise only where the test says so; here they are exact.
 */
function scopeOf(tokens: readonly Token[], text: string, options: { line?: number; occurrence?: number } = {}): string {
  const matches = tokens.filter(
    (token) => token.text === text && (options.line === undefined || token.line === options.line),
  );
  const token = matches[options.occurrence ?? 0];
  if (token === undefined) {
    const seen = tokens.map((candidate) => `${candidate.line}:${JSON.stringify(candidate.text)}`).join(' ');
    assert.fail(
      `no token ${JSON.stringify(text)}${options.line === undefined ? '' : ` on line ${options.line}`}; tokens: ${seen}`,
    );
  }
  return token.scopes[token.scopes.length - 1] ?? '';
}

/** All scopes of the token, outermost first, joined with spaces (for meta scopes). */
function allScopesOf(tokens: readonly Token[], text: string, line: number): string {
  const token = tokens.find((candidate) => candidate.text === text && candidate.line === line);
  assert.ok(token, `no token ${JSON.stringify(text)} on line ${line}`);
  return token.scopes.join(' ');
}

const YAML_EXAMPLE = [
  /* 0 */ '%YAML 1.2',
  /* 1 */ '---',
  /* 2 */ 'optimizer:                 # a PyTorch optimizer',
  /* 3 */ '  type: AdamW',
  /* 4 */ '  lr: 3e-4',
  /* 5 */ '  betas: [0.9, 0.999]',
  /* 6 */ '  weight_decay: .01',
  /* 7 */ '  eps: 1.e-8   # optlens-disable-line OL123 OL124',
  /* 8 */ 'scheduler:',
  /* 9 */ '  type: torch.optim.lr_scheduler.SequentialLR',
  /* 10 */ '  schedulers:',
  /* 11 */ '    - {type: LinearLR, start_factor: 0.01, total_iters: 500}',
  /* 12 */ "    - type: 'CosineAnnealingLR'",
  /* 13 */ '      T_max: &tmax 9500',
  /* 14 */ '      eta_min: -1',
  /* 15 */ '  milestones: [500]',
  /* 16 */ 'training:',
  /* 17 */ '  steps: *tmax',
  /* 18 */ '  batch_size: !!int 256',
  /* 19 */ '  nesterov: true',
  /* 20 */ '  note: null',
  /* 21 */ '  name: "a \\"b\\" c"',
  /* 22 */ '  text: |',
  /* 23 */ '    free text: 1',
  /* 24 */ '  grad_clip: 1.0',
  /* 25 */ '...',
].join('\n');

const JSON_EXAMPLE = [
  /* 0 */ '{',
  /* 1 */ '  // JSONC-style comment',
  /* 2 */ '  "optimizer": {"type": "torch.optim.AdamW", "lr": 3e-4, "betas": [0.9, 0.999]},',
  /* 3 */ '  "scheduler": {',
  /* 4 */ '    "type": "OneCycleLR", /* block comment */',
  /* 5 */ '    "max_lr": 1e-3,',
  /* 6 */ '    "total_steps": 10000',
  /* 7 */ '  },',
  /* 8 */ '  "training": {"steps": 10000, "grad_clip": 1.0, "x": null, "y": false}',
  /* 9 */ '}',
].join('\n');

describe('optim grammar', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadGrammar(grammarOnDisk);
  });

  test('is up to date with the catalog', () => {
    assert.ok(
      renderOptimGrammar() === grammarOnDisk,
      `${GRAMMAR_PATH} is stale: the catalog or scripts/optimGrammar.ts changed. Regenerate it with \`${GRAMMAR_COMMAND}\`.`,
    );
  });

  test('YAML form: sections, keys, type names', () => {
    const tokens = tokenize(grammar, YAML_EXAMPLE);
    assert.equal(scopeOf(tokens, 'optimizer', { line: 2 }), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'scheduler', { line: 8 }), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'training', { line: 16 }), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'type', { line: 3 }), 'entity.name.tag.optim');
    assert.equal(scopeOf(tokens, 'lr', { line: 4 }), 'entity.name.tag.optim');
    assert.equal(scopeOf(tokens, ':', { line: 4 }), 'punctuation.separator.key-value.mapping.optim');
    assert.equal(scopeOf(tokens, 'AdamW', { line: 3 }), 'support.class.optimizer.optim');
    assert.equal(scopeOf(tokens, 'torch.optim.lr_scheduler.SequentialLR'), 'support.class.scheduler.optim');
    assert.equal(scopeOf(tokens, 'LinearLR', { line: 11 }), 'support.class.scheduler.optim');
    assert.equal(scopeOf(tokens, 'CosineAnnealingLR', { line: 12 }), 'support.class.scheduler.optim');
    assert.equal(scopeOf(tokens, "'", { line: 12 }), 'punctuation.definition.string.begin.optim');
    assert.equal(scopeOf(tokens, 'T_max'), 'entity.name.tag.optim');
    assert.match(allScopesOf(tokens, 'AdamW', 3), /^source\.optim meta\.section\.optimizer\.optim /);
    assert.match(allScopesOf(tokens, 'steps', 17), /meta\.section\.training\.optim/);
  });

  test('YAML form: numbers, constants and strings', () => {
    const tokens = tokenize(grammar, YAML_EXAMPLE);
    for (const text of ['3e-4', '0.9', '0.999', '.01', '1.e-8', '0.01', '1.0']) {
      assert.equal(scopeOf(tokens, text), 'constant.numeric.float.optim', text);
    }
    for (const text of ['500', '9500', '-1', '256'])
      assert.equal(scopeOf(tokens, text), 'constant.numeric.integer.optim', text);
    assert.equal(scopeOf(tokens, 'true'), 'constant.language.boolean.optim');
    assert.equal(scopeOf(tokens, 'null'), 'constant.language.null.optim');
    assert.equal(scopeOf(tokens, 'a ', { line: 21 }), 'string.quoted.double.optim');
    assert.equal(scopeOf(tokens, '\\"', { line: 21 }), 'constant.character.escape.optim');
    assert.equal(scopeOf(tokens, '|', { line: 22 }), 'keyword.control.flow.block-scalar.optim');
    assert.equal(scopeOf(tokens, '    free text: 1'), 'string.unquoted.block.optim');
    // The block ends at the first line indented no deeper than its key.
    assert.equal(scopeOf(tokens, 'grad_clip', { line: 24 }), 'entity.name.tag.optim');
  });

  test('YAML form: comments, suppressions, flow collections, anchors, tags, document markers', () => {
    const tokens = tokenize(grammar, YAML_EXAMPLE);
    assert.equal(scopeOf(tokens, '#', { line: 2 }), 'punctuation.definition.comment.optim');
    assert.equal(scopeOf(tokens, ' a PyTorch optimizer'), 'comment.line.number-sign.optim');
    assert.equal(scopeOf(tokens, 'optlens-disable-line'), 'keyword.other.suppression.optim');
    assert.equal(scopeOf(tokens, 'OL124'), 'constant.other.rule-code.optim');
    assert.equal(scopeOf(tokens, '[', { line: 5 }), 'punctuation.definition.sequence.begin.optim');
    assert.equal(scopeOf(tokens, '{', { line: 11 }), 'punctuation.definition.mapping.begin.optim');
    assert.equal(scopeOf(tokens, ',', { line: 11 }), 'punctuation.separator.optim');
    assert.equal(scopeOf(tokens, '-', { line: 12 }), 'punctuation.definition.sequence.item.optim');
    assert.equal(scopeOf(tokens, 'tmax', { line: 13 }), 'entity.name.type.anchor.optim');
    assert.equal(scopeOf(tokens, 'tmax', { line: 17 }), 'variable.other.alias.optim');
    assert.equal(scopeOf(tokens, '!!int'), 'storage.type.tag-handle.optim');
    assert.equal(scopeOf(tokens, '---'), 'entity.other.document.begin.optim');
    assert.equal(scopeOf(tokens, '...'), 'entity.other.document.end.optim');
    assert.equal(scopeOf(tokens, 'YAML'), 'keyword.other.directive.optim');
  });

  test('JSON form: quoted keys and type names, JSONC comments', () => {
    const tokens = tokenize(grammar, JSON_EXAMPLE);
    assert.equal(scopeOf(tokens, 'optimizer', { line: 2 }), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'scheduler', { line: 3 }), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'type', { line: 2 }), 'support.type.property-name.optim');
    assert.equal(scopeOf(tokens, 'lr', { line: 2 }), 'support.type.property-name.optim');
    assert.equal(scopeOf(tokens, 'torch.optim.AdamW'), 'support.class.optimizer.optim');
    assert.equal(scopeOf(tokens, 'OneCycleLR'), 'support.class.scheduler.optim');
    assert.equal(scopeOf(tokens, '3e-4'), 'constant.numeric.float.optim');
    assert.equal(scopeOf(tokens, '10000', { line: 6 }), 'constant.numeric.integer.optim');
    assert.equal(scopeOf(tokens, 'null'), 'constant.language.null.optim');
    assert.equal(scopeOf(tokens, 'false'), 'constant.language.boolean.optim');
    assert.equal(scopeOf(tokens, ' JSONC-style comment'), 'comment.line.double-slash.optim');
    assert.equal(scopeOf(tokens, ' block comment '), 'comment.block.optim');
    // The pretty-printed `"optimizer"` section ends where the next key at its indentation starts.
    assert.doesNotMatch(allScopesOf(tokens, 'scheduler', 3), /meta\.section\.optimizer/);
    assert.match(allScopesOf(tokens, 'max_lr', 5), /meta\.section\.scheduler\.optim/);
  });

  test('one-line JSON and YAML flow: type names are recognised without section regions', () => {
    const tokens = tokenize(grammar, '{"optimizer": {"type": "SGD"}, "scheduler": {"type":"StepLR", "step_size": -1}}');
    assert.equal(scopeOf(tokens, 'optimizer'), 'keyword.other.section.optim');
    assert.equal(scopeOf(tokens, 'SGD'), 'support.class.optimizer.optim');
    assert.equal(scopeOf(tokens, 'StepLR'), 'support.class.scheduler.optim');
    assert.equal(scopeOf(tokens, '-1'), 'constant.numeric.integer.optim');
  });

  test('unknown type names, near-numbers and URLs stay plain strings', () => {
    const tokens = tokenize(grammar, 'optimizer:\n  type: AdamWW\n  lr: 3e-4x\n  url: http://a.b/c // d\n  x: a#b');
    assert.equal(scopeOf(tokens, 'AdamWW'), 'string.unquoted.plain.optim');
    assert.equal(scopeOf(tokens, '3e-4x'), 'string.unquoted.plain.optim');
    assert.equal(scopeOf(tokens, 'http://a.b/c'), 'string.unquoted.plain.optim');
    assert.equal(scopeOf(tokens, ' d'), 'comment.line.double-slash.optim');
    assert.equal(scopeOf(tokens, 'a#b'), 'string.unquoted.plain.optim');
  });

  test('every catalog name and alias is highlighted after type:, bare and torch-prefixed', () => {
    for (const entry of OPTIMIZERS) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        const tokens = tokenize(grammar, `optimizer:\n  type: ${name}`);
        assert.equal(scopeOf(tokens, name), 'support.class.optimizer.optim', name);
      }
      if (entry.library === 'torch') {
        const tokens = tokenize(grammar, `optimizer: {type: torch.optim.${entry.name}}`);
        assert.equal(scopeOf(tokens, `torch.optim.${entry.name}`), 'support.class.optimizer.optim', entry.name);
      }
    }
    for (const entry of SCHEDULERS) {
      for (const name of [entry.name, ...(entry.aliases ?? [])]) {
        const tokens = tokenize(grammar, `scheduler:\n  type: "${name}"`);
        assert.equal(scopeOf(tokens, name), 'support.class.scheduler.optim', name);
      }
    }
  });

  test('a grammar generated from an empty catalog is valid and recognises no names', async () => {
    const empty = await loadGrammar(
      JSON.stringify(buildOptimGrammar({ optimizers: [], schedulers: [], sections: [] })),
    );
    const tokens = tokenize(empty, 'optimizer:\n  type: AdamW\n  lr: 1e-3');
    assert.equal(scopeOf(tokens, 'AdamW'), 'string.unquoted.plain.optim');
    assert.equal(scopeOf(tokens, '1e-3'), 'constant.numeric.float.optim');
  });
});
