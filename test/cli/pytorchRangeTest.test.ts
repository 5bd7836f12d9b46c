// `optlens range-test` on the user's own PyTorch model (Debian's torch with /usr/bin/python3): the JSON names the
// device and torch, the notes are included, settings come from flags for files of other tools, exit codes 0/1/2.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from './fakeIo';

const PROJECT = path.resolve(__dirname, '..', 'fixtures', 'pytorch_project');

const io = (files: Record<string, string> = {}) =>
  fakeIo(files, (file) => readFileSync(path.resolve(PROJECT, file), 'utf8'));

/**
 * `optlens range-test CONFIG --json` in the fixture project with Debian's torch, then `flags` (a command line's words,
 * split at spaces); the exit code and what was written. `files` are documents read besides the project's own.
 */
async function rangeTestOnProject(
  config: string,
  flags: string,
  files: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const output = io(files);
  const argv = ['range-test', config, '--json', '--workspace', PROJECT, '--python', '/usr/bin/python3'];
  argv.push(...flags.split(' '));
  const code = await run(argv, output);
  return { code, out: output.out, err: output.err };
}

interface RangeTestJson {
  backend: string;
  device: string;
  torch: string;
  measuredOn: string;
  lrs: number[];
  losses: number[];
  suggestions: Record<string, number | null>;
  notes: string[];
  stopped: string;
}

const DS_CONFIG =
  '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "AdamW", "params": {"lr": 1e-3, "weight_decay": 0.01}}\n}\n';

describe('optlens range-test on the user model', () => {
  test('--json names the backend, device and torch, and carries the notes; flags override the section', async () => {
    const output = await rangeTestOnProject('range.optim.yaml', '--num-iter 25 --seed 1');
    assert.equal(output.code, 0, output.err);
    const result = JSON.parse(output.out) as RangeTestJson;
    assert.equal(result.backend, 'pytorch');
    assert.match(result.device, /^cpu/);
    assert.match(result.torch, /^\d+\.\d+/);
    assert.equal(result.measuredOn, 'your-model');
    assert.ok(result.lrs.length > 0 && result.lrs.length <= 25);
    assert.ok(Array.isArray(result.notes) && result.notes.length > 0);
    assert.deepEqual(Object.keys(result.suggestions), ['valley', 'steepest', 'minimum']);
    // The user's print() went to stderr, never into the JSON on stdout.
    assert.match(output.err, /building the model/);
  });

  test('a DeepSpeed file takes the model from --model/--data, and without them is a usage error', async () => {
    const missing = io({ 'ds_config.json': DS_CONFIG });
    assert.equal(await run(['range-test', 'ds_config.json', '--workspace', PROJECT], missing), 2);
    assert.match(missing.err, /--model module:callable/);
    const output = await rangeTestOnProject(
      'ds_config.json',
      '--model train.models:build_model --data train.data:train_loader --loss cross_entropy --num-iter 15',
      { 'ds_config.json': DS_CONFIG },
    );
    assert.equal(output.code, 0, output.err);
    assert.equal((JSON.parse(output.out) as RangeTestJson).backend, 'pytorch');
  });

  test('the user code raising is exit 1 with its file and line; a missing attribute is named; a bad flag is exit 2', async () => {
    const raising = await rangeTestOnProject(
      'range.optim.yaml',
      '--model train.broken:build_raising_model --num-iter 5',
    );
    assert.equal(raising.code, 1);
    const failure = JSON.parse(raising.out) as {
      status: string;
      kind: string;
      reason: string;
      file: string;
      line: number;
    };
    assert.equal(failure.status, 'failed');
    assert.equal(failure.kind, 'user-code');
    assert.match(failure.reason, /bad shape: expected 17 features/);
    assert.equal(failure.file, path.join(PROJECT, 'train', 'broken.py'));
    const source = readFileSync(failure.file, 'utf8').split('\n');
    assert.match(source[failure.line - 1]!, /optlens-test: raises here/);

    const missing = await rangeTestOnProject('range.optim.yaml', '--model train.models:does_not_exist');
    assert.equal(missing.code, 1);
    const absent = JSON.parse(missing.out) as { kind: string; reason: string };
    assert.equal(absent.kind, 'import');
    assert.match(absent.reason, /does_not_exist/);

    const bad = io();
    assert.equal(await run(['range-test', 'range.optim.yaml', '--num-iter', 'many'], bad), 2);
    assert.match(bad.err, /--num-iter/);
  });

  test('a missing interpreter is named in the failure', async () => {
    const output = io();
    const code = await run(
      ['range-test', 'range.optim.yaml', '--workspace', PROJECT, '--python', '/nonexistent/python3', '--num-iter', '5'],
      output,
    );
    assert.equal(code, 1);
    assert.match(output.err, /\/nonexistent\/python3/);
  });
});
