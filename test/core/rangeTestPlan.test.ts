// The range test on the user's own model, its pure half: the `task: pytorch` section, entry points, what the command
// would run on each kind of file (the plan), the streaming recorder, and suggestions a user can trust.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { planRangeTest, toRangeTestView } from '../../server/src/core/features/rangeTest';
import {
  entryPointProblem,
  parseRangeTestSection,
  RangeTestRecorder,
  rangeTestLearningRates,
  smoothLosses,
  suggestLearningRates,
} from '../../server/src/core/rangeTest/index';
import { cpuTorchRuntime } from '../rangeTestFixtures';

const native = (text: string) => analyze(text, { format: 'yaml', dialect: 'optim', fileName: 'train.optim.yaml' });
const auto = (text: string, fileName: string, format: 'yaml' | 'json' = 'yaml') =>
  analyze(text, { format, dialect: 'auto', fileName });

const PYTORCH_SECTION = [
  'optimizer:',
  '  type: AdamW',
  '  lr: 3.0e-4',
  '  weight_decay: 0.05',
  'range_test:',
  '  task: pytorch',
  '  model: train.models:build_model',
  '  data: train.data:train_loader',
  '  loss: cross_entropy',
  '  num_iter: 50',
  '',
].join('\n');

test('entry points: module:callable, never a path', () => {
  assert.equal(entryPointProblem('train.models:build_model'), null);
  assert.equal(entryPointProblem('models:Factory.create'), null);
  assert.match(entryPointProblem('train/models.py:build_model')!, /file path.*train\.models:build_model/);
  assert.match(entryPointProblem('train.models')!, /exactly one colon/);
  assert.match(entryPointProblem('a:b:c')!, /exactly one colon/);
  assert.match(entryPointProblem('train-models:build')!, /not a dotted Python module name/);
  assert.match(entryPointProblem('train.models:build model')!, /not a Python name/);
  assert.match(entryPointProblem('  ')!, /empty/);
});

test('range_test section: task pytorch needs model and data entry points, and checks loss and device', () => {
  const ok = parseRangeTestSection({
    task: 'pytorch',
    model: 'm:build',
    data: 'd:loader',
    loss: 'losses:focal',
    device: 'cuda:1',
  });
  assert.deepEqual(ok.issues, []);
  assert.equal(ok.params?.device, 'cuda:1');
  assert.equal(ok.params?.loss, 'losses:focal');

  const missing = parseRangeTestSection({ task: 'pytorch', model: 'm:build' });
  assert.equal(missing.params, null);
  assert.match(missing.issues.map((issue) => issue.message).join(' '), /needs `data:`/);

  const path = parseRangeTestSection({ task: 'pytorch', model: 'train/models.py', data: 'd:loader' });
  assert.equal(path.params, null);
  assert.deepEqual(path.issues[0]!.path, ['range_test', 'model']);
  assert.match(path.issues[0]!.message, /file path/);

  const badLoss = parseRangeTestSection({ task: 'pytorch', model: 'm:build', data: 'd:loader', loss: 'focal' });
  assert.equal(badLoss.params, null);
  assert.match(badLoss.issues[0]!.message, /`cross_entropy`, `mse` or a Python entry point/);

  const badDevice = parseRangeTestSection({ task: 'pytorch', model: 'm:build', data: 'd:loader', device: 'gpu0' });
  assert.equal(badDevice.params, null);
  assert.match(badDevice.issues[0]!.message, /torch device/);

  const ignored = parseRangeTestSection({ task: 'pytorch', model: 'm:build', data: 'd:loader', batch_size: 64 });
  assert.ok(ignored.params);
  assert.equal(ignored.issues[0]!.severity, 'warning');
  assert.match(ignored.issues[0]!.message, /batches come from your data loader/);

  const proxyWithLoss = parseRangeTestSection({ task: 'cnn', loss: 'mse' });
  assert.ok(proxyWithLoss.params);
  assert.match(proxyWithLoss.issues[0]!.message, /only read by `task: pytorch`/);
});

test('lint: a malformed entry point is an error on its value, an ignored key a warning', () => {
  const analysis = native(
    PYTORCH_SECTION.replace('train.models:build_model', 'train/models.py').replace(
      '  num_iter: 50',
      '  num_iter: 50\n  batch_size: 8\n  colour: red',
    ),
  );
  const byCode = (code: string) => analysis.problems.filter((problem) => problem.code === code);
  assert.equal(byCode('OL218').length, 1);
  const flagged = analysis.tree.text.slice(byCode('OL218')[0]!.start, byCode('OL218')[0]!.end);
  assert.equal(flagged, 'train/models.py');
  assert.equal(byCode('OL219').length, 2);
  assert.deepEqual(
    byCode('OL219').map((problem) => problem.severity),
    ['warning', 'warning'],
  );
  assert.equal(native(PYTORCH_SECTION).problems.filter((problem) => problem.code.startsWith('OL21')).length, 0);
});

