// The extension's entry point: starts the language server and registers commands, status bar and panels.

import * as vscode from 'vscode';
import {
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  AnalysisChangedNotification,
  ScheduleRequest,
  WorkspaceTrustNotification,
  type ScheduleData,
  type TrustInitializationOptions,
} from '../../server/src/protocol';
import { SERVED_LANGUAGES, candidateVerdict, manifestFileGlobs, servedDocumentSelector } from './activation';
import { applyLearningRate, registerComputeCommands } from './compute';
import { registerRangeTestCommand } from './rangeTest';
import { LandscapePanel } from './panels/landscapePanel';
import { RangeTestPanel } from './panels/rangeTestPanel';
import { SchedulePanel } from './panels/schedulePanel';
import { ConvertRequest, SimulationRequest, type SimulationOutcome } from '../../server/src/protocol';
import { CONVERT_TARGETS, CONVERT_TARGET_DESCRIPTIONS } from '../../server/src/core/catalog/dialects';

/** What `activate` returns (the extension's exports): read by the extension tests. */
export interface OptimizerLensApi {
  /** How long `activate` itself took, in milliseconds (module loading not included). */
  readonly activationMs: number;
  /** Why the language server was started (a document or a command), or undefined while it has not been. */
  serverStartReason(): string | undefined;
  /** Whether the language client is running (started by a document or by a command's request). */
  isServerRunning(): boolean;
  /** How long the document-triggered start took (spawn, initialize), in milliseconds, once it finished. */
  serverStartMs(): number | undefined;
}

/**
 * `activate` registers everything in `context.subscriptions`; VS Code disposes them on deactivation. The extension
 * activates on every YAML and JSON file, so activation only registers: the language server starts with the first
 * document that may be an optimizer config (client/src/activation.ts), or with the first command that asks it.
 */
