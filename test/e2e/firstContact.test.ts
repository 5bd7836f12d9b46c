// End to end, first contact: workspaces that hold nothing but a DeepSpeed JSON or a Lightning CLI YAML get squiggles,
// a hover and code lenses within seconds of opening the file; and Workspace Trust: in Restricted Mode linting works
// while a range test on workspace files says it needs trust, and runs once the user trusts the folder.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as layers from '@tensorflow/tfjs-layers';
import type { Page } from 'playwright-core';
import type { RunningCodeServer } from './codeServer';
import * as workbench from './workbench';

const ARTIFACTS = workbench.ARTIFACTS;
/** "Within a few seconds" on a quiet machine; the bound leaves room for a loaded 2-core one. */
const FIRST_FEEDBACK_BOUND_MS = 30_000;

/** DeepSpeed's Adam with coupled weight decay (OL207) and a warmup-decay schedule (a code lens with its summary). */
const DS_CONFIG = `{
  "train_batch_size": 32,
  "train_micro_batch_size_per_gpu": 4,
  "optimizer": {
    "type": "Adam",
    "params": {"lr": 3e-4, "weight_decay": 0.01, "adam_w_mode": false}
  },
  "scheduler": {
    "type": "WarmupDecayLR",
    "params": {"warmup_min_lr": 0, "warmup_max_lr": 3e-4, "warmup_num_steps": 100, "total_num_steps": 1000}
  }
}
`;

/** A LightningCLI config: Adam with weight decay (OL207) and a cosine schedule sized in steps but stepped per epoch (OL310). */
/** A torchtune recipe config (PyTorch's fine-tuning library): optimizer_in_bwd with accumulation makes its recipes raise. */
const TORCHTUNE_CONFIG = `output_dir: /tmp/torchtune/llama3_2_1B/full
model:
  _component_: torchtune.models.llama3_2.llama3_2_1b
optimizer:
  _component_: torch.optim.AdamW
  lr: 2e-5
  fused: True
lr_scheduler:
  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
  num_warmup_steps: 100
epochs: 1
gradient_accumulation_steps: 8
optimizer_in_bwd: True
`;

const LIGHTNING_CONFIG = `trainer:
  max_steps: 1000
model:
  class_path: mypkg.LitModel
optimizer:
  class_path: torch.optim.Adam
  init_args:
    lr: 0.001
    weight_decay: 0.01
lr_scheduler:
  class_path: torch.optim.lr_scheduler.CosineAnnealingLR
  init_args:
    T_max: 1000
`;

/** A range test on the workspace's own TF.js model and CSV (written next to it by writeUserModel). */
const USER_TASK =
  'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_decay: 0.01\nrange_test:\n  task: user\n  model: model.json\n  data: data.csv\n  num_iter: 40\n  batch_size: 16\n';

