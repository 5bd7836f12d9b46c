// LSP completion: the core's items, turned into text edits with snippets.

import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
} from 'vscode-languageserver';
import { complete, type CompletionItem as CoreItem } from '../../core/features/completion';
import { ALL_SECTIONS } from '../../core/catalog/allSections';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guardDocument } from '../guard';

const KINDS: Record<CoreItem['kind'], CompletionItemKind> = {
  section: CompletionItemKind.Module,
  optimizer: CompletionItemKind.Class,
  scheduler: CompletionItemKind.Class,
  param: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

export function registerCompletion(context: ServerContext): void {
  context.connection.onCompletion(
    guardDocument(context, 'completion', [] as CompletionItem[], ({ document, analysis }, params: CompletionParams) => {
      return complete(analysis, document.offsetAt(params.position), ALL_SECTIONS).map((item) => ({
        label: item.label,
        kind: KINDS[item.kind],
        ...(item.detail ? { detail: item.detail } : {}),
        ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
        textEdit: { range: toRange(document, item.replace), newText: item.insertText },
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        ...(item.sortText ? { sortText: item.sortText } : {}),
        ...(item.filterText ? { filterText: item.filterText } : {}),
      }));
    }),
  );
}
