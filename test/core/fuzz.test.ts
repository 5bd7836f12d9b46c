// Property-based fuzzing of the parser, the analysis and every editor feature, with random and mutated configs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyze } from '../../server/src/core/analysis';
import { ALL_SECTIONS } from '../../server/src/core/catalog/allSections';
import { codeActions } from '../../server/src/core/features/codeActions';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { complete } from '../../server/src/core/features/completion';
import { hover } from '../../server/src/core/features/hover';
import { foldingSpans, outline } from '../../server/src/core/features/outline';
import type { SourceFormat } from '../../server/src/core/syntax/tree';
import { CONTROL_TOKENS, mutatedSeeds, SYNTAX_TOKENS } from './fuzzMutations';

const ROOT = path.resolve(__dirname, '..', '..');

/** Seed documents: the examples and every config fixture (the real-world corpus included when present). */
function seeds(): { text: string; format: SourceFormat }[] {
  const out: { text: string; format: SourceFormat }[] = [];
  const visit = (folder: string): void => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, name.name);
      if (name.isDirectory()) visit(full);
      else if (/\.(ya?ml|json)$/.test(name.name) && !/^(schedules|optimizers)\.json$/.test(name.name)) {
        out.push({ text: readFileSync(full, 'utf8'), format: name.name.endsWith('.json') ? 'json' : 'yaml' });
      }
    }
  };
  visit(path.join(ROOT, 'examples'));
  visit(path.join(ROOT, 'test', 'fixtures'));
  return out;
}

const SEEDS = seeds();
const TOKENS = [
  ...SYNTAX_TOKENS,
  'type: ',
  'SequentialLR',
  'schedulers:',
  'milestones: [',
  ...CONTROL_TOKENS,
  '???',
  '${x}',
];

/** A seed with random edits: insertions of syntax-heavy tokens, deletions and duplications. */
const mutated = mutatedSeeds(SEEDS, TOKENS);

const randomText = fc.record({
  text: fc.string({ maxLength: 400, unit: 'binary' }),
  format: fc.constantFrom<SourceFormat>('yaml', 'json'),
});

function exerciseEverything(input: { text: string; format: SourceFormat }, offsets: readonly number[]): void {
  const { text, format } = input;
  const analysis = analyze(text, { format });
  for (const problem of analysis.problems) {
    assert.ok(
      problem.start >= 0 && problem.start <= problem.end && problem.end <= text.length,
      `${problem.code} span ${problem.start}..${problem.end} of ${text.length}`,
    );
    for (const fix of problem.fixes ?? [])
      for (const edit of fix.edits) assert.ok(edit.start >= 0 && edit.end <= text.length && edit.start <= edit.end);
  }
  for (const fraction of offsets) {
    const offset = Math.floor(fraction * text.length);
    const result = hover(analysis, offset, ALL_SECTIONS);
    assert.ok(
      result === null || (result.span.start >= 0 && result.span.end <= text.length && result.markdown.length > 0),
    );
    for (const item of complete(analysis, offset, ALL_SECTIONS))
      assert.ok(item.replace.start >= 0 && item.replace.end <= text.length);
    codeActions(analysis, { start: offset, end: Math.min(text.length, offset + 3) });
  }
  outline(analysis);
  foldingSpans(analysis);
  codeLenses(analysis);
}

const offsets = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 });

test('mutated real configs: no exception escapes, every range lies inside the document', () => {
  assert.ok(SEEDS.length >= 5, 'the seeds were found');
  fc.assert(
    fc.property(mutated, offsets, (input, at) => exerciseEverything(input, at)),
    { numRuns: 3000, seed: 20261123 },
  );
});

test('random text and binary junk: no exception escapes', () => {
  fc.assert(
    fc.property(randomText, offsets, (input, at) => exerciseEverything(input, at)),
    { numRuns: 2000, seed: 7 },
  );
});
