// The real-world corpus measured against the hand judgements: lints every file of test/fixtures/corpus as
// `optlens lint` does and prints files per dialect, mistakes found and missed, and the errors and warnings outside the
// judged mistakes by rule and verdict. Run with `node --import tsx scripts/corpusReport.ts`; test/core/corpus.test.ts
// asserts on the same classification.

import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analysis';
import { formatOfPath, lintText, type LintRecord } from '../server/src/cli/lint';

export const CORPUS_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'corpus');

/** A real mistake in a corpus file, judged by hand. */
export interface JudgedMistake {
  /** 1-based. */
  readonly line: number;
  /** When given, only a diagnostic of this code finds the mistake. */
  readonly code?: string;
  readonly what: string;
}

export type Verdict = 'justified' | 'false alarm' | 'duplicate';

/** An error or warning outside the judged mistakes, judged by hand; the record's line and code say which. */
export interface JudgedDiagnostic extends Pick<LintRecord, 'line' | 'code'> {
  readonly verdict: Verdict;
  readonly why: string;
}

export interface FileJudgement {
  readonly mistakes?: readonly JudgedMistake[];
  readonly diagnostics?: readonly JudgedDiagnostic[];
}

export interface FileResult {
  readonly file: string;
  /** The corpus folder: deepspeed, hf, lightning, hydra, torchtune or other. */
  readonly folder: string;
  /** The dialect the linter detected, or null when it took the file for no optimizer config. */
  readonly dialect: string | null;
  readonly records: readonly LintRecord[];
  readonly mistakes: readonly { readonly mistake: JudgedMistake; readonly foundBy: readonly LintRecord[] }[];
  /** Errors and warnings outside the mistakes that the table judges. */
  readonly judged: readonly { readonly record: LintRecord; readonly judgement: JudgedDiagnostic }[];
  /** Errors and warnings outside the mistakes that the table does not judge yet. */
  readonly unjudged: readonly LintRecord[];
  /** Table entries that match no diagnostic any more. */
  readonly stale: readonly JudgedDiagnostic[];
}

const isLoud = (record: LintRecord): boolean => record.severity === 'error' || record.severity === 'warning';

export function corpusFiles(dir = CORPUS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((folder) => readdirSync(path.join(dir, folder.name)).map((file) => `${folder.name}/${file}`))
    .sort();
}

export function readJudgements(dir = CORPUS_DIR): Readonly<Record<string, FileJudgement>> {
  const parsed = JSON.parse(readFileSync(path.join(dir, 'judgements.json'), 'utf8')) as {
    files: Record<string, FileJudgement>;
  };
  return parsed.files;
}

/** Lints one corpus file as the CLI does and sorts its diagnostics into found mistakes, judged and unjudged ones. */
export function judgeFile(file: string, judgement: FileJudgement | undefined, dir = CORPUS_DIR): FileResult {
  const text = readFileSync(path.join(dir, file), 'utf8');
  const records = lintText(file, text);
  const dialect = analyze(text, { format: formatOfPath(file), dialect: 'auto', fileName: file }).model?.dialect ?? null;
  const mistakeList = judgement?.mistakes ?? [];
  const finds = (mistake: JudgedMistake, record: LintRecord): boolean =>
    isLoud(record) && record.line === mistake.line && (mistake.code === undefined || record.code === mistake.code);
  const mistakes = mistakeList.map((mistake) => ({
    mistake,
    foundBy: records.filter((record) => finds(mistake, record)),
  }));
  const table = judgement?.diagnostics ?? [];
  const judged: { record: LintRecord; judgement: JudgedDiagnostic }[] = [];
  const unjudged: LintRecord[] = [];
  for (const record of records.filter(isLoud)) {
    if (mistakeList.some((mistake) => finds(mistake, record))) continue;
    const entry = table.find((candidate) => candidate.line === record.line && candidate.code === record.code);
    if (entry) judged.push({ record, judgement: entry });
    else unjudged.push(record);
  }
  const stale = table.filter((entry) => !judged.some((item) => item.judgement === entry));
  return { file, folder: file.split('/')[0]!, dialect, records, mistakes, judged, unjudged, stale };
}

export function judgeCorpus(dir = CORPUS_DIR): FileResult[] {
  const judgements = readJudgements(dir);
  return corpusFiles(dir).map((file) => judgeFile(file, judgements[file], dir));
}

/** What is wrong with one file's result, one line each; empty when the linter agrees with the judgement. */
export function failuresOf(result: FileResult): string[] {
  const where = (record: LintRecord): string =>
    `line ${record.line} ${record.severity} ${record.code}: ${record.message}`;
  return [
    ...result.mistakes
      .filter((item) => item.foundBy.length === 0)
      .map(
        (item) =>
          `missed mistake at line ${item.mistake.line}${item.mistake.code ? ` (${item.mistake.code})` : ''}: ${item.mistake.what}`,
      ),
    ...result.unjudged.map(
      (record) =>
        `${record.severity === 'error' ? 'error outside the judged mistakes' : 'unjudged warning'}, ${where(record)}`,
    ),
    ...result.judged
      .filter((item) => item.record.severity === 'error' || item.judgement.verdict !== 'justified')
      .map(
        (item) =>
          `${item.judgement.verdict === 'justified' ? 'error (an error is never justified on a line without a mistake)' : item.judgement.verdict}, ${where(item.record)} (${item.judgement.why})`,
      ),
  ];
}

