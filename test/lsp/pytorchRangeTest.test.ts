// The range test on the user's own PyTorch model through the bundled server, as the editor runs it: the plan, the
// points streamed live with the device named, the result measured on the user's model, cancel within a second with
// no process left behind, and refusal in an untrusted workspace. Runs Debian's torch with /usr/bin/python3.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-languageserver-protocol';
import {
  RangeTestPlanRequest,
  RangeTestPointNotification,
  RangeTestRequest,
  type RangeTestOutcome,
  type RangeTestPointParams,
} from '../../server/src/protocol';
import { ROOT, startTestServer, type TestServer } from './lspClient';

const PROJECT = path.join(ROOT, 'test', 'fixtures', 'pytorch_project');
const CONFIG_PATH = path.join(PROJECT, 'range.optim.yaml');
const CONFIG_URI = pathToFileURL(CONFIG_PATH).href;
const LIGHTNING_URI = pathToFileURL(path.join(PROJECT, 'lightning.yaml')).href;

/** A private name for /usr/bin/python3, so this file's runner processes can be told apart from any other. */
function privateInterpreter(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'optlens-python-'));
  const link = path.join(folder, 'python3');
  symlinkSync('/usr/bin/python3', link);
  return link;
}

/** Pids of live processes whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ').pop()?.[0];
      if (command.includes(marker) && state !== 'Z') found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

describe('range test on the user model over LSP', () => {
  let server: TestServer;
  const points: RangeTestPointParams[] = [];
  const python = privateInterpreter();

  before(async () => {
    server = await startTestServer(
      { diagnosticsDelay: 0 },
      { window: { workDoneProgress: true } },
      { workspaceTrusted: true },
      {
        workspaceFolders: [{ uri: pathToFileURL(PROJECT).href, name: 'pytorch_project' }],
      },
    );
    server.connection.onRequest('window/workDoneProgress/create', () => null);
    server.connection.onNotification(
      RangeTestPointNotification.method,
      (params: RangeTestPointParams) => void points.push(params),
    );
    await server.open(CONFIG_URI, readFileSync(CONFIG_PATH, 'utf8'));
    await server.open(LIGHTNING_URI, readFileSync(path.join(PROJECT, 'lightning.yaml'), 'utf8'), 'yaml');
  });
  after(async () => {
    await server.stop();
  });

  test('the plan names the user model before anything runs', async () => {
    const plan = await server.connection.sendRequest(RangeTestPlanRequest.type, { uri: CONFIG_URI });
    assert.equal(plan.kind, 'pytorch');
    assert.ok(plan.kind === 'pytorch' && plan.modelLabel === 'train.models:build_model' && plan.source === 'section');
    const lightning = await server.connection.sendRequest(RangeTestPlanRequest.type, { uri: LIGHTNING_URI });
    assert.ok(
      lightning.kind === 'pytorch' &&
        lightning.source === 'lightning' &&
        lightning.modelLabel === 'train.lit.LitClassifier',
      JSON.stringify(lightning),
    );
  });

  test('points stream live with the device, and the result is measured on the user model', async () => {
    points.length = 0;
    const outcome: RangeTestOutcome = await server.connection.sendRequest(RangeTestRequest.type, {
      uri: CONFIG_URI,
      overrides: { numIter: 30 },
      // As the editor sends it: the client draws its own progress notification from the points.
      clientProgress: true,
      python: { path: python, source: 'setting' },
    });
    if (outcome.status === 'failed') assert.fail(outcome.reason);
    const view = outcome.view;
    assert.equal(view.backend, 'pytorch');
    assert.equal(view.measuredOn, 'your-model');
    assert.equal(view.runtime?.device, 'cpu');
    assert.match(view.runtime?.torch ?? '', /^\d+\.\d+/);
    assert.equal(view.runtime?.interpreterSource, 'setting');
    assert.equal(view.fileName, 'range.optim.yaml');
    const mine = points.filter((point) => point.uri === CONFIG_URI);
    assert.equal(mine.length, view.lrs.length, 'one notification per recorded point');
    assert.deepEqual(
      mine.map((point) => point.lr),
      view.lrs,
    );
    assert.equal(mine[0]!.runtime?.device, 'cpu', 'the first point names the device');
    assert.equal(mine[0]!.total, 30);
    assert.equal(processesWith(python).length, 0, 'the runner is gone');
  });

  test('the Lightning file trains its own module with the file optimizer', async () => {
    const outcome = await server.connection.sendRequest(RangeTestRequest.type, {
      uri: LIGHTNING_URI,
      overrides: { numIter: 12 },
      python: { path: python, source: 'setting' },
    });
    if (outcome.status === 'failed') assert.fail(outcome.reason);
    assert.equal(outcome.view.lrs.length > 0, true);
    assert.match(outcome.view.task, /Lightning/);
    assert.match(outcome.view.optimizerLabel, /^SGD\(/);
  });

  test('cancel ends the runner within a second and leaves no process', async () => {
    points.length = 0;
    const source = new CancellationTokenSource();
    const firstPoint = new Promise<void>((resolve) => {
      const subscription = server.connection.onNotification(
        RangeTestPointNotification.method,
        (params: RangeTestPointParams) => {
          if (params.uri === CONFIG_URI) {
            subscription.dispose();
            resolve();
          }
        },
      );
    });
    const pending = server.connection.sendRequest(
      RangeTestRequest.type,
      { uri: CONFIG_URI, overrides: { numIter: 100000, endLr: 1e-3 }, python: { path: python, source: 'setting' } },
      source.token,
    );
    await firstPoint;
    assert.ok(processesWith(python).length >= 1, 'the runner is running');
    const started = Date.now();
    source.cancel();
    let settled: unknown;
    try {
      settled = await pending;
    } catch (error) {
      settled = error;
    }
    const latency = Date.now() - started;
    assert.ok(latency < 1000, `cancel took ${latency} ms`);
    assert.ok(settled !== undefined);
    assert.deepEqual(processesWith(python), [], 'no runner process outlives the cancelled job');
  });
});

describe('range test on the user model in an untrusted workspace', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(
      { diagnosticsDelay: 0 },
      {},
      { workspaceTrusted: false },
      { workspaceFolders: [{ uri: pathToFileURL(PROJECT).href, name: 'pytorch_project' }] },
    );
    await server.open(CONFIG_URI, readFileSync(CONFIG_PATH, 'utf8'));
  });
  after(async () => {
    await server.stop();
  });

  test('is refused with the reason, and lint still works', async () => {
    const outcome = await server.connection.sendRequest(RangeTestRequest.type, {
      uri: CONFIG_URI,
      python: { path: '/usr/bin/python3', source: 'setting' },
    });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.status === 'failed' ? outcome.reason : '', /trusted workspace/);
    const plan = await server.connection.sendRequest(RangeTestPlanRequest.type, { uri: CONFIG_URI });
    assert.equal(plan.kind, 'pytorch');
  });
});
