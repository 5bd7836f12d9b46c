// Feature-test helpers in rust-analyzer's style: a fixture with a `$0` cursor, the expected result written inline.
//
// A fixture is the file's text, indented like the test around it (the common indentation is removed). An optional
// first line `//- name.ext` names the file, for dialect detection and the format; the default is `config.optim.yaml`.
// In an expected text, a line that is only `…` stands for any number of lines, and `…` inside a line for any text,
// so a case can pin what matters (the first line, the computed summary) without restating the catalog's prose.

import assert from 'node:assert/strict';
import { analyze, type Analysis } from '../../server/src/core/analysis';
import { ALL_SECTIONS } from '../../server/src/core/catalog/allSections';
import { codeActions } from '../../server/src/core/features/codeActions';
import { complete, type CompletionItem } from '../../server/src/core/features/completion';
import { hover } from '../../server/src/core/features/hover';
import type { TextEdit } from '../../server/src/core/model';

const CURSOR = '$0';
const DEFAULT_FILE_NAME = 'config.optim.yaml';

/** The codes of the problems `text` has as a file named `fileName` (its dialect detected, YAML unless `.json`). */
export function problemCodes(text: string, fileName: string): string[] {
  const analysis = analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName });
  return analysis.problems.map((problem) => problem.code);
}

/** `text` with the `$0` cursor after the first occurrence of `before` (which must be there). */
export function cursorAfter(before: string, text: string): string {
  const index = text.indexOf(before);
  if (index < 0) throw new Error(`"${before}" is not in the fixture`);
  return `${text.slice(0, index + before.length)}${CURSOR}${text.slice(index + before.length)}`;
}

/** A rule case's text without its `«…»` marks, and the span the marks enclose (where the problem must be). */
export function unmark(marked: string): { text: string; start: number; end: number } {
  const start = marked.indexOf('«');
  const end = marked.indexOf('»') - 1;
  return { text: marked.replace('«', '').replace('»', ''), start, end };
}

/** Removes the first line when blank, the common indentation of the other lines, and trailing blank space. */
export function trimIndent(text: string): string {
  const lines = text
    .replace(/^[ \t]*\n/, '')
    .replace(/\s+$/, '')
    .split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => (/^ */.exec(line) ?? [''])[0].length);
  const common = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join('\n');
}

export interface Fixture {
  readonly fileName: string;
  /** The file's text without the cursor marker, ending in a newline. */
  readonly text: string;
  readonly offset: number;
  readonly analysis: Analysis;
}

/** Parses a fixture (name line, `$0` cursor) and analyses it as the language server would. */
export function fixture(source: string): Fixture {
  let body = trimIndent(source);
  let fileName = DEFAULT_FILE_NAME;
  const header = /^\/\/- (\S+)\n/.exec(body);
  if (header) {
    fileName = header[1]!;
    body = body.slice(header[0].length);
  }
  const offset = body.indexOf(CURSOR);
  assert.ok(offset >= 0, `the fixture has no ${CURSOR} cursor:\n${body}`);
  assert.equal(body.indexOf(CURSOR, offset + 1), -1, 'the fixture has more than one cursor');
  const text = `${body.slice(0, offset)}${body.slice(offset + CURSOR.length)}\n`;
  const analysis = analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName });
  return { fileName, text, offset, analysis };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compares `actual` with an expected text that may hold `…` wildcards; the failure shows both in full. */
export function assertMatches(actual: string, expected: string, what: string): void {
  const wanted = trimIndent(expected);
  if (!wanted.includes('…')) {
    assert.equal(actual, wanted, `${what} differs`);
    return;
  }
  const pattern = wanted
    .split('\n')
    // Whole lines only (each repetition ends in a newline), so that a mismatch cannot backtrack exponentially.
    .map((line) =>
      line.trim() === '…' ? '(?:[^\\n]*\\n)*?' : `${line.split('…').map(escapeRegExp).join('[^\\n]*?')}\\n`,
    )
    .join('');
  if (new RegExp(`^${pattern}$`).test(`${actual}\n`)) return;
  assert.fail(`${what} does not match.\n--- expected (… is a wildcard)\n${wanted}\n--- actual\n${actual}\n---`);
}

/**
 * Hover at the cursor: the hovered source text in «», a blank line, then the Markdown; `(no hover)` when there is none.
 */
export function checkHover(source: string, expected: string): void {
  const { text, offset, analysis } = fixture(source);
  const result = hover(analysis, offset, ALL_SECTIONS);
  const actual = result ? `«${text.slice(result.span.start, result.span.end)}»\n\n${result.markdown}` : '(no hover)';
  assertMatches(actual, expected, 'the hover');
}

/** One completion item as a line: its kind and label, then its detail for parameters and values. */
function renderItem(item: CompletionItem): string {
  const detail = (item.kind === 'param' || item.kind === 'value') && item.detail ? ` (${item.detail})` : '';
  return `${item.kind} ${item.label}${detail}`;
}

/** The items in the editor's order (sortText, then label). */
function sortedItems(items: readonly CompletionItem[]): CompletionItem[] {
  return [...items].sort(
    (a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label),
  );
}

/** Completion at the cursor: one line per item (`kind label (detail)`), in the order the editor shows them; `(none)` when empty. */
export function checkCompletion(source: string, expected: string): void {
  const { offset, analysis } = fixture(source);
  const items = sortedItems(complete(analysis, offset, ALL_SECTIONS));
  assertMatches(items.length === 0 ? '(none)' : items.map(renderItem).join('\n'), expected, 'the completion list');
}

/** A snippet's text as inserted once every placeholder keeps its default: `${1:0.9}` → `0.9`, `${1|a,b|}` → `a`, `$1` → ``. */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}/g, '')
    .replace(/\$\d+/g, '');
}

/** Applies the completion item labelled `label` at the cursor and compares the whole document with `after`. */
export function checkCompletionEdit(source: string, label: string, after: string): void {
  const { text, offset, analysis } = fixture(source);
  const items = complete(analysis, offset, ALL_SECTIONS);
  const item = items.find((candidate) => candidate.label === label);
  assert.ok(item, `no completion "${label}" among: ${items.map((candidate) => candidate.label).join(', ')}`);
  const newText = item.snippet ? expandSnippet(item.insertText) : item.insertText;
  assertMatches(
    applyEdits(text, [{ ...item.replace, newText }]).replace(/\n$/, ''),
    after,
    `the document after completing "${label}"`,
  );
}

/** Applies non-overlapping edits, last first, so that earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return result;
}

/**
 * The quick fix titled `title` at the cursor, applied: compares the document after the edit with `after`, then
 * analyses that document again and checks that the problem the fix was for is gone.
 */
export function checkFix(source: string, title: string, after: string): void {
  const { fileName, text, offset, analysis } = fixture(source);
  const actions = codeActions(analysis, { start: offset, end: offset });
  const action = actions.find((candidate) => candidate.title === title);
  assert.ok(
    action,
    `no quick fix "${title}" at the cursor; offered: ${JSON.stringify(actions.map((candidate) => `${candidate.problem.code}: ${candidate.title}`))}`,
  );
  const fixed = applyEdits(text, action.edits);
  assertMatches(fixed.replace(/\n$/, ''), after, `the document after "${title}"`);
  const again = analyze(fixed, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName });
  const left = again.problems.filter((problem) => problem.code === action.problem.code);
  assert.deepEqual(
    left.map((problem) => `${problem.code} ${problem.message}`),
    [],
    `${action.problem.code} is still reported after "${title}"`,
  );
}