/** Entries of judgements.json that match no diagnostic any more (a fixed false alarm, a renamed code), one line each. */
export function staleEntriesOf(results: readonly FileResult[]): string[] {
  return results.flatMap((result) =>
    result.stale.map(
      (entry) =>
        `${result.file}: line ${entry.line} ${entry.code} (${entry.verdict}) is no longer reported; delete the entry`,
    ),
  );
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

export function formatCorpusReport(results: readonly FileResult[]): string {
  const folders = [...new Set(results.map((result) => result.folder))];
  const lines: string[] = ['# Corpus report', '', '## Files and mistakes per folder', ''];
  const count = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length;
  const perFolder = (folder: string | undefined) => {
    const inFolder = results.filter((result) => folder === undefined || result.folder === folder);
    const mistakes = inFolder.flatMap((result) => result.mistakes);
    const judged = inFolder.flatMap((result) => result.judged);
    const dialects = [...new Set(inFolder.map((result) => result.dialect ?? 'none'))]
      .map((dialect) => `${dialect} ${count(inFolder, (result) => (result.dialect ?? 'none') === dialect)}`)
      .join(', ');
    return [
      folder ?? '**all**',
      inFolder.length,
      dialects,
      count(inFolder, (result) => result.mistakes.length > 0),
      mistakes.length,
      count(mistakes, (item) => item.foundBy.length > 0),
      count(mistakes, (item) => item.foundBy.length === 0),
      count(judged, (item) => item.judgement.verdict === 'justified'),
      count(judged, (item) => item.judgement.verdict === 'false alarm'),
      count(judged, (item) => item.judgement.verdict === 'duplicate'),
      inFolder.flatMap((result) => result.unjudged).length,
      count(
        [...judged.map((item) => item.record), ...inFolder.flatMap((result) => result.unjudged)],
        (record) => record.severity === 'error',
      ),
    ];
  };
  lines.push(
    ...table(
      [
        'folder',
        'files',
        'detected as',
        'files with mistakes',
        'mistakes',
        'found',
        'missed',
        'justified',
        'false alarms',
        'duplicates',
        'unjudged',
        'of these, errors',
      ],
      [...folders.map(perFolder), perFolder(undefined)],
    ),
  );

  const outside = results.flatMap((result) => [
    ...result.judged.map((item) => ({ record: item.record, verdict: item.judgement.verdict as string })),
    ...result.unjudged.map((record) => ({ record, verdict: 'unjudged' })),
  ]);
  const codes = [...new Set(outside.map((item) => `${item.record.severity} ${item.record.code}`))].sort();
  lines.push('', '## Errors and warnings outside the judged mistakes, by rule', '');
  lines.push(
    ...table(
      ['rule', 'justified', 'false alarm', 'duplicate', 'unjudged'],
      codes.map((code) => [
        code,
        ...['justified', 'false alarm', 'duplicate', 'unjudged'].map((verdict) =>
          count(outside, (item) => `${item.record.severity} ${item.record.code}` === code && item.verdict === verdict),
        ),
      ]),
    ),
  );

  const mistakeCodes = results.flatMap((result) =>
    result.mistakes.flatMap((item) => item.foundBy.slice(0, 1).map((record) => `${record.severity} ${record.code}`)),
  );
  lines.push('', '## Mistakes found, by the rule that found them', '');
  lines.push(
    ...table(
      ['rule', 'mistakes'],
      [...new Set(mistakeCodes)].sort().map((code) => [code, count(mistakeCodes, (item) => item === code)]),
    ),
  );

  const quiet = results.flatMap((result) =>
    result.records.filter((record) => !isLoud(record)).map((record) => `${record.severity} ${record.code}`),
  );
  lines.push('', '## Information and hints (not judged), by rule', '');
  lines.push(
    ...table(
      ['rule', 'count', 'files'],
      [...new Set(quiet)]
        .sort()
        .map((code) => [
          code,
          count(quiet, (item) => item === code),
          count(results, (result) => result.records.some((record) => `${record.severity} ${record.code}` === code)),
        ]),
    ),
  );

  const problems = results.flatMap((result) => failuresOf(result).map((failure) => `- ${result.file}: ${failure}`));
  lines.push(
    '',
    `## Disagreements with the judgements (${problems.length})`,
    '',
    ...(problems.length > 0 ? problems : ['None.']),
  );
  const stale = staleEntriesOf(results).map((entry) => `- ${entry}`);
  lines.push(
    '',
    `## Stale entries in judgements.json (${stale.length})`,
    '',
    ...(stale.length > 0 ? stale : ['None.']),
    '',
  );
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('corpusReport.ts')) process.stdout.write(formatCorpusReport(judgeCorpus()));
