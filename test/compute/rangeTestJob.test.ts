// The range-test job in-process: deterministic curves per backend, optimizer rules, and user-task errors.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withTempWorkspace } from './tempWorkspace';
import { rangeTestJob } from '../../server/src/compute/jobs';
import type { RangeTestJobParams } from '../../server/src/compute/jobs';
import { USER_TASK_LIMITS } from '../../server/src/compute/tasks';
import { parseRangeTestSection } from '../../server/src/core/rangeTest/index';
import type { BackendName } from '../../server/src/compute/backends';
import type { OptimizerConfig } from '../../server/src/core/optim/types';

function params(
  section: Record<string, unknown>,
  optimizer: OptimizerConfig = { type: 'Adam', params: { lr: 1e-3 } },
  backend?: BackendName,
  workspaceRoot?: string,
): RangeTestJobParams {
  const parsed = parseRangeTestSection(section);
  assert.ok(parsed.params, JSON.stringify(parsed.issues));
  return {
    rangeTest: parsed.params,
    optimizer,
    ...(backend ? { backend: { preferred: backend } } : {}),
    ...(workspaceRoot ? { workspaceRoot } : {}),
  };
}

const run = (p: RangeTestJobParams) =>
  rangeTestJob(
    p,
    () => {},
    () => false,
  );

for (const backend of ['wasm', 'cpu'] as const) {
  test(`spiral on ${backend}: same seed, same curve, and the result names the backend`, async () => {
    const section = { task: 'spiral', num_iter: 40, seed: 7, batch_size: 64, start_lr: 1e-4, end_lr: 1 };
    const first = await run(params(section, undefined, backend));
    const second = await run(params(section, undefined, backend));
    assert.equal(first.backend, backend);
    assert.deepEqual(first.losses, second.losses);
    assert.equal(first.lrs[0], 1e-4);
    assert.equal(first.losses.length, first.smoothed.length);
    const other = await run(params({ ...section, seed: 8 }, undefined, backend));
    assert.notDeepEqual(other.losses, first.losses, 'a different seed changes the curve');
  });
}

test('wasm and cpu agree on the first losses of the same seed', async () => {
  const section = { task: 'mnist_mlp', num_iter: 5, seed: 3, start_lr: 1e-5, end_lr: 1e-3 };
  const wasm = await run(params(section, undefined, 'wasm'));
  const cpu = await run(params(section, undefined, 'cpu'));
  for (let i = 0; i < 5; i++)
    assert.ok(Math.abs(wasm.losses[i]! - cpu.losses[i]!) < 1e-3, `${wasm.losses[i]} vs ${cpu.losses[i]}`);
});

test('every supported optimizer runs, and an unsupported one is refused with a reason', async () => {
  const optimizers = [
    { type: 'SGD', params: { lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-4 } },
    { type: 'AdamW', params: { lr: 1e-3, amsgrad: true, weight_decay: 0.01 } },
    { type: 'RMSprop', params: { lr: 1e-2, centered: true, momentum: 0.5 } },
    { type: 'Adagrad', params: { lr: 1e-2, lr_decay: 0.01 } },
    { type: 'NAdam', params: { lr: 2e-3, betas: [0.8, 0.99] } },
  ];
  for (const optimizer of optimizers) {
    const result = await run(params({ task: 'spiral', num_iter: 12, start_lr: 1e-3, end_lr: 1 }, optimizer, 'wasm'));
    assert.ok(result.losses.length > 0 && result.losses.every(Number.isFinite), optimizer.type);
  }
  await assert.rejects(
    run(params({ task: 'spiral', num_iter: 12 }, { type: 'Lion', params: { lr: 1e-4 } }, 'wasm')),
    /has no TensorFlow.js implementation/,
  );
});

test('a full default-length mnist_mlp test diverges and suggests learning rates', async () => {
  const result = await run(
    params({ task: 'mnist_mlp', seed: 1, start_lr: 1e-6, end_lr: 10 }, { type: 'Adam', params: { lr: 1e-3 } }, 'wasm'),
  );
  assert.equal(result.stopped, 'diverged');
  assert.ok(
    result.suggestions.valley && result.suggestions.steepest && result.suggestions.minimum,
    result.notes.join(' '),
  );
  assert.ok(result.suggestions.minimum.lr < result.lrs[result.lrs.length - 1]!);
});

