// The extension's entry point: starts the language server and registers commands, status bar and panels.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AnalysisChangedNotification, ScheduleRequest, type ScheduleData } from '../../server/src/protocol';
import { SchedulePanel } from './panels/schedulePanel';

/** `activate` registers everything in `context.subscriptions`; VS Code disposes them on deactivation. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Optimizer Lens', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'optim', scheme: 'file' },
      { language: 'optim', scheme: 'untitled' },
      { language: 'optim', scheme: 'vscode-remote' },
    ],
    outputChannel: output,
    synchronize: { configurationSection: 'optimizerLens' },
  };
  const client = new LanguageClient('optimizerLens', 'Optimizer Lens', serverOptions, clientOptions);

  const getSchedule = async (uri: string): Promise<ScheduleData | null> => {
    try {
      // Method names, not the RequestType objects: the client and the server bundle different vscode-jsonrpc versions.
      return await client.sendRequest<ScheduleData | null>(ScheduleRequest.method, { uri });
    } catch (error) {
      output.error(`schedule request failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  const panels = SchedulePanel.register(context, getSchedule);
  context.subscriptions.push(panels);

  const activeConfigUri = (argument: unknown): string | undefined => {
    if (typeof argument === 'string') return argument;
    if (argument instanceof vscode.Uri) return argument.toString();
    const editor = vscode.window.activeTextEditor;
    return editor && editor.document.languageId === 'optim' ? editor.document.uri.toString() : undefined;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('optimizerLens.showSchedule', async (argument?: unknown) => {
      const uri = activeConfigUri(argument);
      if (!uri) {
        void vscode.window.showInformationMessage('Open an optimizer config (*.optim.yaml) to show its schedule.');
        return;
      }
      await panels.show(uri);
    }),
    vscode.commands.registerCommand('optimizerLens.restartServer', async () => {
      output.info('Restarting the language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand('optimizerLens.showOutput', () => output.show(true)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && editor.document.languageId === 'optim') panels.follow(editor.document.uri.toString());
    }),
  );

  await client.start();
  context.subscriptions.push(
    client,
    client.onNotification(AnalysisChangedNotification.method, (params: { uri: string; version: number }) => panels.refresh(params.uri)),
  );
  output.info('Optimizer Lens language server started.');
}

export function deactivate(): void {
  // The LanguageClient is disposed through context.subscriptions.
}
