// LSP document symbols, folding ranges and code lenses: structure and computed facts, no requests to the user.

import { SymbolKind, type CodeLens, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { codeLenses } from '../../core/features/codeLens';
import { foldingSpans, outline, type OutlineSymbol } from '../../core/features/outline';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guardDocument } from '../guard';

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
    guardDocument(context, 'documentSymbol', [] as DocumentSymbol[], ({ document, analysis }) =>
      outline(analysis).map((symbol) => toSymbol(document, symbol)),
    ),
  );
  connection.onFoldingRanges(
    guardDocument(context, 'foldingRange', [] as FoldingRange[], ({ document, analysis }) => {
      const ranges: FoldingRange[] = [];
      for (const span of foldingSpans(analysis)) {
        const startLine = document.positionAt(span.start).line;
        const endLine = document.positionAt(span.end).line;
        if (endLine > startLine) ranges.push({ startLine, endLine });
      }
      return ranges;
    }),
  );
  connection.onCodeLens(
    guardDocument(context, 'codeLens', [] as CodeLens[], ({ document, analysis }) =>
      codeLenses(analysis).map((lens) => ({
        range: toRange(document, lens.span),
        command: { title: lens.title, command: lens.command ?? '', arguments: [document.uri] },
      })),
    ),
  );
}
