// The extension's entry point: starts the language server and registers commands, status bar and panels.

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AnalysisChangedNotification, ScheduleRequest, type ScheduleData } from '../../server/src/protocol';
import { applyLearningRate, registerComputeCommands } from './compute';
import { LandscapePanel } from './panels/landscapePanel';
import { RangeTestPanel } from './panels/rangeTestPanel';
import { SchedulePanel } from './panels/schedulePanel';
import { ConvertRequest, SimulationRequest, type ConvertTarget, type SimulationOutcome } from '../../server/src/protocol';

/** Languages whose documents the server looks at: ours, plus YAML and JSON for the dialects it recognises by content. */
const CONFIG_LANGUAGES = new Set(['optim', 'yaml', 'json', 'jsonc']);

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
      // DeepSpeed, Lightning, Hugging Face and Hydra configs keep their yaml/json language (so the YAML extension
      // keeps working); the server analyses them only when it recognises them as optimizer configs.
      { language: 'yaml', scheme: 'file' },
      { language: 'json', scheme: 'file' },
      { language: 'jsonc', scheme: 'file' },
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
  /** Runs the simulation of `uri` and shows it; `loud` reports failures (a live re-run after an edit stays quiet). */
  const simulate = async (uri: string, loud: boolean): Promise<void> => {
    let outcome: SimulationOutcome;
    try {
      outcome = await client.sendRequest<SimulationOutcome>(SimulationRequest.method, { uri });
    } catch (error) {
      output.error(`simulation request failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (outcome.status === 'failed') {
      output.warn(`simulation failed: ${outcome.reason}`);
      if (loud) void vscode.window.showErrorMessage(`Optimizer Lens: the simulation failed: ${outcome.reason}`);
      return;
    }
    landscapePanel.show(outcome.view);
  };
  // The landscape follows edits of its config like the schedule panel: re-run, debounced, while it is visible.
  const simulationTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const rerunSimulation = (uri: string): void => {
    if (!landscapePanel.isShowing(uri)) return;
    clearTimeout(simulationTimers.get(uri));
    simulationTimers.set(uri, setTimeout(() => {
      simulationTimers.delete(uri);
      void simulate(uri, false);
    }, 300));
  };
  context.subscriptions.push({ dispose: () => simulationTimers.forEach((timer) => clearTimeout(timer)) });
  const panels = SchedulePanel.register(context, getSchedule);
  const rangeTestPanel = RangeTestPanel.register(context, (uri, lr, target) => applyLearningRate(client, uri, lr, target));
  const landscapePanel = LandscapePanel.register(context);
  // The range-test and landscape registries add themselves to context.subscriptions when they register.
  context.subscriptions.push(panels);

  const activeConfigUri = (argument: unknown): string | undefined => {
    if (typeof argument === 'string') return argument;
    if (argument instanceof vscode.Uri) return argument.toString();
    const editor = vscode.window.activeTextEditor;
    return editor && CONFIG_LANGUAGES.has(editor.document.languageId) ? editor.document.uri.toString() : undefined;
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
    ...registerComputeCommands({ client, output, showRangeTest: (view) => rangeTestPanel.show(view), configUri: activeConfigUri }),
    vscode.commands.registerCommand('optimizerLens.simulate', async (argument?: unknown) => {
      const uri = activeConfigUri(argument);
      if (!uri) {
        void vscode.window.showInformationMessage('Open an optimizer config with a `simulate:` section to run a simulation.');
        return;
      }
      await simulate(uri, true);
    }),
    vscode.commands.registerCommand('optimizerLens.convert', async (argument?: unknown) => {
      const uri = activeConfigUri(argument);
      if (!uri) return;
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'optim', description: 'Optimizer Lens native format (*.optim.yaml)' },
          { label: 'deepspeed', description: 'DeepSpeed ds_config JSON' },
          { label: 'lightning', description: 'Lightning CLI YAML' },
          { label: 'hf', description: 'Hugging Face TrainingArguments YAML' },
        ],
        { title: 'Convert the optimizer and schedule to' },
      );
      if (!picked) return;
      const result = await client.sendRequest<{ text: string; format: 'yaml' | 'json'; lost: string[] } | null>(ConvertRequest.method, { uri, to: picked.label as ConvertTarget });
      if (!result) {
        void vscode.window.showWarningMessage('Optimizer Lens: this file has no optimizer or schedule to convert.');
        return;
      }
      // A new untitled document: nothing the user wrote is changed.
      const document = await vscode.workspace.openTextDocument({ content: result.text, language: result.format });
      await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
      if (result.lost.length > 0) {
        output.info(`convert to ${picked.label}: not carried over:\n  ${result.lost.join('\n  ')}`);
        void vscode.window.showWarningMessage(`Optimizer Lens: ${result.lost.length} thing(s) could not be carried over to ${picked.label}: ${result.lost[0]}${result.lost.length > 1 ? ' (see the output for the rest)' : ''}`);
      }
    }),
    vscode.commands.registerCommand('optimizerLens.restartServer', async () => {
      output.info('Restarting the language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand('optimizerLens.showOutput', () => output.show(true)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && CONFIG_LANGUAGES.has(editor.document.languageId)) panels.follow(editor.document.uri.toString());
    }),
  );

  await client.start();
  context.subscriptions.push(
    client,
    client.onNotification(AnalysisChangedNotification.method, (params: { uri: string; version: number }) => {
      panels.refresh(params.uri);
      rerunSimulation(params.uri);
    }),
  );
  output.info('Optimizer Lens language server started.');
}

export function deactivate(): void {
  // The LanguageClient is disposed through context.subscriptions.
}