test('plan: a native file without range_test trains the spiral proxy, and says so', () => {
  const plan = planRangeTest(native('optimizer:\n  type: AdamW\n  lr: 3.0e-4\n'));
  assert.equal(plan.kind, 'worker');
  assert.ok(plan.kind === 'worker' && plan.proxy && plan.proxyReason === 'no-section' && plan.params.task === 'spiral');
  assert.match(plan.kind === 'worker' ? plan.taskDescription : '', /synthetic/);
  const builtIn = planRangeTest(native('optimizer:\n  type: SGD\n  lr: 0.1\nrange_test:\n  task: cnn\n'));
  assert.ok(builtIn.kind === 'worker' && builtIn.proxy && builtIn.proxyReason === 'built-in-task');
});

test('plan: task pytorch runs the user model with the optimizer as written', () => {
  const plan = planRangeTest(native(PYTORCH_SECTION));
  assert.equal(plan.kind, 'pytorch');
  if (plan.kind !== 'pytorch') return;
  assert.equal(plan.source, 'section');
  assert.deepEqual(plan.models, {
    mode: 'entrypoints',
    model: 'train.models:build_model',
    data: 'train.data:train_loader',
    loss: 'cross_entropy',
  });
  assert.deepEqual(plan.optimizer, { classPath: 'torch.optim.AdamW', kwargs: { lr: 3e-4, weight_decay: 0.05 } });
  assert.equal(plan.params.numIter, 50);
  assert.equal(plan.params.device, 'auto');
  // The command's settings override the section (CLI flags, the quick pick).
  const overridden = planRangeTest(native(PYTORCH_SECTION), { numIter: 20, startLr: 1e-5, seed: 3, loss: null });
  assert.ok(overridden.kind === 'pytorch');
  if (overridden.kind !== 'pytorch') return;
  assert.equal(overridden.params.numIter, 20);
  assert.equal(overridden.params.startLr, 1e-5);
  assert.equal(overridden.params.seed, 3);
  assert.ok(overridden.models.mode === 'entrypoints' && overridden.models.loss === null);
  // Overrides are checked like the section: an inverted ramp is refused.
  const inverted = planRangeTest(native(PYTORCH_SECTION), { startLr: 100 });
  assert.equal(inverted.kind, 'refused');
});

test('plan: a DeepSpeed file asks for the model in the command, then runs FusedAdam as torch AdamW', () => {
  const ds =
    '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "Adam", "params": {"lr": 1e-4, "weight_decay": 0.01}}\n}\n';
  const analysis = auto(ds, 'ds_config.json', 'json');
  assert.equal(analysis.model?.dialect, 'deepspeed');
  const ask = planRangeTest(analysis);
  assert.equal(ask.kind, 'needs-settings');
  assert.deepEqual(ask.kind === 'needs-settings' ? ask.missing : [], ['model', 'data']);
  const plan = planRangeTest(analysis, {
    model: 'train.models:build_model',
    data: 'train.data:train_loader',
    loss: 'cross_entropy',
  });
  assert.equal(plan.kind, 'pytorch');
  if (plan.kind !== 'pytorch') return;
  assert.equal(plan.source, 'command');
  assert.match(plan.optimizer!.classPath, /^torch\.optim\.AdamW?$/);
  assert.equal(plan.optimizer!.kwargs['weight_decay'], 0.01);
  assert.ok(!('adam_w_mode' in plan.optimizer!.kwargs));
  // A proxy picked in the command for a file of another tool.
  const proxy = planRangeTest(analysis, { task: 'spiral' });
  assert.ok(proxy.kind === 'worker' && proxy.proxy);
});

test('plan: a Lightning CLI file builds its own model and data blocks, with no range_test section', () => {
  const text = [
    'trainer:',
    '  max_epochs: 3',
    'model:',
    '  class_path: my_pkg.models.LitClassifier',
    '  init_args:',
    '    hidden: 64',
    'data:',
    '  class_path: my_pkg.data.MNISTDataModule',
    '  init_args:',
    '    batch_size: 32',
    'optimizer:',
    '  class_path: torch.optim.SGD',
    '  init_args:',
    '    lr: 0.01',
    '    momentum: 0.9',
    '',
  ].join('\n');
  const analysis = auto(text, 'config.yaml');
  assert.equal(analysis.model?.dialect, 'lightning');
  const plan = planRangeTest(analysis, { numIter: 30 });
  assert.equal(plan.kind, 'pytorch');
  if (plan.kind !== 'pytorch') return;
  assert.equal(plan.source, 'lightning');
  assert.deepEqual(plan.models, {
    mode: 'lightning',
    model: { class_path: 'my_pkg.models.LitClassifier', init_args: { hidden: 64 } },
    data: { class_path: 'my_pkg.data.MNISTDataModule', init_args: { batch_size: 32 } },
  });
  assert.deepEqual(plan.optimizer, { classPath: 'torch.optim.SGD', kwargs: { lr: 0.01, momentum: 0.9 } });
  assert.equal(plan.params.numIter, 30);

  const fixed = auto(text.replace('  class_path: my_pkg.models.LitClassifier\n', ''), 'config.yaml');
  const refused = planRangeTest(fixed);
  assert.equal(refused.kind, 'refused');
  assert.match(refused.kind === 'refused' ? refused.reason : '', /class_path/);
});

