// The CLI contract: output formats, 1-based positions, exit codes, and the schedule JSON.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from './fakeIo';

const CLEAN =
  'optimizer:\n  type: AdamW\n  lr: 1.0e-3\nscheduler:\n  type: StepLR\n  step_size: 3\n  gamma: 0.5\ntraining:\n  steps: 8\n';
const BROKEN = 'optimizer:\n  type: AdamW\n  lr: -1.0e-3\n';
const WARN_ONLY = 'optimizer:\n  type: AdamW\n  lr: 1e-3\n';

describe('optlens lint', () => {
  test('exit 0 and a summary when there are no errors', async () => {
    const io = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['lint', 'a.optim.yaml'], io), 0);
    assert.match(io.out, /No problems/);
  });
  test('warnings alone still exit 0', async () => {
    const io = fakeIo({ 'a.optim.yaml': WARN_ONLY });
    assert.equal(await run(['lint', 'a.optim.yaml'], io), 0);
    assert.match(io.out, /a\.optim\.yaml:3:7: warning OL004/);
  });
  test('exit 1 on errors; JSON records with 1-based positions', async () => {
    const io = fakeIo({ 'b.optim.yaml': BROKEN });
    assert.equal(await run(['lint', '--format', 'json', 'b.optim.yaml'], io), 1);
    const records = JSON.parse(io.out) as Record<string, unknown>[];
    assert.deepEqual(records, [
      {
        file: 'b.optim.yaml',
        line: 3,
        column: 7,
        endLine: 3,
        endColumn: 14,
        severity: 'error',
        code: 'OL105',
        message: records[0]!.message,
      },
    ]);
    assert.match(String(records[0]!.message), /must be >= 0/);
  });
  test('SARIF 2.1.0 with rules and results', async () => {
    const io = fakeIo({ 'b.optim.yaml': BROKEN });
    assert.equal(await run(['lint', '--format', 'sarif', 'b.optim.yaml'], io), 1);
    const sarif = JSON.parse(io.out);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'OL105');
    assert.equal(sarif.runs[0].results[0].locations[0].physicalLocation.region.startLine, 3);
    assert.ok(sarif.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'OL105'));
  });
  test('exit 2 on usage errors and unreadable files', async () => {
    assert.equal(await run(['lint'], fakeIo({})), 2);
    assert.equal(await run(['lint', '--format', 'xml', 'a'], fakeIo({ a: CLEAN })), 2);
    assert.equal(await run(['lint', '--bogus', 'a'], fakeIo({ a: CLEAN })), 2);
    assert.equal(await run(['frobnicate'], fakeIo({})), 2);
    const io = fakeIo({});
    assert.equal(await run(['lint', 'missing.optim.yaml'], io), 2);
    assert.match(io.err, /cannot read missing\.optim\.yaml: no such file/);
  });
  test('JSON files are parsed as JSON', async () => {
    const io = fakeIo({ 'c.optim.json': '{"optimizer": {"type": "AdamW", "lr": 2e-5}}' });
    assert.equal(await run(['lint', '--format', 'json', 'c.optim.json'], io), 0);
    assert.deepEqual(JSON.parse(io.out), []);
  });
});

