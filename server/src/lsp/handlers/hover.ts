// LSP hover: the core's Markdown for whatever is under the cursor.

import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { hover } from '../../core/features/hover';
import { ALL_SECTIONS } from '../../core/catalog/allSections';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guardDocument } from '../guard';

export function registerHover(context: ServerContext): void {
  context.connection.onHover(
    guardDocument(context, 'hover', null, ({ document, analysis }, params: HoverParams): Hover | null => {
      const result = hover(analysis, document.offsetAt(params.position), ALL_SECTIONS);
      if (!result) return null;
      return {
        contents: { kind: MarkupKind.Markdown, value: result.markdown },
        range: toRange(document, result.span),
      };
    }),
  );
}