test('plan: an optimizer without a torch equivalent is refused with the reason', () => {
  const plan = planRangeTest(native(PYTORCH_SECTION.replace('type: AdamW', 'type: Lion')));
  assert.equal(plan.kind, 'refused');
  assert.match(plan.kind === 'refused' ? plan.reason : '', /torch/);
});

test('recorder: smooths, stops on divergence and ends the curve at a non-finite loss', () => {
  const ramp = rangeTestLearningRates(1e-5, 1, 50, 'exp');
  const recorder = new RangeTestRecorder({ ramp, smooth: 0.9, divergeThreshold: 4 });
  const losses = [2, 1.9, 1.7, 1.4, 1.0, 0.8, 0.7, 0.65, 0.6, 0.62, 1, 2, 5, 20, 80, 400];
  let stoppedAt = -1;
  for (const [index, loss] of losses.entries()) {
    const { point, stop } = recorder.add(loss);
    if (point) assert.equal(point.lr, ramp[index]);
    if (stop) {
      stoppedAt = index;
      break;
    }
  }
  assert.ok(stoppedAt > 8 && stoppedAt < losses.length, `stopped at ${stoppedAt}`);
  const curve = recorder.finish('completed', 50);
  assert.equal(curve.stopped, 'diverged');
  assert.deepEqual(curve.smoothed, smoothLosses(losses.slice(0, stoppedAt + 1), 0.9));

  const nan = new RangeTestRecorder({ ramp, smooth: 0.9, divergeThreshold: 4 });
  for (const loss of [2, 1.5, 1.2]) nan.add(loss);
  assert.deepEqual(nan.add(NaN), { point: null, stop: true });
  const ended = nan.finish('completed', 50);
  assert.equal(ended.losses.length, 3);
  assert.equal(ended.stopped, 'diverged');
  assert.match(ended.notes[0]!, /NaN or infinite at lr = /);
});

test('suggestions: steepest is searched only left of the smoothed minimum; valley is listed first', () => {
  const numIter = 100;
  const lrs = rangeTestLearningRates(1e-6, 10, numIter, 'exp');
  // Falls gently to a minimum at i = 50, rises, then (noise after the blow-up) drops steeply at i = 75.
  const smoothed = lrs.map((_, i) => (i <= 50 ? 2 - i * 0.02 : i < 75 ? 1 + (i - 50) * 0.2 : 6 - (i - 75) * 0.2));
  const outcome = suggestLearningRates({ lrs, smoothed, stopped: 'completed', numIter });
  assert.ok(outcome.suggestions.steepest);
  assert.ok(
    outcome.suggestions.steepest.index <= 50,
    `steepest at ${outcome.suggestions.steepest.index}, right of the minimum`,
  );
  assert.deepEqual(Object.keys(outcome.suggestions), ['valley', 'steepest', 'minimum']);
});

test('suggestions: "never diverged" is not said when the raw loss blew up', () => {
  const numIter = 100;
  const lrs = rangeTestLearningRates(1e-6, 1, numIter, 'exp');
  // Raw losses: a descent, then spikes to 30x the best; heavy smoothing keeps the smoothed curve under the stop rule.
  const raw = lrs.map((_, i) => (i < 60 ? 2 - i * 0.03 : i % 7 === 0 ? 6 : 0.3));
  const smoothed = smoothLosses(raw, 0.98);
  const blown = suggestLearningRates({
    lrs,
    smoothed,
    losses: raw,
    divergeThreshold: 4,
    stopped: 'completed',
    numIter,
  });
  assert.doesNotMatch(blown.notes.join(' '), /never diverged/);
  assert.match(blown.notes.join(' '), /raw loss rose to \d+ times its best at lr = /);
  const calm = lrs.map((_, i) => 2 - i * 0.01);
  const quiet = suggestLearningRates({
    lrs,
    smoothed: smoothLosses(calm, 0.98),
    losses: calm,
    divergeThreshold: 4,
    stopped: 'completed',
    numIter,
  });
  assert.match(quiet.notes.join(' '), /never diverged/);
});

test('view: a result names its file and whether it was measured on the user model', () => {
  const analysis = native(PYTORCH_SECTION);
  const view = toRangeTestView(
    analysis,
    'file:///w/my%20run.optim.yaml',
    {
      backend: 'pytorch',
      backendAttempts: [],
      task: 'pytorch: m:b on d:l',
      lrs: [1e-5],
      losses: [2],
      smoothed: [2],
      stopped: 'cancelled',
      suggestions: { valley: null, steepest: null, minimum: null },
      notes: [],
      seconds: 1,
      runtime: cpuTorchRuntime('cli'),
    },
    'your-model',
    'AdamW(weight_decay=0.05)',
  );
  assert.equal(view.fileName, 'my run.optim.yaml');
  assert.equal(view.measuredOn, 'your-model');
  assert.equal(view.runtime?.torch, '1.13.1');
  assert.equal(view.currentLr, 3e-4);
  assert.equal(view.applyTarget, 'lr');
});
