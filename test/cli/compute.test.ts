// `optlens simulate` and `optlens range-test`: the JSON contracts, backends named, clear failures.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from './fakeIo';

const SIMULATE =
  'optimizer: {type: Adam, lr: 0.05}\nsimulate:\n  function: rosenbrock\n  steps: 50\n  compare:\n    - {type: SGD, lr: 0.0002}\n';

describe('optlens simulate', () => {
  test('--json prints runs with x[0] = the start point and one loss per point', async () => {
    const io = fakeIo({ 's.optim.yaml': SIMULATE });
    assert.equal(await run(['simulate', 's.optim.yaml', '--json'], io), 0);
    const result = JSON.parse(io.out) as {
      runs: { label: string; optimizer: { type: string }; x: number[][]; loss: number[] }[];
    };
    assert.deepEqual(
      result.runs.map((r) => r.optimizer.type),
      ['Adam', 'SGD'],
    );
    for (const runResult of result.runs) {
      assert.deepEqual(runResult.x[0], [-1.5, 2]);
      assert.equal(runResult.x.length, 51);
      assert.equal(runResult.loss.length, 51);
    }
    // The configured Adam's first step moves each coordinate by lr (Adam's first step is sign-like).
    assert.ok(Math.abs(Math.abs(result.runs[0]!.x[1]![0]! - -1.5) - 0.05) < 1e-9);
  });
  test('a file without simulate: is an error with a message', async () => {
    const io = fakeIo({ 's.optim.yaml': 'optimizer: {type: Adam}\n' });
    assert.equal(await run(['simulate', 's.optim.yaml'], io), 1);
    assert.match(io.err, /no simulate: section/);
  });
  test('an unknown function name is reported', async () => {
    const io = fakeIo({ 's.optim.yaml': 'optimizer: {type: Adam}\nsimulate: {function: rosenbrok}\n' });
    assert.equal(await run(['simulate', 's.optim.yaml'], io), 1);
    assert.match(io.err, /rosenbrok/);
  });
});

describe('optlens range-test', () => {
  test('--json on the spiral task names the backend that ran it and gives suggestions or null', async () => {
    const io = fakeIo({
      'r.optim.yaml': 'optimizer: {type: Adam, lr: 1.0e-3}\nrange_test: {task: spiral, num_iter: 40, seed: 3}\n',
    });
    assert.equal(await run(['range-test', 'r.optim.yaml', '--json'], io), 0);
    const result = JSON.parse(io.out) as {
      backend: string;
      lrs: number[];
      losses: number[];
      smoothed: number[];
      stopped: string;
      suggestions: Record<string, number | null>;
      seconds: number;
    };
    assert.equal(result.backend, 'onnxruntime', 'the spiral task runs on ONNX Runtime, installed here');
    assert.equal(result.lrs.length, result.losses.length);
    assert.equal(result.smoothed.length, result.losses.length);
    assert.ok(['completed', 'diverged'].includes(result.stopped));
    assert.deepEqual(Object.keys(result.suggestions).sort(), ['minimum', 'steepest', 'valley']);
    assert.ok(result.lrs[0]! < result.lrs.at(-1)!);
    // Every backend that was passed over says why; one that is not shipped in this build is not a surprise and is not
    // listed under each result (Show Compute Backends says it once).
    for (const line of io.err.split('\n').filter((l) => l.includes(' not used: ')))
      assert.match(line, /^optlens: backend \S+ not used: \S/);
    assert.doesNotMatch(io.err, /tfjs-node|not shipped|Cannot find module/);
  });
  test('the same seed gives the same curve on the same backend', async () => {
    const files = {
      'r.optim.yaml':
        'optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\nrange_test: {task: spiral, num_iter: 20, seed: 7}\n',
    };
    const first = fakeIo(files);
    const second = fakeIo(files);
    assert.equal(await run(['range-test', 'r.optim.yaml', '--json'], first), 0);
    assert.equal(await run(['range-test', 'r.optim.yaml', '--json'], second), 0);
    assert.deepEqual(JSON.parse(first.out).losses, JSON.parse(second.out).losses);
  });
  test('an unknown backend is a usage error; a bad section is reported', async () => {
    assert.equal(
      await run(
        ['range-test', 'r.optim.yaml', '--backend', 'tpu'],
        fakeIo({ 'r.optim.yaml': 'optimizer: {type: SGD, lr: 0.1}\n' }),
      ),
      2,
    );
    const io = fakeIo({
      'r.optim.yaml': 'optimizer: {type: SGD, lr: 0.1}\nrange_test: {task: spiral, start_lr: -1}\n',
    });
    assert.equal(await run(['range-test', 'r.optim.yaml'], io), 1);
    assert.match(io.err, /start_lr/);
  });
});

