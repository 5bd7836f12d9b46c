// The head of every HTML page the product writes (the CLI's `--out plot.html`, the editor panels): one home for the
// charset, the content security policy and the viewport.

import { escapeXml } from './svg';

export interface HtmlPage {
  /** The Content-Security-Policy, as the `content` of its meta element (written as it is: no `"` in it). */
  readonly csp: string;
  readonly title: string;
  /** More elements of the head (style sheets, a style element), each line indented by two spaces. */
  readonly head?: string;
  /** The body's content, each line indented by two spaces. */
  readonly body: string;
}

export function htmlPage(page: HtmlPage): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="${page.csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeXml(page.title)}</title>
${page.head ?? ''}</head>
<body>
${page.body}</body>
</html>
`;
}
