// Client side of on-demand compute: the range-test and backends commands, applying a suggested lr, the status bar.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyLearningRateRequest,
  ComputeBackendsRequest,
  JobStatusNotification,
  RangeTestRequest,
  type RangeTestOutcome,
  type RangeTestView,
} from '../../server/src/protocol';

export interface ComputeCommandsOptions {
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
  /** Shows a finished range test (the results panel). */
  readonly showRangeTest: (view: RangeTestView) => Promise<void> | void;
  /** The config URI a command applies to: its argument, or the active optim editor. */
  readonly configUri: (argument: unknown) => string | undefined;
}

/** Sets `lr` (or `max_lr`) in the document through a normal, undoable workspace edit. */
export async function applyLearningRate(client: LanguageClient, uri: string, lr: number, target: 'lr' | 'max_lr'): Promise<boolean> {
  const result = await client.sendRequest<{ edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[] } | null>(
    ApplyLearningRateRequest.method,
    { uri, lr, target },
  );
  if (!result) {
    void vscode.window.showWarningMessage(`Optimizer Lens: there is no \`${target}\` to set in this file.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  const documentUri = vscode.Uri.parse(uri);
  for (const change of result.edits) {
    edit.replace(documentUri, new vscode.Range(change.range.start.line, change.range.start.character, change.range.end.line, change.range.end.character), change.newText);
  }
  return vscode.workspace.applyEdit(edit);
}

export function registerComputeCommands(options: ComputeCommandsOptions): vscode.Disposable[] {
  const { client, output } = options;
  const status = vscode.window.createStatusBarItem('optimizerLens.compute', vscode.StatusBarAlignment.Left, 0);
  status.name = 'Optimizer Lens compute';
  status.command = 'optimizerLens.showComputeBackends';

  const runRangeTest = vscode.commands.registerCommand('optimizerLens.runRangeTest', async (argument?: unknown) => {
    const uri = options.configUri(argument);
    if (!uri) {
      void vscode.window.showInformationMessage('Open an optimizer config (*.optim.yaml) to run an LR range test on its optimizer.');
      return;
    }
    let outcome: RangeTestOutcome;
    try {
      outcome = await client.sendRequest<RangeTestOutcome>(RangeTestRequest.method, { uri });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      output.error(`range test request failed: ${reason}`);
      void vscode.window.showErrorMessage(`Optimizer Lens: the range test failed: ${reason}`);
      return;
    }
    if (outcome.status === 'failed') {
      output.warn(`range test failed: ${outcome.reason}`);
      void vscode.window.showErrorMessage(`Optimizer Lens: the range test failed: ${outcome.reason}`);
      return;
    }
    output.info(`range test ${outcome.status} on ${outcome.view.backend} in ${outcome.view.seconds.toFixed(2)} s`);
    for (const attempt of outcome.view.backendAttempts) {
      if (!attempt.loaded) output.info(`backend ${attempt.name} not used: ${attempt.reason ?? 'unknown reason'}`);
    }
    await options.showRangeTest(outcome.view);
  });

  const showBackends = vscode.commands.registerCommand('optimizerLens.showComputeBackends', async () => {
    const backends = await client.sendRequest<{ name: string; loaded: boolean; reason?: string }[]>(ComputeBackendsRequest.method, {});
    const items = backends.map((backend) => ({
      label: `${backend.loaded ? '$(check)' : '$(circle-slash)'} ${backend.name}`,
      description: backend.loaded ? 'loads' : 'not available',
      detail: backend.reason,
    }));
    output.info(`compute backends: ${backends.map((b) => `${b.name}=${b.loaded ? 'ok' : b.reason}`).join('; ')}`);
    await vscode.window.showQuickPick(items, { title: 'Optimizer Lens: compute backends (tried in this order)', canPickMany: false });
  });

  const statusListener = client.onNotification(JobStatusNotification.method, (params: { running: boolean; title?: string; backend?: string }) => {
    if (params.running) {
      status.text = `$(sync~spin) ${params.title ?? 'Optimizer Lens job'}`;
      status.tooltip = 'An Optimizer Lens compute job is running (cancel it from its notification).';
      status.show();
    } else if (params.backend) {
      status.text = `$(chip) ${params.backend}`;
      status.tooltip = `The last Optimizer Lens job ran on the ${params.backend} backend. Click to list the backends.`;
      status.show();
    } else {
      status.hide();
    }
  });

  return [status, runRangeTest, showBackends, statusListener];
}
