// The cooperative analysis (issue 15): the same result as reading the text at once, with pauses a caller can stop at.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analysisSteps, analyze } from '../../server/src/core/analysis';
import { parseTree } from '../../server/src/core/syntax/parse';
import { LEXEMES_PER_STEP, parseTreeSteps } from '../../server/src/core/syntax/parseSteps';

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
  const texts = [...readdirSync(EXAMPLES).filter((name) => /\.ya?ml$/.test(name)).map((name) => readFileSync(path.join(EXAMPLES, name), 'utf8')), ...BROKEN];
  assert.ok(texts.length > BROKEN.length + 5);
  for (const text of texts) assert.deepEqual(runSteps(parseTreeSteps(text, 'yaml')).value, parseTree(text, 'yaml'), text.slice(0, 80));
});

test('JSON is read in one step, with the same tree', () => {
  const text = '{"optimizer": {"type": "SGD", "lr": 0.1,}, // comment\n "scheduler": {"type": "StepLR", "step_size": 10}}';
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