describe('optlens schedule', () => {
  test('--json prints the lr series for the run length from training:', async () => {
    const io = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['schedule', 'a.optim.yaml', '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.out), { lr: [1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 5e-4, 2.5e-4, 2.5e-4] });
  });
  test('--steps overrides the run length', async () => {
    const io = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['schedule', 'a.optim.yaml', '--steps', '4', '--json'], io), 0);
    assert.equal(JSON.parse(io.out).lr.length, 4);
  });
  test('--metrics feeds ReduceLROnPlateau, inline or from a file', async () => {
    const plateau =
      'optimizer: {type: SGD, lr: 0.1}\nscheduler: {type: ReduceLROnPlateau, patience: 0, factor: 0.5}\ntraining: {steps: 4}\n';
    const inline = fakeIo({ 'p.optim.yaml': plateau });
    assert.equal(await run(['schedule', 'p.optim.yaml', '--json', '--metrics', '1,1,1'], inline), 0);
    assert.deepEqual(JSON.parse(inline.out).lr, [0.1, 0.1, 0.05, 0.025]);
    const fromFile = fakeIo({ 'p.optim.yaml': plateau, 'm.txt': '1\n1\n1\n' });
    assert.equal(await run(['schedule', 'p.optim.yaml', '--json', '--metrics', 'm.txt'], fromFile), 0);
    assert.deepEqual(JSON.parse(fromFile.out).lr, [0.1, 0.1, 0.05, 0.025]);
    assert.equal(
      await run(['schedule', 'p.optim.yaml', '--metrics', 'nope.txt'], fakeIo({ 'p.optim.yaml': plateau })),
      2,
    );
  });
  test('momentum is included when the scheduler cycles it', async () => {
    const io = fakeIo({
      'o.optim.yaml':
        'optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\nscheduler: {type: OneCycleLR, max_lr: 1.0, total_steps: 10}\ntraining: {steps: 10}\n',
    });
    assert.equal(await run(['schedule', 'o.optim.yaml', '--json'], io), 0);
    const result = JSON.parse(io.out);
    assert.equal(result.lr.length, 10);
    assert.equal(result.momentum.length, 10);
    assert.equal(result.betas, undefined);
  });
  test('where PyTorch raises, the series stops there and the exit code is 1', async () => {
    const io = fakeIo({
      'o.optim.yaml':
        'optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\nscheduler: {type: OneCycleLR, max_lr: 1.0, total_steps: 10}\ntraining: {steps: 20}\n',
    });
    assert.equal(await run(['schedule', 'o.optim.yaml', '--json'], io), 1);
    assert.equal(JSON.parse(io.out).lr.length, 11);
    assert.match(io.err, /ValueError/);
  });
  test('a file without a scheduler is an error with a message', async () => {
    const io = fakeIo({ 'a.optim.yaml': 'optimizer: {type: SGD, lr: 0.1}\n' });
    assert.equal(await run(['schedule', 'a.optim.yaml'], io), 1);
    assert.match(io.err, /has no scheduler/);
  });
  test('--out writes SVG, PNG and HTML plots, and refuses other extensions', async () => {
    const io = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['schedule', 'a.optim.yaml', '--out', 'p.svg'], io), 0);
    assert.match(String(io.written['p.svg']), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(io.out, /Wrote p\.svg/);
    assert.equal(await run(['schedule', 'a.optim.yaml', '--out', 'p.png'], io), 0);
    assert.deepEqual(Array.from((io.written['p.png'] as Uint8Array).subarray(0, 4)), [0x89, 0x50, 0x4e, 0x47]);
    assert.equal(await run(['schedule', 'a.optim.yaml', '--out', 'p.html'], io), 0);
    assert.match(String(io.written['p.html']), /<html/i);
    const bad = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['schedule', 'a.optim.yaml', '--out', 'p.gif'], bad), 2);
    assert.match(bad.err, /must be \.svg, \.png or \.html/);
  });
  test('text summary', async () => {
    const io = fakeIo({ 'a.optim.yaml': CLEAN });
    assert.equal(await run(['schedule', 'a.optim.yaml'], io), 0);
    assert.match(io.out, /StepLR, 8 steps/);
    assert.match(io.out, /start 0\.001, peak 0\.001 at step 0, final 2\.5e-4/);
  });
});

