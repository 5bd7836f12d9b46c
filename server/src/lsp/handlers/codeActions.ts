// LSP code actions: quick fixes from the core, attached to the diagnostics they fix.

import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import { codeActions } from '../../core/features/codeActions';
import type { ServerContext } from '../context';
import { toDiagnostic, toRange } from '../convert';
import { guardDocument } from '../guard';

export function registerCodeActions(context: ServerContext): void {
  context.connection.onCodeAction(
    guardDocument(context, 'codeAction', [] as CodeAction[], ({ document, analysis }, params: CodeActionParams) => {
      // While a large file is re-analysed, requests read the last finished analysis, of an older version: its edits
      // would land at that version's offsets in the new text. No quick fix then; the finished analysis brings them.
      if (document.version !== context.documents.get(document.uri)?.version) return [];
      const range = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
      return codeActions(analysis, range).map((action) => ({
        title: action.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toDiagnostic(document, action.problem, context.extensionRoot)],
        isPreferred: action.preferred,
        edit: {
          changes: {
            [document.uri]: action.edits.map((edit) => ({ range: toRange(document, edit), newText: edit.newText })),
          },
        },
      }));
    }),
  );
}
