// LSP document symbols, folding ranges and code lenses: structure and computed facts, no requests to the user.

import { SymbolKind, type CodeLens, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeLenses } from '../../core/features/codeLens';
import { foldingSpans, outline, type OutlineSymbol } from '../../core/features/outline';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guard } from '../guard';

const SYMBOL_KINDS: Record<OutlineSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Module,
  optimizer: SymbolKind.Class,
  scheduler: SymbolKind.Class,
  key: SymbolKind.Property,
  list: SymbolKind.Array,
};

function toSymbol(document: TextDocument, symbol: OutlineSymbol): DocumentSymbol {
  return {
    name: symbol.name || '(empty)',
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: toRange(document, symbol.span),
    selectionRange: toRange(document, symbol.selection),
    children: symbol.children.map((child) => toSymbol(document, child)),
  };
}

export function registerStructure(context: ServerContext): void {
  const { connection } = context;
  connection.onDocumentSymbol(
    guard(connection, 'documentSymbol', [] as DocumentSymbol[], (params) => {
      const found = context.analysisOf(params.textDocument.uri);
      return found ? outline(found.analysis).map((symbol) => toSymbol(found.document, symbol)) : [];
    }),
  );
  connection.onFoldingRanges(
    guard(connection, 'foldingRange', [] as FoldingRange[], (params) => {
      const found = context.analysisOf(params.textDocument.uri);
      if (!found) return [];
      const ranges: FoldingRange[] = [];
      for (const span of foldingSpans(found.analysis)) {
        const startLine = found.document.positionAt(span.start).line;
        const endLine = found.document.positionAt(span.end).line;
        if (endLine > startLine) ranges.push({ startLine, endLine });
      }
      return ranges;
    }),
  );
  connection.onCodeLens(
    guard(connection, 'codeLens', [] as CodeLens[], (params) => {
      const found = context.analysisOf(params.textDocument.uri);
      if (!found) return [];
      return codeLenses(found.analysis).map((lens) => ({
        range: toRange(found.document, lens.span),
        command: { title: lens.title, command: lens.command ?? '', arguments: [found.document.uri] },
      }));
    }),
  );
}
