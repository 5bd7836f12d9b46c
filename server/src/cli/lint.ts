// `optlens lint`: the same rules as the editor, for CI, as text, JSON or SARIF.

import { computeLineStarts, lineOf, type Analysis } from '../core/analysis';
import { RULES } from '../core/catalog/rules';
import type { Problem } from '../core/model';
import { analyzeFile } from './readConfig';

export { formatOfPath } from './readConfig';

export interface LintRecord {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly code: string;
  readonly message: string;
}

export function lintText(file: string, text: string): LintRecord[] {
  // Native files by name; anything else is detected by content (DeepSpeed, Lightning, HF, Hydra).
  return lintRecords(file, analyzeFile(file, text));
}

/** The problems of an analysis as records with 1-based positions. */
export function lintRecords(file: string, analysis: Analysis): LintRecord[] {
  const text = analysis.tree.text;
  const starts = computeLineStarts(text);
  return analysis.problems.map((problem) => toRecord(file, problem, starts));
}

function toRecord(file: string, problem: Problem, starts: readonly number[]): LintRecord {
  const startLine = lineOf(starts, problem.start);
  const endLine = lineOf(starts, problem.end);
  return {
    file,
    line: startLine + 1,
    column: problem.start - starts[startLine]! + 1,
    endLine: endLine + 1,
    endColumn: problem.end - starts[endLine]! + 1,
    severity: problem.severity,
    code: problem.code,
    message: problem.message,
  };
}

export function formatText(records: readonly LintRecord[]): string {
  const lines = records.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}`);
  const errors = records.filter((r) => r.severity === 'error').length;
  const warnings = records.filter((r) => r.severity === 'warning').length;
  lines.push(
    `${records.length === 0 ? 'No problems' : `${records.length} problem${records.length === 1 ? '' : 's'}`} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}).`,
  );
  return `${lines.join('\n')}\n`;
}

/** SARIF 2.1.0, as GitHub code scanning reads it. */
export function formatSarif(records: readonly LintRecord[], version: string): string {
  const level = (severity: LintRecord['severity']): string =>
    severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'optimizer-lens',
            version,
            rules: RULES.map((rule) => ({
              id: rule.code,
              name: rule.name,
              shortDescription: { text: rule.summary },
              fullDescription: { text: rule.doc },
              defaultConfiguration: { level: level(rule.severity) },
            })),
          },
        },
        results: records.map((r) => ({
          ruleId: r.code,
          level: level(r.severity),
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: r.file.replace(/\\/g, '/') },
                region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
