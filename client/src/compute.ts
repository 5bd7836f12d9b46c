// Client side of on-demand compute: the range-test and backends commands, applying a suggested lr, the status bar.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ApplyLearningRateRequest,
  ComputeBackendsRequest,
  JobStatusNotification,
  type ApplyTarget,
} from '../../server/src/protocol';

export interface ComputeCommandsOptions {
  readonly client: LanguageClient;
  readonly output: vscode.LogOutputChannel;
}

/** Sets `lr` (or `max_lr`) in the document through a normal, undoable workspace edit; the value as written, or null. */
export async function applyLearningRate(
  client: LanguageClient,
  uri: string,
  lr: number,
  target: ApplyTarget,
): Promise<string | null> {
  const result = await client.sendRequest(ApplyLearningRateRequest.type, { uri, lr, target });
  if (!result) {
    void vscode.window.showWarningMessage(`Optimizer Lens: there is no \`${target}\` to set in this file.`);
    return null;
  }
  const edit = new vscode.WorkspaceEdit();
  const documentUri = vscode.Uri.parse(uri);
  for (const change of result.edits) {
    edit.replace(
      documentUri,
      new vscode.Range(
        change.range.start.line,
        change.range.start.character,
        change.range.end.line,
        change.range.end.character,
      ),
      change.newText,
    );
  }
  return (await vscode.workspace.applyEdit(edit)) ? result.written : null;
}

export function registerComputeCommands(options: ComputeCommandsOptions): vscode.Disposable[] {
  const { client, output } = options;
  const status = vscode.window.createStatusBarItem('optimizerLens.compute', vscode.StatusBarAlignment.Left, 0);
  status.name = 'Optimizer Lens compute';
  status.command = 'optimizerLens.showComputeBackends';

  const showBackends = vscode.commands.registerCommand('optimizerLens.showComputeBackends', async () => {
    const backends = await client.sendRequest(ComputeBackendsRequest.type, {});
    const items = backends.map((backend) => ({
      label: `${backend.loaded ? '$(check)' : '$(circle-slash)'} ${backend.name}`,
      description: backend.loaded ? 'loads' : 'not available',
      detail: backend.reason,
    }));
    output.info(`compute backends: ${backends.map((b) => `${b.name}=${b.loaded ? 'ok' : b.reason}`).join('; ')}`);
    await vscode.window.showQuickPick(items, {
      title: 'Optimizer Lens: compute backends (tried in this order)',
      canPickMany: false,
    });
  });

  const statusListener = client.onNotification(JobStatusNotification.type, (params) => {
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

  return [status, showBackends, statusListener];
}