async function writeUserModel(directory: string, inputs: number): Promise<void> {
  const tf = require('@tensorflow/tfjs-core') as typeof import('@tensorflow/tfjs-core');
  const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');
  // Registers the cpu backend, so that this also works when no earlier test loaded it.
  require('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  const model = layers.sequential({
    layers: [
      layers.layers.dense({ units: 8, activation: 'relu', inputShape: [inputs] }),
      layers.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(directory, 'weights.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
      const manifest = [{ paths: ['weights.bin'], weights: artifacts.weightSpecs! }];
      fs.writeFileSync(
        path.join(directory, 'model.json'),
        JSON.stringify({ modelTopology: artifacts.modelTopology, format: 'layers-model', weightsManifest: manifest }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
}

test('user task: a model.json and a CSV train; missing file, shape mismatch and bad cell are clear errors', async () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'optlens-user-task-'));
  try {
    await writeUserModel(directory, 4);
    const rows = ['f1,f2,f3,f4,label'];
    for (let i = 0; i < 60; i++) rows.push(`${Math.sin(i)},${Math.cos(i)},${(i % 7) / 7},${(i % 3) / 3},${i % 3}`);
    fs.writeFileSync(path.join(directory, 'data.csv'), rows.join('\n'));
    fs.writeFileSync(path.join(directory, 'narrow.csv'), '1,2,3,0\n4,5,6,1\n');
    fs.writeFileSync(path.join(directory, 'bad.csv'), '1,2,3,4,0\n1,2,x,4,1\n');
    const user = (data: string, model = 'model.json') =>
      params({ task: 'user', model, data, num_iter: 12, batch_size: 16 }, undefined, 'cpu', directory);

    const result = await run(user('data.csv'));
    assert.equal(result.losses.length > 0, true);
    assert.match(result.task, /3-class cross-entropy/);
    await assert.rejects(
      run(user('data.csv', 'missing.json')),
      /range_test\.model: file not found: missing\.json \(looked for .*missing\.json\)/,
    );
    await assert.rejects(
      run(user('narrow.csv')),
      /Shape mismatch: model\.json expects 4 input features .* narrow\.csv has 3 feature columns/,
    );
    // The cell's content is not repeated: its row and column say where it is.
    await assert.rejects(run(user('bad.csv')), /^RangeTestInputError: bad\.csv, row 2, column 3: not a number\.$/);
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});

test('user task: paths resolve from the workspace folder and may not leave it (regression: ../../etc/passwd was read and echoed)', async () => {
  await withTempWorkspace('models', async (workspace, outside) => {
    await writeUserModel(path.join(workspace, 'models'), 2);
    fs.writeFileSync(
      path.join(workspace, 'data.csv'),
      Array.from({ length: 40 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${i % 3}`).join('\n'),
    );
    fs.writeFileSync(path.join(outside, 'secret.json'), 'root:x:0:0:secret-content');
    const user = (model: string, data: string) =>
      params({ task: 'user', model, data, num_iter: 12, batch_size: 8 }, undefined, 'cpu', workspace);

    // From the workspace folder, in a subfolder: it trains.
    const result = await run(user('models/model.json', 'data.csv'));
    assert.ok(result.losses.length > 0);
    const refusedBecause = async (model: string, data: string, pattern: RegExp) => {
      const error = await run(user(model, data)).then(
        () => undefined,
        (failure: unknown) => failure as Error,
      );
      assert.ok(error, `${model} ${data} must be refused`);
      assert.match(error.message, pattern);
      assert.ok(!error.message.includes('secret-content') && !error.message.includes('root:x'), error.message);
    };
    const rule = /paths in a config must stay inside the workspace folder\. It was not read\./;
    await refusedBecause('../outside/secret.json', 'data.csv', rule);
    await refusedBecause('../../../../../../../../etc/passwd', 'data.csv', rule);
    await refusedBecause(path.join(outside, 'secret.json'), 'data.csv', rule);
    await refusedBecause('models/model.json', '../outside/secret.json', rule);
    // A weights manifest may not point outside either; it is checked before any weight file is read.
    const manifestModel = JSON.parse(fs.readFileSync(path.join(workspace, 'models', 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    manifestModel.weightsManifest[0]!.paths = ['../../outside/secret.json'];
    fs.writeFileSync(path.join(workspace, 'models', 'escape.json'), JSON.stringify(manifestModel));
    await refusedBecause(
      'models/escape.json',
      'data.csv',
      /^weight file of models\/escape\.json: "\.\.\/\.\.\/outside\/secret\.json" is outside the workspace folder/,
    );
    // A model.json that is not JSON: its start is not echoed (JSON.parse's own message would quote it).
    fs.writeFileSync(path.join(workspace, 'models', 'text.json'), 'root:x:0:0:secret-content');
    await refusedBecause(
      'models/text.json',
      'data.csv',
      /not a TensorFlow\.js Layers model\.json \(it is not valid JSON\)/,
    );
    // A symbolic link inside the workspace to a file outside it.
    fs.symlinkSync(path.join(outside, 'secret.json'), path.join(workspace, 'link.csv'));
    await refusedBecause('models/model.json', 'link.csv', /symbolic link to a file outside the workspace folder/);
  });
});

test('user task: files are size-checked before they are read (regression: a 600 MB CSV ended in "Invalid string length")', async () => {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'optlens-user-sizes-'));
  try {
    await writeUserModel(workspace, 2);
    // Sparse files: the sizes are real to stat, and nothing is written to disk.
    const big = path.join(workspace, 'big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 600 * 1000 * 1000);
    const atLimit = path.join(workspace, 'limit.csv');
    fs.writeFileSync(atLimit, '');
    fs.truncateSync(atLimit, USER_TASK_LIMITS.csvBytes + 1);
    const started = performance.now();
    await assert.rejects(
      run(params({ task: 'user', model: 'model.json', data: 'big.csv', num_iter: 12 }, undefined, 'cpu', workspace)),
      /^RangeTestInputError: range_test\.data: big\.csv is 572\.2 MiB \(600,000,000 bytes\); the limit is 32 MiB \(33,554,432 bytes\)\. A range test needs a sample/,
    );
    assert.ok(performance.now() - started < 2000, 'refused without reading the file');
    await assert.rejects(
      run(params({ task: 'user', model: 'model.json', data: 'limit.csv', num_iter: 12 }, undefined, 'cpu', workspace)),
      /limit\.csv is 32\.0 MiB \(33,554,433 bytes\); the limit is 32 MiB/,
    );
    const weights = path.join(workspace, 'weights.bin');
    fs.truncateSync(weights, USER_TASK_LIMITS.weightBytes + 8);
    fs.writeFileSync(path.join(workspace, 'data.csv'), '1,2,0\n3,4,1\n');
    await assert.rejects(
      run(params({ task: 'user', model: 'model.json', data: 'data.csv', num_iter: 12 }, undefined, 'cpu', workspace)),
      /weight file of model\.json: weights\.bin is 128\.0 MiB \(134,217,736 bytes\); the limit is 128 MiB/,
    );
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
