// Conversions between the core's plain data (offsets, severities) and LSP types. The only place that knows both.

import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Severity } from '../core/catalog/types';
import type { Problem } from '../core/model';
import type { Span } from '../core/syntax/tree';

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

/** The rules documentation shipped with the extension (docs/rules.md next to dist/). */
export function rulesDocUrl(code: string, extensionRoot: string): string {
  return `${pathToFileURL(path.join(extensionRoot, 'docs', 'rules.md')).href}#${code.toLowerCase()}`;
}

export function toDiagnostic(document: TextDocument, problem: Problem, extensionRoot: string): Diagnostic {
  return {
    range: toRange(document, problem),
    severity: toSeverity(problem.severity),
    code: problem.code,
    codeDescription: { href: rulesDocUrl(problem.code, extensionRoot) },
    source: 'optimizer-lens',
    message: problem.message,
  };
}
