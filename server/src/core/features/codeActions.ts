// Code actions: the quick fixes that rules attached to their problems, plus "suppress on this line".

import type { Analysis } from '../analysis';
import type { Problem, TextEdit } from '../model';
import type { Span } from '../syntax/tree';

export interface CodeAction {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  readonly problem: Problem;
  readonly preferred: boolean;
  readonly kind: 'quickfix';
}

function overlaps(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function codeActions(analysis: Analysis, range: Span): CodeAction[] {
  const actions: CodeAction[] = [];
  const text = analysis.tree.text;
  for (const problem of analysis.problems) {
    if (!overlaps(problem, range)) continue;
    for (const fix of problem.fixes ?? []) {
      actions.push({
        title: fix.title,
        edits: fix.edits,
        problem,
        preferred: fix.preferred === true,
        kind: 'quickfix',
      });
    }
    const suppress = suppressionEdit(text, problem, analysis.tree.format === 'json');
    if (suppress)
      actions.push({
        title: `Suppress ${problem.code} on this line`,
        edits: [suppress],
        problem,
        preferred: false,
        kind: 'quickfix',
      });
  }
  return actions;
}

/** Appends (or extends) a suppression comment at the end of the problem's line. */
function suppressionEdit(text: string, problem: Problem, json: boolean): TextEdit | undefined {
  if (problem.code === 'OL001' || problem.code === 'OL002') return undefined;
  const lineEnd = text.indexOf('\n', problem.start);
  const end = lineEnd < 0 ? text.length : lineEnd;
  const lineStart = text.lastIndexOf('\n', problem.start - 1) + 1;
  const line = text.slice(lineStart, end);
  const existing = /(#|\/\/)\s*optlens-disable-line\b[^\n]*/.exec(line);
  if (existing) {
    const at = lineStart + existing.index + existing[0].length;
    return { start: at, end: at, newText: ` ${problem.code}` };
  }
  // JSON proper has no comments; JSONC does, and jsonc-parser accepts `//` comments.
  const trimmed = line.replace(/\s+$/, '');
  const at = lineStart + trimmed.length;
  return { start: at, end: at, newText: `${json ? ' //' : ' #'} optlens-disable-line ${problem.code}` };
}
