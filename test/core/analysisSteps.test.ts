// The cooperative analysis (issue 15): the same result as reading the text at once, with pauses a caller can stop at.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analysisSteps, analyze } from '../../server/src/core/analysis';
import { parseTree } from '../../server/src/core/syntax/parse';
import { LEXEMES_PER_STEP, parseTreeSteps } from '../../server/src/core/syntax/parseSteps';
import { decodeTreeSteps, encodeTree, NODES_PER_STEP } from '../../server/src/core/syntax/treeCodec';
import type { SourceFormat, SyntaxTree } from '../../server/src/core/syntax/tree';
import { CONTROL_TOKENS, mutatedSeeds, SYNTAX_TOKENS } from './fuzzMutations';

function runSteps<T>(steps: Generator<void, T, void>): { value: T; pauses: number } {
  for (let pauses = 0; ; pauses++) {
    const step = steps.next();
    if (step.done) return { value: step.value, pauses };
  }
}

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const BROKEN = [
  'optimizer:\n  type: AdamW\n  lr: [0.1, 0.2\nscheduler:\n  type: StepLR\n',
  'optimizer:\n  type: "AdamW\n  lr: 0.1\n',
  'optimizer:\n\ttype: SGD\n',
  'a: &x [*x]\n---\nsecond: document\n',
  '',
  '# only a comment\n',
  'optimizer:\n  type: SGD\n  lr: 0.1\n  lr: 0.2\n',
];

test('the YAML read in slices gives the same syntax tree as reading it at once (examples and broken files)', () => {
  const texts = [
    ...readdirSync(EXAMPLES)
      .filter((name) => /\.ya?ml$/.test(name))
      .map((name) => readFileSync(path.join(EXAMPLES, name), 'utf8')),
    ...BROKEN,
  ];
  assert.ok(texts.length > BROKEN.length + 5);
  for (const text of texts)
    assert.deepEqual(runSteps(parseTreeSteps(text, 'yaml')).value, parseTree(text, 'yaml'), text.slice(0, 80));
});

test('JSON is read in one step, with the same tree', () => {
  const text =
    '{"optimizer": {"type": "SGD", "lr": 0.1,}, // comment\n "scheduler": {"type": "StepLR", "step_size": 10}}';
  const { value, pauses } = runSteps(parseTreeSteps(text, 'json'));
  assert.equal(pauses, 0);
  assert.deepEqual(value, parseTree(text, 'json'));
});

test('a large file pauses many times, and each pause is a place to stop', () => {
  const lines = ['optimizer:', '  type: AdamW', '  lr: -1.0e-3', 'simulate:', '  function: rosenbrock', '  compare:'];
  for (let i = 0; i < 2000; i++) lines.push(`    - {type: SGD, lr: ${(i % 9) + 1}.0e-3, label: run-${i}}`);
  const text = `${lines.join('\n')}\n`;
  const { value, pauses } = runSteps(analysisSteps(text, { format: 'yaml' }));
  // At least one pause per LEXEMES_PER_STEP tokens of the parse (each entry is about 20 tokens).
  assert.ok(pauses > (2000 * 20) / LEXEMES_PER_STEP, `paused ${pauses} times`);
  assert.deepEqual(value.problems, analyze(text, { format: 'yaml' }).problems);
  assert.ok(value.problems.some((problem) => problem.code === 'OL105'));
  // Abandoning is not resuming: a generator stopped half-way has produced nothing and holds no shared state.
  const abandoned = analysisSteps(text, { format: 'yaml' });
  for (let i = 0; i < pauses / 2; i++) assert.equal(abandoned.next().done, false);
  assert.deepEqual(analyze(text, { format: 'yaml' }).problems, value.problems);
});

/** Every config of the examples and the fixtures (the real-world corpus included). */
function configFiles(): { name: string; text: string; format: SourceFormat }[] {
  const out: { name: string; text: string; format: SourceFormat }[] = [];
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (/\.(ya?ml|json)$/.test(name) && !/^(schedules|optimizers|judgements)\.json$/.test(name)) {
        out.push({ name: full, text: readFileSync(full, 'utf8'), format: name.endsWith('.json') ? 'json' : 'yaml' });
      }
    }
  };
  visit(EXAMPLES);
  visit(path.resolve(__dirname, '..', 'fixtures'));
  return out;
}

const FILES = configFiles();

/** YAML that exercises what the tree carries: quoted and escaped keys, aliases (copied), numbers, booleans, empty values. */
const TRICKY = [
  'a: &x {b: "q\\n", c: 1e3, d: .nan, e: -0, f: 0x1F, g: .inf, h: ~, i: true, j: "true", k: 2e-5}\nz: *x\n"k\\t": v\n',
  "? [a, b]\n: 1\n? {c: d}\n: 2\nempty:\nlist: [,]\n'single ''q''': |\n  block\n  text\nfolded: >-\n  a\n  b\n",
  'base: &b\n  lr: 0.1\nchild:\n  <<: *b\n  lr: 0.2\nunknown: *nothing\n',
  'x: !!str 123\ny: !!float 1\nz: !custom {a: 1}\nbig: 123456789012345678901234567890\n',
  '- - - deep\n    - [1, [2, [3, {a: [4]}]]]\n- {}\n- []\n',
  `${'['.repeat(140)}${']'.repeat(140)}\n`,
];

