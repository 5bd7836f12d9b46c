// LSP hover: the core's Markdown for whatever is under the cursor.

import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { hover } from '../../core/features/hover';
import { ALL_SECTIONS } from '../../core/catalog/allSections';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guard } from '../guard';

export function registerHover(context: ServerContext): void {
  context.connection.onHover(
    guard(context.connection, 'hover', null, (params: HoverParams): Hover | null => {
      const found = context.analysisOf(params.textDocument.uri);
      if (!found) return null;
      const result = hover(found.analysis, found.document.offsetAt(params.position), ALL_SECTIONS);
      if (!result) return null;
      return {
        contents: { kind: MarkupKind.Markdown, value: result.markdown },
        range: toRange(found.document, result.span),
      };
    }),
  );
}
