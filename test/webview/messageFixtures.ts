// Messages for the tests of the webview boundary's guards, shared by every panel's tests.

import type { ExportFormat, ExportMessage } from '../../webview/src/protocol';

/** A well-formed export message for `format`: base64 bytes for PNG, text for SVG and CSV. */
export function exportMessage(format: ExportFormat): ExportMessage {
  const text = { svg: '<svg/>', csv: 'step,lr\n' };
  return format === 'png'
    ? { type: 'export', format, suggestedName: 'a.png', encoding: 'base64', content: 'AA==' }
    : { type: 'export', format, suggestedName: `a.${format}`, encoding: 'utf8', content: text[format] };
}