describe('optlens range-test --workspace', () => {
  const userTask = (model: string, data: string) =>
    `optimizer: {type: SGD, lr: 0.1}\nrange_test: {task: user, model: '${model}', data: '${data}', num_iter: 10}\n`;
  test('paths resolve from --workspace DIR, else the current directory, and may not leave it', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'optlens-cli-workspace-'));
    const workspace = path.join(base, 'workspace');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(base, 'secret.csv'), 'secret-content,0\n');
    try {
      const fromWorkspace = fakeIo({ 'r.optim.yaml': userTask('model.json', 'data.csv') });
      assert.equal(await run(['range-test', 'r.optim.yaml', '--workspace', workspace], fromWorkspace), 1);
      assert.ok(
        fromWorkspace.err.includes(
          `range_test.model: file not found: model.json (looked for ${path.join(workspace, 'model.json')})`,
        ),
        fromWorkspace.err,
      );

      const fromCwd = fakeIo({ 'r.optim.yaml': userTask('model.json', 'data.csv') });
      assert.equal(await run(['range-test', 'r.optim.yaml'], fromCwd), 1);
      assert.ok(fromCwd.err.includes(`(looked for ${path.resolve('model.json')})`), fromCwd.err);

      for (const model of ['../secret.csv', path.join(base, 'secret.csv'), '../../../../../../../etc/passwd']) {
        const escape = fakeIo({ 'r.optim.yaml': userTask(model, 'data.csv') });
        assert.equal(await run(['range-test', 'r.optim.yaml', '--workspace', workspace], escape), 1);
        assert.match(
          escape.err,
          /range_test\.model: ".*" is outside the workspace folder .*; paths in a config must stay inside the workspace folder\. It was not read\./,
        );
        assert.doesNotMatch(escape.err, /secret-content|root:/);
      }
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
  test('a limit in a message is exact (regression: "must be in [1, 65540] (got 65540)" for 65537)', async () => {
    const io = fakeIo({
      'r.optim.yaml':
        'optimizer: {type: SGD, lr: 0.1}\nrange_test: {task: spiral, batch_size: 65537, smooth: 1.0000001, num_iter: 100001}\n',
    });
    assert.equal(await run(['range-test', 'r.optim.yaml'], io), 1);
    assert.match(io.err, /`batch_size` of `range_test:` must be in \[1, 65536\] \(got 65537\)\./);
    assert.match(io.err, /`smooth` of `range_test:` must be in \[0, 1\) \(got 1\.0000001\)\./);
    assert.match(io.err, /`num_iter` of `range_test:` must be in \[2, 100000\] \(got 100001\)\./);
  });
});

describe('optlens convert', () => {
  test('DeepSpeed to the native format, with PyYAML-safe floats, and lint-clean', async () => {
    const ds =
      '{"optimizer": {"type": "AdamW", "params": {"lr": 1e-4, "eps": 1e-8, "weight_decay": 0.01}}, "scheduler": {"type": "WarmupLR", "params": {"warmup_min_lr": 0, "warmup_max_lr": 1e-4, "warmup_num_steps": 100}}}';
    const io = fakeIo({ 'ds_config.json': ds });
    assert.equal(await run(['convert', 'ds_config.json', '--to', 'optim'], io), 0);
    assert.match(io.out, /type: AdamW/);
    assert.match(io.out, /eps: 1\.0e-8/);
    const lint = fakeIo({ 'c.optim.yaml': io.out });
    assert.equal(await run(['lint', 'c.optim.yaml'], lint), 0);
  });
  test('what cannot be carried over is listed', async () => {
    const native =
      'optimizer: {type: SGD, lr: 0.1}\nscheduler:\n  type: SequentialLR\n  schedulers:\n    - {type: LinearLR, total_iters: 10}\n    - {type: StepLR, step_size: 100}\n  milestones: [10]\ntraining: {steps: 1000}\n';
    const io = fakeIo({ 'a.optim.yaml': native });
    assert.equal(await run(['convert', 'a.optim.yaml', '--to', 'deepspeed'], io), 0);
    assert.match(io.err, /not carried over: /);
  });
  test('a file that is no optimizer config, and a bad target', async () => {
    const io = fakeIo({ 'compose.yaml': 'services: {web: {image: nginx}}\n' });
    assert.equal(await run(['convert', 'compose.yaml', '--to', 'optim'], io), 1);
    assert.match(io.err, /not recognised as an optimizer config/);
    assert.equal(await run(['convert', 'compose.yaml', '--to', 'keras'], fakeIo({})), 2);
  });
});
