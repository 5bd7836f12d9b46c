// Hostile and broken inputs: the analysis and every feature answer without throwing, with spans inside the text.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { codeActions } from '../../server/src/core/features/codeActions';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { complete } from '../../server/src/core/features/completion';
import { hover } from '../../server/src/core/features/hover';
import { foldingSpans, outline } from '../../server/src/core/features/outline';
import type { SourceFormat } from '../../server/src/core/syntax/tree';

function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const previous = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

const INPUTS: readonly { name: string; text: string; format: SourceFormat }[] = [
  { name: 'empty', text: '', format: 'yaml' },
  { name: 'empty JSON', text: '', format: 'json' },
  { name: 'whitespace', text: '\n\n   \n', format: 'yaml' },
  {
    name: 'binary junk',
    text: Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join(''),
    format: 'yaml',
  },
  {
    name: 'binary junk JSON',
    text: Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 104729) % 256)).join(''),
    format: 'json',
  },
  {
    name: 'deeply nested block YAML',
    text: Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
    format: 'yaml',
  },
  { name: 'deeply nested flow YAML', text: `optimizer: ${'['.repeat(5000)}${']'.repeat(5000)}`, format: 'yaml' },
  { name: 'deeply nested JSON', text: `{"optimizer": ${'['.repeat(20000)}${']'.repeat(20000)}}`, format: 'json' },
  { name: 'alias bomb', text: aliasBomb(), format: 'yaml' },
  {
    name: 'anchors and aliases',
    text: 'base: &b {type: AdamW, lr: 1.0e-3}\noptimizer: *b\nscheduler:\n  <<: {type: StepLR}\n  step_size: 10\n',
    format: 'yaml',
  },
  {
    name: 'duplicate keys everywhere',
    text: 'optimizer:\n  type: SGD\n  type: Adam\noptimizer: {}\nscheduler: 3\nscheduler: [1]\n',
    format: 'yaml',
  },
  {
    name: 'wrong shapes',
    text: 'optimizer: [1, 2]\nscheduler:\n  type: [SequentialLR]\n  schedulers: {a: 1}\n  milestones: seven\ntraining: 12\n',
    format: 'yaml',
  },
  {
    name: 'composite with junk children',
    text: 'scheduler:\n  type: SequentialLR\n  schedulers: [1, null, {type: 3}, {type: SequentialLR, schedulers: [{type: ChainedScheduler, schedulers: []}], milestones: []}]\n  milestones: [-1, 1e308]\ntraining: {steps: 1e300}\n',
    format: 'yaml',
  },
  {
    name: 'huge numbers',
    text: 'optimizer: {type: SGD, lr: 1e400, momentum: -1e400}\nscheduler: {type: OneCycleLR, max_lr: .nan, total_steps: 1e12}\ntraining: {steps: 99999999999}\n',
    format: 'yaml',
  },
  { name: 'multi-document', text: 'optimizer: {type: SGD, lr: 0.1}\n---\nscheduler: {type: StepLR}\n', format: 'yaml' },
  { name: 'tabs and CRLF', text: 'optimizer:\r\n\ttype: SGD\r\n  lr: 0.1\r\n', format: 'yaml' },
];

function checkEverything(text: string, format: SourceFormat): void {
  const analysis = analyze(text, { format });
  for (const problem of analysis.problems) {
    assert.ok(
      problem.start >= 0 && problem.end <= text.length && problem.start <= problem.end,
      `${problem.code} span ${problem.start}..${problem.end} outside 0..${text.length}`,
    );
    assert.ok(problem.message.length > 0);
  }
  const offsets = new Set(
    [0, text.length, Math.floor(text.length / 2), Math.floor(text.length / 3), 1, text.length - 1].filter(
      (o) => o >= 0 && o <= text.length,
    ),
  );
  for (const offset of offsets) {
    const result = hover(analysis, offset);
    if (result) assert.ok(result.span.start >= 0 && result.span.end <= text.length);
    for (const item of complete(analysis, offset))
      assert.ok(item.replace.start >= 0 && item.replace.end <= text.length);
    codeActions(analysis, { start: offset, end: offset });
  }
  outline(analysis);
  foldingSpans(analysis);
  codeLenses(analysis);
}

describe('never throws on hostile input', () => {
  for (const input of INPUTS) {
    test(input.name, () => {
      checkEverything(input.text, input.format);
    });
  }
  test('an alias bomb is cut off with a problem instead of expanding 9^9 values', () => {
    const problems = analyze(aliasBomb(), { format: 'yaml' }).problems;
    assert.ok(problems.some((p) => p.code === 'OL001' && /more than 200000 values/.test(p.message)));
  });
  test('a 10 MB file is refused with one problem, quickly', () => {
    const text = `optimizer:\n  type: SGD\n  lr: 0.1\n${'# padding line\n'.repeat(700_000)}`;
    assert.ok(text.length > 10_000_000);
    const problems = analyze(text, { format: 'yaml' }).problems;
    assert.deepEqual(
      problems.map((p) => p.code),
      ['OL002'],
    );
  });
  test('a 10 MB file under a raised limit is analysed without throwing', () => {
    const text = `optimizer:\n  type: SGD\n  lr: 0.1\n${'# padding line\n'.repeat(700_000)}`;
    checkEverything(text.slice(0, 2_000_000), 'yaml');
  });
});
