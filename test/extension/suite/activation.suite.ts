// In-editor tests of activation: the extension wakes on YAML/JSON cheaply, and starts its server only for configs.
// Runs first, in a workspace that has no config yet; it writes the measured figures to test/artifacts/.

import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OptimizerLensApi } from '../../../client/src/extension';
import type { TestApi } from '../runner';
import { codesOf, EXTENSION_ID, waitForDiagnostics, writeWorkspaceFile } from './helpers';

const PACKAGE_JSON =
  '{\n  "name": "web-app",\n  "description": "A learning_rate slider and an optimizer demo",\n  "scripts": {"build": "tsc"}\n}\n';
const COMPOSE_YAML = 'services:\n  web:\n    image: nginx\n';
/** A DeepSpeed config under a name the manifest does not list: recognised by its content. */
const DEEPSPEED =
  '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "Adam", "params": {"lr": 1e-4, "weight_decay": 0.01, "adam_w_mode": false}},\n  "train_step_batch_size": 4\n}\n';

export function activationSuite({ suite, test }: TestApi): void {
  suite('activation', () => {
    const figures: Record<string, number | string> = {};
    let api: OptimizerLensApi | undefined;

    test('in a workspace without configs, activation is cheap and the language server is not started', async () => {
      const extension = vscode.extensions.getExtension<OptimizerLensApi>(EXTENSION_ID);
      assert.ok(extension, `${EXTENSION_ID} is not loaded`);
      const open = vscode.workspace.textDocuments.map(
        (document) => `${document.uri.toString()} (${document.languageId})`,
      );
      assert.ok(
        !open.some((entry) => /\.optim\.|ds_config|deepspeed/.test(entry)),
        `a config is open before the suite starts: ${open.join(', ')}`,
      );
      // Current VS Code creates a JSON model at startup in every window, so onLanguage:json has usually fired already;
      // the cost that matters is then what activate() did, and that it left the server alone.
      figures.activeAtSuiteStart = String(extension.isActive);
      const started = performance.now();
      api = await extension.activate();
      if (figures.activeAtSuiteStart === 'false')
        figures.activateWithModuleLoadMs = Math.round((performance.now() - started) * 10) / 10;
      figures.activateBodyMs = Math.round(api.activationMs * 10) / 10;
      assert.equal(
        api.serverStartReason(),
        undefined,
        `the server started although no config is open: ${api.serverStartReason()}`,
      );
      assert.equal(api.isServerRunning(), false);
    });

    test('opening an unrelated package.json and a YAML file does not start the server', async () => {
      assert.ok(api, 'activation failed');
      for (const [name, content] of [
        ['package.json', PACKAGE_JSON],
        ['compose.yaml', COMPOSE_YAML],
      ] as const) {
        const document = await vscode.workspace.openTextDocument(await writeWorkspaceFile(name, content));
        await vscode.window.showTextDocument(document);
      }
      assert.equal(api.serverStartReason(), undefined, `the server started for: ${api.serverStartReason()}`);
      assert.equal(api.isServerRunning(), false);
    });

    test('opening a DeepSpeed JSON starts the server, and its diagnostics follow', async () => {
      assert.ok(api, 'activation failed');
      const uri = await writeWorkspaceFile('train_settings.json', DEEPSPEED);
      const started = performance.now();
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      assert.match(api.serverStartReason() ?? '', /train_settings\.json: it has a config key/);
      await waitForDiagnostics(uri, (all) => codesOf(all).includes('OL301'), 'OL301 on the DeepSpeed file');
      figures.openConfigToFirstDiagnosticsMs = Math.round(performance.now() - started);
      assert.equal(api.isServerRunning(), true);
      const serverStartMs = api.serverStartMs();
      assert.ok(serverStartMs !== undefined, 'the start that the document triggered has not finished');
      figures.serverStartMs = Math.round(serverStartMs);
      figures.vscodeVersion = vscode.version;
      // Kept beside the e2e screenshots (ignored by git), for the figures in the notes.
      const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
      const artifacts = path.join(extension.extensionPath, 'test', 'artifacts');
      mkdirSync(artifacts, { recursive: true });
      writeFileSync(path.join(artifacts, 'activation-timing.json'), `${JSON.stringify(figures, null, 2)}\n`);
      console.log(`Optimizer Lens activation figures: ${JSON.stringify(figures)}`);
    });
  });
}
