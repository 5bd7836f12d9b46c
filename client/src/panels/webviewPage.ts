// The parts every Optimizer Lens webview panel shares: its options (scripts on, resources limited to the bundled
// webview assets), opening it beside the editor, the slot of a single-instance panel, its HTML page under a strict
// Content-Security-Policy with a fresh nonce, and saving an export.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { htmlPage } from '../../../server/src/core/plot/htmlPage';
import type { ExportFormat, ExportMessage } from '../../../webview/src/protocol';

/** The options every panel opens with: scripts on, resources only from `dist/webview`. */
export function panelWebviewOptions(
  context: vscode.ExtensionContext,
): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview')],
  };
}

/** Opens a panel of `viewType` beside the editor, without taking the focus, with the options every panel has. */
export function createPanelBeside(
  context: vscode.ExtensionContext,
  viewType: string,
  title: string,
): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    viewType,
    title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    panelWebviewOptions(context),
  );
}

/**
 * The one open panel of a kind. Opening another disposes it first; a panel that is closed (disposed) is forgotten;
 * disposing the slot closes the open panel.
 */
export class SinglePanelSlot<Open extends { readonly panel: vscode.WebviewPanel }> implements vscode.Disposable {
  private open: Open | undefined;

  get current(): Open | undefined {
    return this.open;
  }

  /** Closes the open panel and keeps the one `create` makes; `create` gets what to call when that one is disposed. */
  replace(create: (onDisposed: () => void) => Open): Open {
    this.open?.panel.dispose();
    const opened = create(() => {
      if (this.open === opened) this.open = undefined;
    });
    this.open = opened;
    return opened;
  }

  dispose(): void {
    this.open?.panel.dispose();
    this.open = undefined;
  }
}

/** A result panel's page: a strict CSP with a fresh nonce, uPlot's and the panel's style sheets and the bundle. */
export function panelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  page: { script: string; style: string; title: string },
): string {
  const nonce = randomBytes(18).toString('base64url');
  const asset = (name: string): string =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return htmlPage({
    csp,
    title: page.title,
    head: `  <link rel="stylesheet" href="${asset('uPlot.min.css')}">\n  <link rel="stylesheet" href="${asset(page.style)}">\n`,
    body: `  <div id="app"></div>\n  <script nonce="${nonce}" src="${asset(page.script)}"></script>\n`,
  });
}

/** Asks where to save an export from a webview, writes it, and reports the outcome through `reply`. */
export async function saveWebviewExport(
  message: ExportMessage,
  documentUri: string,
  what: string,
  reply: (message: { type: 'exported'; format: ExportFormat; savedTo: string | null; error?: string }) => void,
): Promise<void> {
  // The name comes from the webview: keep only a plain file name.
  const fileName =
    message.suggestedName
      .split(/[\\/]/)
      .pop()
      ?.replace(/[^\w.-]+/g, '-') || `export.${message.format}`;
  const document = documentUri ? vscode.Uri.parse(documentUri) : undefined;
  const folder =
    document?.scheme === 'file' ? vscode.Uri.joinPath(document, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const filters: Record<string, string[]> = {
    png: { 'PNG image': ['png'] },
    svg: { 'SVG drawing': ['svg'] },
    csv: { CSV: ['csv'] },
  }[message.format];
  try {
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
      filters,
      title: `Export ${what} as ${message.format.toUpperCase()}`,
    });
    if (!target) {
      reply({ type: 'exported', format: message.format, savedTo: null });
      return;
    }
    const bytes =
      message.encoding === 'base64'
        ? Buffer.from(message.content, 'base64')
        : new TextEncoder().encode(message.content);
    await vscode.workspace.fs.writeFile(target, bytes);
    reply({
      type: 'exported',
      format: message.format,
      savedTo: target.scheme === 'file' ? target.fsPath : target.toString(),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    reply({ type: 'exported', format: message.format, savedTo: null, error: reason });
    void vscode.window.showErrorMessage(
      `Optimizer Lens: could not save the ${message.format.toUpperCase()} export: ${reason}`,
    );
  }
}