describe('every subcommand reads every dialect (issue 13)', () => {
  const DS =
    '{"optimizer": {"type": "AdamW", "params": {"lr": 0.001}}, "scheduler": {"type": "WarmupLR", "params": {"warmup_min_lr": 0, "warmup_max_lr": 0.001, "warmup_num_steps": 4}}, "train_batch_size": 8}';
  const HF = 'learning_rate: 1.0e-3\nlr_scheduler_type: linear\nwarmup_steps: 2\nmax_steps: 10\n';
  const LIGHTNING =
    'trainer:\n  max_epochs: 6\noptimizer:\n  class_path: torch.optim.SGD\n  init_args:\n    lr: 0.1\nlr_scheduler:\n  class_path: torch.optim.lr_scheduler.StepLR\n  init_args:\n    step_size: 2\n    gamma: 0.5\n';
  test('schedule draws a DeepSpeed file (not an empty series and an invented TypeError)', async () => {
    const io = fakeIo({ 'ds_config.json': DS });
    assert.equal(await run(['schedule', 'ds_config.json', '--steps', '6', '--json'], io), 0);
    const lr = JSON.parse(io.out).lr as number[];
    assert.equal(lr.length, 6);
    assert.ok(lr[0]! < lr[5]! && Math.abs(lr[5]! - 0.001) < 1e-12, `warm-up to 0.001: ${lr.join(', ')}`);
    assert.doesNotMatch(io.err, /TypeError/);
  });
  test('schedule draws a Hugging Face recipe and a Lightning config (epochs as scheduler steps)', async () => {
    const hf = fakeIo({ 'train.yaml': HF });
    assert.equal(await run(['schedule', 'train.yaml', '--json'], hf), 0);
    assert.deepEqual(JSON.parse(hf.out).lr.slice(0, 3), [0, 0.0005, 0.001]);
    const lightning = fakeIo({ 'config.yaml': LIGHTNING });
    assert.equal(await run(['schedule', 'config.yaml', '--json'], lightning), 0);
    assert.deepEqual(JSON.parse(lightning.out).lr, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });
  test('a schedule that cannot be drawn from the file exits 1 with the reason', async () => {
    const io = fakeIo({ 'train.yaml': 'learning_rate: 1.0e-3\nlr_scheduler_type: linear\nnum_train_epochs: 3\n' });
    assert.equal(await run(['schedule', 'train.yaml', '--json'], io), 1);
    assert.match(io.err, /only known at run time/);
  });
  test('# optlens-disable-file: a clear message; lint exits 0, the compute commands 1', async () => {
    const text = `# optlens-disable-file\n${CLEAN}`;
    for (const command of ['schedule', 'simulate', 'range-test']) {
      const io = fakeIo({ 'a.optim.yaml': text });
      assert.equal(await run([command, 'a.optim.yaml'], io), 1, command);
      assert.match(io.err, /skipped: `# optlens-disable-file` turns Optimizer Lens off/, command);
    }
    const convert = fakeIo({ 'a.optim.yaml': text });
    assert.equal(await run(['convert', 'a.optim.yaml', '--to', 'hf'], convert), 1);
    const lint = fakeIo({ 'a.optim.yaml': text });
    assert.equal(await run(['lint', 'a.optim.yaml'], lint), 0);
    assert.match(lint.err, /skipped/);
    assert.match(lint.out, /No problems/);
  });
  test('a file that is not an optimizer config: schedule says so and exits 1; lint stays silent and exits 0', async () => {
    const files = { 'compose.yaml': 'services: {web: {image: nginx}}\n' };
    const schedule = fakeIo(files);
    assert.equal(await run(['schedule', 'compose.yaml'], schedule), 1);
    assert.match(schedule.err, /not recognised as an optimizer config/);
    const lint = fakeIo(files);
    assert.equal(await run(['lint', 'compose.yaml'], lint), 0);
    assert.equal(lint.err, '');
  });
  test('an unreadable file is exit 2 for every subcommand', async () => {
    for (const args of [
      ['schedule', 'x.optim.yaml'],
      ['simulate', 'x.optim.yaml'],
      ['range-test', 'x.optim.yaml'],
      ['convert', 'x.optim.yaml', '--to', 'hf'],
      ['lint', 'x.optim.yaml'],
    ]) {
      const io = fakeIo({});
      assert.equal(await run(args, io), 2, args.join(' '));
      assert.match(io.err, /cannot read x\.optim\.yaml: no such file/);
    }
  });
});
