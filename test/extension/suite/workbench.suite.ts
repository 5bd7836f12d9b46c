// In-editor tests of what the extension adds around the language: its commands and DeepSpeed configs in JSON.

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../runner';
import { codesOf, diagnosticCode, waitForDiagnostics, writeWorkspaceFile } from './helpers';

/** DeepSpeed's Adam with adam_w_mode off and weight decay (OL207), plus a misspelt batch-size key (OL301). */
const DS_CONFIG =
  '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "Adam", "params": {"lr": 1e-4, "weight_decay": 0.01, "adam_w_mode": false}},\n  "train_step_batch_size": 4\n}\n';

const CONTRIBUTED_COMMANDS = [
  'optimizerLens.showSchedule',
  'optimizerLens.runRangeTest',
  'optimizerLens.showComputeBackends',
];

export function workbenchSuite({ suite, test }: TestApi): void {
  suite('workbench', () => {
    test('the schedule, range-test and compute-backend commands are registered', async () => {
      const commands = new Set(await vscode.commands.getCommands(true));
      const missing = CONTRIBUTED_COMMANDS.filter((command) => !commands.has(command));
      assert.deepEqual(missing, [], `not registered: ${missing.join(', ')}`);
    });

    test('a DeepSpeed ds_config.json gets diagnostics while keeping the json language', async () => {
      const uri = await writeWorkspaceFile('ds_config.json', DS_CONFIG);
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.equal(document.languageId, 'json');
      const diagnostics = await waitForDiagnostics(
        uri,
        (all) => codesOf(all).includes('OL301') && codesOf(all).includes('OL207'),
        'OL301 and OL207',
      );
      const unknownKey = diagnostics.find((diagnostic) => diagnosticCode(diagnostic) === 'OL301')!;
      assert.equal(document.getText(unknownKey.range), '"train_step_batch_size"');
    });
  });
}
