// Helpers for the in-editor suites: workspace fixture files and waiting on VS Code events instead of sleeping.

import * as vscode from 'vscode';

/** The extension's id as VS Code knows it: `<publisher>.<name>` from package.json. */
export const EXTENSION_ID = 'optimizer-lens.optimizer-lens';

/** How long one wait for a language-server answer may take; the first analysis includes starting the server. */
export const EVENT_TIMEOUT_MS = 30_000;

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder)
    throw new Error(
      'The extension tests need a workspace folder: launch VS Code with a folder (code-server ?folder=, test-electron launchArgs).',
    );
  return folder.uri;
}

/** Writes a file into the workspace folder and returns its URI; suites create their own inputs so they run anywhere. */
export async function writeWorkspaceFile(name: string, content: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceFolder(), name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  return uri;
}

/** The code as a plain string, whether the client sent `code` or `{ value, target }` (with a documentation link). */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function codesOf(diagnostics: readonly vscode.Diagnostic[]): string[] {
  return diagnostics
    .map(diagnosticCode)
    .filter((code): code is string => code !== undefined)
    .sort();
}

/**
 * Resolves with the document's diagnostics as soon as `accept` holds for them: checks the current ones, then every
 * `onDidChangeDiagnostics` for this URI. Rejects after `timeoutMs` with what was there, so a failure says what it saw.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = EVENT_TIMEOUT_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      finish();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      const seen = vscode.languages
        .getDiagnostics(uri)
        .map((diagnostic) => `${diagnosticCode(diagnostic) ?? '?'} ${diagnostic.message}`);
      reject(
        new Error(`waited ${timeoutMs} ms for ${what} on ${uri.path}; diagnostics there: ${JSON.stringify(seen)}`),
      );
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** The position of the first occurrence of `needle` (plus `delta` characters) in the document. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  if (offset < 0) throw new Error(`"${needle}" is not in ${document.uri.path}`);
  return document.positionAt(offset + delta);
}

/** Hover contents as one string, whatever mix of MarkdownString and MarkedString the providers returned. */
export function hoverText(hovers: readonly vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n\n');
}

/** The text of the hovers `delta` characters into the first `needle` of `document`. */
export async function hoverTextAt(document: vscode.TextDocument, needle: string, delta = 0): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    positionOf(document, needle, delta),
  );
  return hoverText(hovers);
}

export function completionLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}