/** A tiny TF.js layers model (4 inputs, 3 classes) and a CSV it trains on, as a user's `task: user` files. */
async function writeUserModel(directory: string): Promise<void> {
  await tf.setBackend('cpu');
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
      layers.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(path.join(directory, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      writeFileSync(
        path.join(directory, 'model.json'),
        JSON.stringify({
          modelTopology: artifacts.modelTopology,
          format: 'layers-model',
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs! }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  const rows = ['f1,f2,f3,f4,label'];
  for (let i = 0; i < 200; i++) rows.push(`${Math.sin(i)},${Math.cos(i)},${(i % 7) / 7},${(i % 3) / 3},${i % 3}`);
  writeFileSync(path.join(directory, 'data.csv'), `${rows.join('\n')}\n`);
}

function workspaceWith(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'optlens-first-contact-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(folder, name), content);
  return folder;
}

describe('first contact in a real VS Code (code-server, Workspace Trust on)', () => {
  let server: RunningCodeServer;
  let opened: workbench.Workbench | undefined;
  let page: Page;
  const figures: Record<string, number> = {};
  const deepSpeedOnly = workspaceWith({ 'ds_config.json': DS_CONFIG });
  const lightningOnly = workspaceWith({ 'config.yaml': LIGHTNING_CONFIG });
  const untrusted = workspaceWith({ 'user-task.optim.yaml': USER_TASK });
  const torchtuneOnly = workspaceWith({ 'llama3_2_1B_full.yaml': TORCHTUNE_CONFIG });

  before(async () => {
    // Made here too, not only by startWorkbench: the hook after the tests writes the timings whatever failed.
    mkdirSync(ARTIFACTS, { recursive: true });
    await writeUserModel(untrusted);
    opened = await workbench.startWorkbench({ workspace: deepSpeedOnly, workspaceTrust: true, openWorkspace: false });
    ({ server, page } = opened);
  });

  after(async () => {
    await opened?.close();
    writeFileSync(path.join(ARTIFACTS, 'first-contact-timing.json'), `${JSON.stringify(figures, null, 2)}\n`);
  });

  /** Opens `file` in a fresh window on `folder`; resolves with the milliseconds until its first squiggle. */
  async function openAndWaitForSquiggle(folder: string, file: string): Promise<number> {
    await workbench.openFolder(page, server.url, folder);
    const started = Date.now();
    await workbench.openFile(page, file);
    await page
      .locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error')
      .first()
      .waitFor({ timeout: FIRST_FEEDBACK_BOUND_MS });
    return Date.now() - started;
  }

  async function hoverShows(word: string, expected: RegExp): Promise<void> {
    const at = await workbench.wordCenter(page, word);
    await page.mouse.move(at.x, at.y);
    const hover = page.locator('.monaco-hover-content', { hasText: expected }).first();
    await hover.waitFor({ timeout: 20_000 });
  }

  test('a workspace with nothing but ds_config.json: squiggles, code lenses and a hover within seconds', async () => {
    figures.deepSpeedFirstSquiggleMs = await openAndWaitForSquiggle(deepSpeedOnly, 'ds_config.json');
    // Restricted Mode (the folder is not trusted yet): linting is one of the things that keep working.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'Run LR range test' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: /WarmupDecayLR.*peak/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await hoverShows('WarmupDecayLR', /WarmupDecayLR/);
    await page.screenshot({ path: path.join(ARTIFACTS, '20-first-contact-deepspeed.png') });
    await page.keyboard.press('Escape');
    assert.ok(figures.deepSpeedFirstSquiggleMs < FIRST_FEEDBACK_BOUND_MS);
  });

  test('a workspace with nothing but a Lightning CLI config.yaml, once trusted: squiggles, code lenses and a hover', async () => {
    await workbench.openFolder(page, server.url, lightningOnly);
    await grantTrust();
    const started = Date.now();
    await workbench.openFile(page, 'config.yaml');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: FIRST_FEEDBACK_BOUND_MS });
    figures.lightningFirstSquiggleMs = Date.now() - started;
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'Run LR range test' })
      .first()
      .waitFor({ timeout: 20_000 });
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: /CosineAnnealingLR/ })
      .first()
      .waitFor({ timeout: 20_000 });
    await hoverShows('torch.optim.Adam', /Adam/);
    await page.screenshot({ path: path.join(ARTIFACTS, '21-first-contact-lightning.png') });
    await page.keyboard.press('Escape');
  });

  test('a workspace with nothing but a torchtune recipe config: the refusal of its recipes squiggled, a hover on the optimizer', async () => {
    figures.torchtuneFirstSquiggleMs = await openAndWaitForSquiggle(torchtuneOnly, 'llama3_2_1B_full.yaml');
    // OL340: torchtune's recipes raise RuntimeError for optimizer_in_bwd with gradient accumulation.
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: FIRST_FEEDBACK_BOUND_MS });
    await hoverShows('torch.optim.AdamW', /AdamW/);
    await page.screenshot({ path: path.join(ARTIFACTS, '24-first-contact-torchtune.png') });
    await page.keyboard.press('Escape');
    assert.ok(figures.torchtuneFirstSquiggleMs < FIRST_FEEDBACK_BOUND_MS);
  });

  /** Trusts the open folder the way a user does: the Restricted Mode item in the status bar, then the Trust button. */
  async function grantTrust(): Promise<void> {
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().click();
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ timeout: 20_000 });
    await trust.click();
    await page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'detached', timeout: 20_000 });
    await workbench.runCommand(page, 'View: Close All Editors');
  }

  test('Restricted Mode: lint works, a range test on workspace files says it needs trust; once trusted it runs', async () => {
    figures.untrustedFirstSquiggleMs = await openAndWaitForSquiggle(untrusted, 'user-task.optim.yaml');
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await workbench.runCommand(page, 'Optimizer Lens: Run LR Range Test');
    const refusal = page.locator('.notification-toast', { hasText: 'needs a trusted workspace' }).first();
    await refusal.waitFor({ timeout: 30_000 });
    assert.match(await refusal.innerText(), /Lint, hover and plots keep working/);
    await page.screenshot({ path: path.join(ARTIFACTS, '22-untrusted-range-test.png') });
    await workbench.runCommand(page, 'Notifications: Clear All Notifications');
    await refusal.waitFor({ state: 'detached' });

    // Trusting the folder reaches the running server (no restart): the same command now trains the user's model.
    await grantTrust();
    await workbench.openFile(page, 'user-task.optim.yaml');
    await workbench.runCommand(page, 'Optimizer Lens: Run LR Range Test');
    const frame = page.frameLocator('iframe.webview').last().frameLocator('#active-frame');
    await frame.locator('button.apply').first().waitFor({ timeout: 120_000 });
    assert.equal(
      await page.locator('.notification-toast', { hasText: 'needs a trusted workspace' }).count(),
      0,
      'the refusal came back after trust was granted',
    );
    await page.screenshot({ path: path.join(ARTIFACTS, '23-trusted-range-test.png') });
  });
});
