// The real-world corpus (test/fixtures/corpus, see its MANIFEST.md), linted as `optlens lint` does and held to the hand
// judgements in test/fixtures/corpus/judgements.json: no error on a line without a judged mistake, every judged
// mistake found on its line, every warning on a correct line judged (and none of them a false alarm or a duplicate).
// `node --import tsx scripts/corpusReport.ts` prints the same classification as counts.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/analysis';
import {
  CORPUS_DIR,
  corpusFiles,
  failuresOf,
  judgeCorpus,
  readJudgements,
  staleEntriesOf,
} from '../../scripts/corpusReport';

/** The dialect folders: each file in one of them must be detected as that dialect (else it is never linted at all). */
const DIALECT_FOLDERS = ['deepspeed', 'hf', 'lightning', 'hydra', 'torchtune'];
/** The fewest files a dialect folder holds (torchtune joined later, with fewer files). */
const MIN_FILES: Readonly<Record<string, number>> = { torchtune: 5 };

describe('the real-world corpus', () => {
  const files = corpusFiles();
  const judgements = readJudgements();
  const results = judgeCorpus();

  test('the corpus is all there, and every judged file exists', () => {
    assert.equal(files.length, 104);
    for (const dialect of DIALECT_FOLDERS)
      assert.ok(
        files.filter((file) => file.startsWith(`${dialect}/`)).length >= (MIN_FILES[dialect] ?? 17),
        `${dialect} has fewer than ${MIN_FILES[dialect] ?? 17} files`,
      );
    for (const file of Object.keys(judgements)) assert.ok(files.includes(file), `${file} is judged but missing`);
  });

  test('the judgements are well formed', () => {
    for (const [file, judgement] of Object.entries(judgements)) {
      const lineCount = readFileSync(path.join(CORPUS_DIR, file), 'utf8').split('\n').length;
      for (const item of [...(judgement.mistakes ?? []), ...(judgement.diagnostics ?? [])]) {
        assert.ok(
          Number.isInteger(item.line) && item.line >= 1 && item.line <= lineCount,
          `${file}: line ${item.line} is outside the file`,
        );
      }
      for (const item of judgement.diagnostics ?? []) {
        assert.ok(
          ['justified', 'false alarm', 'duplicate'].includes(item.verdict),
          `${file}: verdict '${item.verdict}'`,
        );
        assert.match(item.code, /^OL\d{3}$/);
        assert.ok(item.why.length > 20, `${file}: line ${item.line} ${item.code} needs its reason`);
      }
      for (const item of judgement.mistakes ?? [])
        assert.ok(item.what.length > 20, `${file}: the mistake at line ${item.line} needs its description`);
    }
  });

  test('each file in a dialect folder is detected as that dialect', () => {
    for (const result of results.filter((item) => DIALECT_FOLDERS.includes(item.folder))) {
      assert.equal(
        result.dialect,
        result.folder,
        `${result.file} is detected as ${result.dialect ?? 'no optimizer config'}`,
      );
    }
  });

  for (const result of results) {
    test(`${result.file}: no crash, ranges inside the text, the linter agrees with the judgement`, () => {
      const text = readFileSync(path.join(CORPUS_DIR, result.file), 'utf8');
      const lineCount = text.split('\n').length;
      for (const record of result.records) {
        assert.notEqual(record.code, 'OL000', record.message);
        assert.ok(
          record.line >= 1 && record.line <= record.endLine && record.endLine <= lineCount,
          `${record.code} lines ${record.line}..${record.endLine} outside the text`,
        );
      }
      assert.deepEqual(failuresOf(result), []);
    });
  }

  test('the judgement table has no stale entries', () => {
    assert.deepEqual(staleEntriesOf(results), []);
  });

  test('the template parses partially: its optimizer and scheduler are still understood', () => {
    const text = readFileSync(path.join(CORPUS_DIR, 'deepspeed/dse_tp_hf_integration_ds_config_temp.json'), 'utf8');
    const analysis = analyze(text, {
      format: 'json',
      dialect: 'auto',
      fileName: 'dse_tp_hf_integration_ds_config_temp.json',
    });
    assert.equal(analysis.model?.scheduler?.entry?.name, 'WarmupDecayLR');
  });
});

describe('the corpus judging itself can fail', () => {
  // The classification would be worthless if it passed whatever the linter said: a judged mistake with no diagnostic
  // on its line is reported missed, an unlisted warning is reported unjudged, and a table entry with no diagnostic
  // is reported stale.
  const file = 'lightning/litgpt_finetune_phi-2_full.yaml';
  const actual = judgeCorpus().find((result) => result.file === file)!;

  test('a mistake on a line the linter is silent about is missed', () => {
    const result = {
      ...actual,
      mistakes: [{ mistake: { line: 1, what: 'a planted mistake on the first line' }, foundBy: [] }],
    };
    assert.match(failuresOf(result).join('\n'), /missed mistake at line 1/);
  });

  test('a warning the table does not list is unjudged, and a listed entry no diagnostic matches is stale', () => {
    const warning = actual.records.find((record) => record.severity === 'warning')!;
    const result = {
      ...actual,
      mistakes: [],
      judged: [],
      unjudged: [warning],
      stale: [{ line: 2, code: 'OL999', verdict: 'justified' as const, why: 'planted' }],
    };
    assert.match(
      failuresOf(result).join('\n'),
      new RegExp(`unjudged warning, line ${warning.line} warning ${warning.code}`),
    );
    assert.match(staleEntriesOf([result]).join('\n'), /line 2 OL999 \(justified\) is no longer reported/);
  });
});