export async function activate(context: vscode.ExtensionContext): Promise<OptimizerLensApi> {
  const activationStarted = performance.now();
  const output = vscode.window.createOutputChannel('Optimizer Lens', { log: true });
  context.subscriptions.push(output);

  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', '--inspect=6019'] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: servedDocumentSelector(),
    outputChannel: output,
    synchronize: { configurationSection: 'optimizerLens' },
    // A function, so that a start after trust was granted (or a restart) sends the state at that time.
    initializationOptions: (): TrustInitializationOptions => ({ workspaceTrusted: vscode.workspace.isTrusted }),
  };
  const client = new LanguageClient('optimizerLens', 'Optimizer Lens', serverOptions, clientOptions);

  const getSchedule = async (uri: string, metrics?: readonly number[]): Promise<ScheduleData | null> => {
    try {
      return await client.sendRequest(ScheduleRequest.type, { uri, ...(metrics ? { metrics } : {}) });
    } catch (error) {
      output.error(`schedule request failed: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  /** Runs the simulation of `uri` and shows it; `loud` reports failures (a live re-run after an edit stays quiet). */
  const simulate = async (uri: string, loud: boolean): Promise<void> => {
    let outcome: SimulationOutcome;
    try {
      outcome = await client.sendRequest(SimulationRequest.type, { uri });
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
    simulationTimers.set(
      uri,
      setTimeout(() => {
        simulationTimers.delete(uri);
        void simulate(uri, false);
      }, 300),
    );
  };
  context.subscriptions.push({ dispose: () => simulationTimers.forEach((timer) => clearTimeout(timer)) });
  const panels = SchedulePanel.register(context, getSchedule);
  const rangeTestPanel = RangeTestPanel.register(context, (uri, lr, target) =>
    applyLearningRate(client, uri, lr, target),
  );
  const landscapePanel = LandscapePanel.register(context);
  // The range-test and landscape registries add themselves to context.subscriptions when they register.
  context.subscriptions.push(panels);

  const activeConfigUri = (argument: unknown): string | undefined => {
    if (typeof argument === 'string') return argument;
    if (argument instanceof vscode.Uri) return argument.toString();
    const editor = vscode.window.activeTextEditor;
    return editor && SERVED_LANGUAGES.has(editor.document.languageId) ? editor.document.uri.toString() : undefined;
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
    ...registerComputeCommands({ client, output }),
    ...registerRangeTestCommand({ client, context, output, panel: rangeTestPanel, configUri: activeConfigUri }),
    vscode.commands.registerCommand('optimizerLens.simulate', async (argument?: unknown) => {
      const uri = activeConfigUri(argument);
      if (!uri) {
        void vscode.window.showInformationMessage(
          'Open an optimizer config with a `simulate:` section to run a simulation.',
        );
        return;
      }
      await simulate(uri, true);
    }),
    vscode.commands.registerCommand('optimizerLens.convert', async (argument?: unknown) => {
      const uri = activeConfigUri(argument);
      if (!uri) return;
      const picked = await vscode.window.showQuickPick(
        CONVERT_TARGETS.map((target) => ({ label: target, description: CONVERT_TARGET_DESCRIPTIONS[target], target })),
        { title: 'Convert the optimizer and schedule to' },
      );
      if (!picked) return;
      const result = await client.sendRequest(ConvertRequest.type, { uri, to: picked.target });
      if (!result) {
        void vscode.window.showWarningMessage('Optimizer Lens: this file has no optimizer or schedule to convert.');
        return;
      }
      // A new untitled document: nothing the user wrote is changed.
      const document = await vscode.workspace.openTextDocument({ content: result.text, language: result.format });
      await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
      if (result.lost.length > 0) {
        // The whole list goes to the output and, on request, to a modal dialog: a notification would truncate it.
        const list = result.lost.map((line) => `• ${line}`).join('\n');
        output.info(`convert to ${picked.label}: not carried over, or carried with a difference:\n${list}`);
        const show = 'Show the list';
        const choice = await vscode.window.showWarningMessage(
          `Optimizer Lens: ${result.lost.length} note(s) on the conversion to ${picked.label}${result.format === 'yaml' ? ' (also at the top of the new file)' : ''}.`,
          show,
        );
        if (choice === show)
          await vscode.window.showWarningMessage(
            `Converted to ${picked.label}: not carried over, or carried with a difference`,
            { modal: true, detail: list },
          );
      }
    }),
    vscode.commands.registerCommand('optimizerLens.restartServer', async () => {
      output.info('Restarting the language server.');
      await client.restart();
    }),
    vscode.commands.registerCommand('optimizerLens.showOutput', () => output.show(true)),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (editor && SERVED_LANGUAGES.has(editor.document.languageId)) panels.follow(editor.document.uri.toString());
    }),
  );

  // Handlers registered before the start wait in the client until it connects.
  context.subscriptions.push(
    client,
    client.onNotification(AnalysisChangedNotification.type, (params) => {
      panels.refresh(params.uri);
      rerunSimulation(params.uri);
    }),
  );

  // Lazy start: a command's request starts the client by itself; documents start it here, when they may be configs.
  const manifestGlobs = manifestFileGlobs(context.extension.packageJSON);
  let startReason: string | undefined;
  let startMs: number | undefined;
  const startServer = (reason: string): void => {
    if (startReason !== undefined) return;
    startReason = reason;
    const started = performance.now();
    output.info(`Starting the language server: ${reason}.`);
    client.start().then(
      () => {
        startMs = performance.now() - started;
        output.info(`Optimizer Lens language server started in ${Math.round(startMs)} ms.`);
      },
      (error: unknown) =>
        output.error(`The language server did not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  const considerDocument = (document: vscode.TextDocument): void => {
    if (startReason !== undefined) return;
    // Window-scoped settings (the server reads them the same way), so no resource is passed.
    const files = vscode.workspace.getConfiguration('optimizerLens.files');
    const verdict = candidateVerdict(
      {
        languageId: document.languageId,
        scheme: document.uri.scheme,
        path: document.uri.scheme === 'file' ? document.uri.fsPath : document.uri.path,
        text: document.getText(),
      },
      {
        detectDialects: files.get('detectDialects'),
        associations: files.get('associations'),
        exclude: files.get('exclude'),
      },
      manifestGlobs,
    );
    if (verdict.candidate) startServer(`${vscode.workspace.asRelativePath(document.uri)}: ${verdict.reason}`);
  };
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument(considerDocument),
    vscode.workspace.onDidSaveTextDocument(considerDocument),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('optimizerLens.files')) vscode.workspace.textDocuments.forEach(considerDocument);
    }),
    // Trust can only be granted while the window lives (taking it away reloads the window).
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (client.state !== State.Stopped)
        void client.sendNotification(WorkspaceTrustNotification.type, { trusted: true });
    }),
  );
  vscode.workspace.textDocuments.forEach(considerDocument);
  const activationMs = performance.now() - activationStarted;
  output.info(
    `Optimizer Lens activated in ${activationMs.toFixed(1)} ms; ${startReason === undefined ? 'the language server waits for an optimizer config or a command' : 'the language server is starting'}.`,
  );
  return {
    activationMs,
    serverStartReason: () => startReason,
    isServerRunning: () => client.state === State.Running,
    serverStartMs: () => startMs,
  };
}

export function deactivate(): void {
  // The LanguageClient is disposed through context.subscriptions.
}