function decoded(tree: SyntaxTree): SyntaxTree {
  return runSteps(decodeTreeSteps(encodeTree(tree), tree.text)).value;
}

test('the YAML read in slices gives the same syntax tree as reading it at once (the corpus and tricky YAML)', () => {
  const yaml = FILES.filter((file) => file.format === 'yaml');
  assert.ok(yaml.length > 60, `${yaml.length} YAML configs found`);
  for (const file of yaml)
    assert.deepEqual(runSteps(parseTreeSteps(file.text, 'yaml')).value, parseTree(file.text, 'yaml'), file.name);
  for (const text of TRICKY)
    assert.deepEqual(runSteps(parseTreeSteps(text, 'yaml')).value, parseTree(text, 'yaml'), text);
});

test('a tree sent as flat arrays (the parse worker) is rebuilt exactly: every config, tricky YAML, broken files', () => {
  for (const file of FILES)
    assert.deepEqual(decoded(parseTree(file.text, file.format)), parseTree(file.text, file.format), file.name);
  for (const text of [...TRICKY, ...BROKEN])
    assert.deepEqual(decoded(parseTree(text, 'yaml')), parseTree(text, 'yaml'), text);
  // Values that a careless encoding loses: -0, NaN, strings unlike their source, a key written with escapes.
  const tree = decoded(parseTree("a: -0\nb: .nan\n\"c\\u0041\": 'it''s'\n", 'yaml'));
  const root = tree.root;
  assert.ok(root?.kind === 'map');
  assert.deepEqual(
    root.entries.map((entry) => entry.key),
    ['a', 'b', 'cA'],
  );
  assert.ok(Object.is(root.entries[0]!.value?.kind === 'scalar' && root.entries[0]!.value.value, -0));
  assert.ok(Number.isNaN(root.entries[1]!.value?.kind === 'scalar' ? root.entries[1]!.value.value : 0));
  assert.equal(root.entries[2]!.value?.kind === 'scalar' && root.entries[2]!.value.value, "it's");
});

// The same mutations as the robustness fuzzing: syntax-heavy insertions, deletions and duplications of real configs.
const TOKENS = [...SYNTAX_TOKENS, ...CONTROL_TOKENS, '? ', '!!str ', '|\n', '\\u00e9'];
const mutated = mutatedSeeds(FILES, TOKENS).map((file) => file.text);

test('fuzzed YAML: read in slices, or sent as flat arrays, gives the same tree and the same problems', () => {
  fc.assert(
    fc.property(fc.oneof(mutated, fc.string({ maxLength: 300, unit: 'binary' })), (text) => {
      const tree = parseTree(text, 'yaml');
      assert.deepEqual(runSteps(parseTreeSteps(text, 'yaml')).value, tree);
      assert.deepEqual(decoded(tree), tree);
      const viaArrays = runSteps(
        analysisSteps(text, { format: 'yaml', dialect: 'auto' }, decodeTreeSteps(encodeTree(tree), text)),
      ).value;
      const atOnce = analyze(text, { format: 'yaml', dialect: 'auto' });
      assert.deepEqual(viaArrays.problems, atOnce.problems);
      assert.deepEqual(viaArrays.model, atOnce.model);
    }),
    { numRuns: 400, seed: 20261207 },
  );
});

test('rebuilding a large tree pauses every few thousand nodes; malformed arrays give an error, not an exception', () => {
  const lines = ['simulate:', '  compare:'];
  for (let i = 0; i < 3000; i++) lines.push(`    - {type: SGD, lr: ${(i % 9) + 1}.0e-3, label: run-${i}}`);
  const text = `${lines.join('\n')}\n`;
  const tree = parseTree(text, 'yaml');
  const { value, pauses } = runSteps(decodeTreeSteps(encodeTree(tree), text));
  assert.deepEqual(value, tree);
  // At least one turn per collection or map entry: 3,000 maps of 3 entries.
  assert.ok(pauses >= Math.floor(12_000 / NODES_PER_STEP) && pauses > 3, `paused ${pauses} times`);
  const encoded = encodeTree(tree);
  const truncated = { ...encoded, ints: encoded.ints.slice(0, encoded.ints.length / 2) };
  const broken = runSteps(decodeTreeSteps(truncated, text)).value;
  assert.equal(broken.root, null);
  assert.match(broken.errors[0]?.message ?? '', /Internal error reading the syntax tree/);
});
