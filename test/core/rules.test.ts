// Rule by rule: each code has a config that triggers it (on the exact characters marked «like this») and one that does not.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { RULES } from '../../server/src/core/catalog/rules';
import type { SourceFormat } from '../../server/src/core/syntax/tree';
import { unmark } from './featureHelpers';

interface RuleCase {
  readonly code: string;
  readonly what: string;
  /** The flagged text is wrapped in « ». */
  readonly bad: string;
  readonly good: string;
  readonly format?: SourceFormat;
  /** `optimizerLens.torchVersion` for the bad example (and for the good one unless `goodTorchVersion` is given). */
  readonly torchVersion?: string;
  readonly goodTorchVersion?: string;
  /** A file name for dialect detection (default: a native `*.optim.yaml|json`). */
  readonly fileName?: string;
}

const ADAMW = 'optimizer:\n  type: AdamW\n  lr: 1.0e-3\n';

const CASES: readonly RuleCase[] = [
  { code: 'OL001', what: 'syntax error', bad: 'optimizer:\n  type: AdamW\n  lr: 1.0e-3\n  «]»\n', good: ADAMW },
  {
    code: 'OL001',
    what: 'JSON template placeholder',
    format: 'json',
    bad: '{"optimizer": {"type": "AdamW", "lr": «$»{lr}}}',
    good: '{"optimizer": {"type": "AdamW", "lr": 0.001}}',
  },
  {
    code: 'OL003',
    what: 'duplicate key',
    bad: 'optimizer:\n  type: AdamW\n  lr: 1.0e-3\n  «lr»: 2.0e-3\n',
    good: ADAMW,
  },
  {
    code: 'OL004',
    what: 'PyYAML float',
    bad: 'optimizer:\n  type: AdamW\n  lr: «2e-5»\n',
    good: 'optimizer:\n  type: AdamW\n  lr: 2.0e-5\n',
  },
  { code: 'OL005', what: 'top level not a mapping', bad: '«- optimizer»\n', good: ADAMW },
  {
    code: 'OL006',
    what: 'PyYAML boolean word',
    bad: 'optimizer:\n  type: SGD\n  lr: 0.1\n  nesterov: «yes»\n',
    good: 'optimizer:\n  type: SGD\n  lr: 0.1\n  nesterov: true\n',
  },
  {
    code: 'OL100',
    what: 'unknown section',
    bad: `${ADAMW}«traning»:\n  steps: 10\n`,
    good: `${ADAMW}training:\n  steps: 10\n`,
  },
  {
    code: 'OL101',
    what: 'unknown optimizer',
    bad: 'optimizer:\n  type: «AdamX»\n',
    good: 'optimizer:\n  type: torch.optim.AdamW\n',
  },
  {
    code: 'OL102',
    what: 'unknown scheduler',
    bad: 'scheduler:\n  type: «CosineAnealingLR»\n  T_max: 10\n',
    good: 'scheduler:\n  type: CosineAnnealingLR\n  T_max: 10\n',
  },
  {
    code: 'OL103',
    what: 'unknown parameter',
    bad: `${ADAMW}  «weight_decy»: 0.01\n`,
    good: `${ADAMW}  weight_decay: 0.01\n`,
  },
  { code: 'OL104', what: 'wrong type', bad: `${ADAMW}  betas: «0.9»\n`, good: `${ADAMW}  betas: [0.9, 0.999]\n` },
  { code: 'OL104', what: 'quoted number', bad: 'optimizer:\n  type: AdamW\n  lr: «"1e-3"»\n', good: ADAMW },
  {
    code: 'OL105',
    what: 'beta out of range',
    bad: `${ADAMW}  betas: [0.9, «1.0»]\n`,
    good: `${ADAMW}  betas: [0.9, 0.999]\n`,
  },
  { code: 'OL105', what: 'negative lr', bad: 'optimizer:\n  type: AdamW\n  lr: «-1.0e-3»\n', good: ADAMW },
  { code: 'OL105', what: 'eps <= 0', bad: `${ADAMW}  eps: «0»\n`, good: `${ADAMW}  eps: 1.0e-8\n` },
  { code: 'OL106', what: 'missing type', bad: '«optimizer»:\n  lr: 1.0e-3\n', good: ADAMW },
  {
    code: 'OL106',
    what: 'missing required argument',
    bad: 'scheduler:\n  type: «StepLR»\n',
    good: 'scheduler:\n  type: StepLR\n  step_size: 10\n',
  },
  {
    code: 'OL200',
    what: 'warmup longer than the run',
    bad: `${ADAMW}scheduler:\n  type: hf.cosine\n  num_warmup_steps: «2000»\n  num_training_steps: 1000\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: hf.cosine\n  num_warmup_steps: 100\n  num_training_steps: 1000\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL201',
    what: 'milestone past the end',
    bad: `${ADAMW}scheduler:\n  type: MultiStepLR\n  milestones: [300, «1200»]\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: MultiStepLR\n  milestones: [300, 600]\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL202',
    what: 'SequentialLR milestone count',
    bad: `${ADAMW}scheduler:\n  type: SequentialLR\n  schedulers:\n    - {type: LinearLR, total_iters: 10}\n    - {type: ExponentialLR, gamma: 0.9}\n  milestones: «[10, 20]»\n`,
    good: `${ADAMW}scheduler:\n  type: SequentialLR\n  schedulers:\n    - {type: LinearLR, total_iters: 10}\n    - {type: ExponentialLR, gamma: 0.9}\n  milestones: [10]\n`,
  },
  {
    code: 'OL203',
    what: 'OneCycleLR shorter than the run',
    bad: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\nscheduler:\n  type: OneCycleLR\n  max_lr: 0.1\n  total_steps: «500»\ntraining:\n  steps: 1000\n',
    good: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\nscheduler:\n  type: OneCycleLR\n  max_lr: 0.1\n  total_steps: 1000\ntraining:\n  steps: 1000\n',
  },
  {
    code: 'OL204',
    what: 'OneCycleLR max_lr below lr',
    bad: 'optimizer:\n  type: SGD\n  lr: 0.5\n  momentum: 0.9\nscheduler:\n  type: OneCycleLR\n  max_lr: «0.1»\n  total_steps: 100\n',
    good: 'optimizer:\n  type: SGD\n  lr: 0.01\n  momentum: 0.9\nscheduler:\n  type: OneCycleLR\n  max_lr: 0.1\n  total_steps: 100\n',
  },
  {
    code: 'OL205',
    what: 'eta_min above base lr',
    bad: `${ADAMW}scheduler:\n  type: CosineAnnealingLR\n  T_max: 100\n  eta_min: «0.01»\n`,
    good: `${ADAMW}scheduler:\n  type: CosineAnnealingLR\n  T_max: 100\n  eta_min: 1.0e-5\n`,
  },
  {
    code: 'OL206',
    what: 'T_max shorter than the run',
    bad: `${ADAMW}scheduler:\n  type: CosineAnnealingLR\n  T_max: «20»\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: CosineAnnealingLR\n  T_max: 1000\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL207',
    what: 'Adam with coupled weight decay',
    bad: 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  «weight_decay»: 0.01\n',
    good: 'optimizer:\n  type: AdamW\n  lr: 1.0e-3\n  weight_decay: 0.01\n',
  },
  {
    code: 'OL208',
    what: 'lr far outside the usual range',
    bad: 'optimizer:\n  type: Adam\n  lr: «0.5»\n',
    good: 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n',
  },
  {
    code: 'OL209',
    what: 'momentum on Adam',
    bad: `${ADAMW}  «momentum»: 0.9\n`,
    good: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\n',
  },
  {
    code: 'OL210',
    what: 'CyclicLR momentum cycling on Adam',
    bad: `${ADAMW}scheduler:\n  type: «CyclicLR»\n  base_lr: 1.0e-4\n  max_lr: 1.0e-3\n`,
    good: `${ADAMW}scheduler:\n  type: CyclicLR\n  base_lr: 1.0e-4\n  max_lr: 1.0e-3\n  cycle_momentum: false\n`,
  },
  {
    code: 'OL211',
    what: 'decaying schedule that does not decay',
    bad: `${ADAMW}scheduler:\n  type: «ExponentialLR»\n  gamma: 1.0\ntraining:\n  steps: 100\n`,
    good: `${ADAMW}scheduler:\n  type: ExponentialLR\n  gamma: 0.99\ntraining:\n  steps: 100\n`,
  },
  {
    code: 'OL212',
    what: 'ReduceLROnPlateau in SequentialLR',
    bad: `${ADAMW}scheduler:\n  type: SequentialLR\n  schedulers:\n    - {type: LinearLR, total_iters: 10}\n    - {type: «ReduceLROnPlateau»}\n  milestones: [10]\n`,
    good: `${ADAMW}scheduler:\n  type: ReduceLROnPlateau\n`,
  },
  // T_mult: 0 used to be this rule's example; the catalog's range check (OL105) reports it now, once (see below).
  {
    code: 'OL213',
    what: 'transformers raises: polynomial lr_end not below the lr',
    bad: `${ADAMW}scheduler:\n  type: hf.polynomial\n  num_warmup_steps: 10\n  num_training_steps: 100\n  lr_end: «1.0e-3»\n`,
    good: `${ADAMW}scheduler:\n  type: hf.polynomial\n  num_warmup_steps: 10\n  num_training_steps: 100\n  lr_end: 1.0e-7\n`,
  },
  {
    code: 'OL213',
    what: 'HF recipe: lr_end in lr_scheduler_kwargs above the learning rate',
    fileName: 'sft_config.yaml',
    bad: 'learning_rate: 1.0e-5\nlr_scheduler_type: polynomial\nlr_scheduler_kwargs:\n  lr_end: «1.0e-4»\nmax_steps: 1000\nper_device_train_batch_size: 4\n',
    good: 'learning_rate: 1.0e-5\nlr_scheduler_type: polynomial\nlr_scheduler_kwargs:\n  lr_end: 1.0e-7\nmax_steps: 1000\nper_device_train_batch_size: 4\n',
  },
  {
    code: 'OL214',
    what: 'LambdaLR',
    bad: `${ADAMW}scheduler:\n  type: «LambdaLR»\n`,
    good: `${ADAMW}scheduler:\n  type: ConstantLR\n`,
  },
  {
    code: 'OL215',
    what: 'HF schedule sized for another run',
    bad: `${ADAMW}scheduler:\n  type: hf.linear\n  num_warmup_steps: 10\n  num_training_steps: «500»\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: hf.linear\n  num_warmup_steps: 10\n  num_training_steps: 1000\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL216',
    what: 'StepLR period beyond the run',
    bad: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: «5000»\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: 300\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL217',
    what: 'unknown simulate setting',
    bad: `${ADAMW}simulate:\n  function: rosenbrock\n  stepz: «10»\n`,
    good: `${ADAMW}simulate:\n  function: rosenbrock\n  steps: 10\n`,
  },
  {
    code: 'OL107',
    what: 'scheduler verbose, deprecated in PyTorch 2.2',
    torchVersion: '2.4',
    goodTorchVersion: '2.1',
    bad: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: 10\n  «verbose»: true\n`,
    good: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: 10\n  verbose: true\n`,
  },
  {
    code: 'OL108',
    what: 'keyword newer than the configured PyTorch (fused on AdamW in 1.13)',
    torchVersion: '1.13',
    goodTorchVersion: '2.0',
    bad: `${ADAMW}  «fused»: true\n`,
    good: `${ADAMW}  fused: true\n`,
  },
  {
    code: 'OL108',
    what: 'optimizer class newer than the configured PyTorch (Adafactor in 2.4)',
    torchVersion: '2.4',
    goodTorchVersion: '2.5',
    bad: 'optimizer:\n  type: «Adafactor»\n  lr: 1.0e-2\n',
    good: 'optimizer:\n  type: Adafactor\n  lr: 1.0e-2\n',
  },
  {
    code: 'OL108',
    what: 'keyword removed before the configured PyTorch (scheduler verbose, removed in 2.7)',
    goodTorchVersion: '2.6',
    bad: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: 10\n  «verbose»: false\n`,
    good: `${ADAMW}scheduler:\n  type: StepLR\n  step_size: 10\n  verbose: false\n`,
  },
  {
    code: 'OL108',
    what: 'decoupled_weight_decay on Adam before 2.7',
    torchVersion: '2.6',
    goodTorchVersion: '2.7',
    bad: 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  «decoupled_weight_decay»: true\n',
    good: 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  decoupled_weight_decay: true\n',
  },
  {
    code: 'OL208',
    what: 'lr far below the usual range',
    bad: 'optimizer:\n  type: AdamW\n  lr: «1.0e-9»\n',
    good: 'optimizer:\n  type: AdamW\n  lr: 5.0e-7\n',
  },
  {
    code: 'OL225',
    what: 'SGD momentum above 1',
    bad: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: «1.5»\n',
    good: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\n',
  },
  {
    code: 'OL225',
    what: 'RMSprop momentum of exactly 1',
    bad: 'optimizer:\n  type: RMSprop\n  lr: 1.0e-3\n  momentum: «1.0»\n',
    good: 'optimizer:\n  type: RMSprop\n  lr: 1.0e-3\n  momentum: 0.99\n',
  },
  {
    code: 'OL226',
    what: 'nesterov without momentum (what optlens simulate refuses)',
    bad: 'optimizer:\n  type: SGD\n  lr: 0.1\n  nesterov: «true»\n',
    good: 'optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\n  nesterov: true\n',
  },
  {
    code: 'OL201',
    what: 'total_iters past the run (equal to the run is fine)',
    bad: `${ADAMW}scheduler:\n  type: PolynomialLR\n  total_iters: «1200»\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: PolynomialLR\n  total_iters: 1000\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL201',
    what: 'last milestone past the run (equal to the run is fine)',
    bad: `${ADAMW}scheduler:\n  type: MultiStepLR\n  milestones: [500, «1001»]\ntraining:\n  steps: 1000\n`,
    good: `${ADAMW}scheduler:\n  type: MultiStepLR\n  milestones: [500, 1000]\ntraining:\n  steps: 1000\n`,
  },
  {
    code: 'OL001',
    what: 'unclosed list, on the line that opens it',
    bad: 'optimizer:\n  type: AdamW\n  betas: «[»0.9, 0.999\n  eps: 1.0e-8\n',
    good: 'optimizer:\n  type: AdamW\n  betas: [0.9, 0.999]\n  eps: 1.0e-8\n',
  },
  {
    code: 'OL218',
    what: 'range test start_lr out of range',
    bad: `${ADAMW}range_test:\n  task: spiral\n  start_lr: «-1.0»\n`,
    good: `${ADAMW}range_test:\n  task: spiral\n  start_lr: 1.0e-7\n`,
  },
  {
    code: 'OL218',
    what: 'task pytorch with a file path for model',
    bad: `${ADAMW}range_test:\n  task: pytorch\n  model: «train/models.py»\n  data: train.data:loader\n`,
    good: `${ADAMW}range_test:\n  task: pytorch\n  model: train.models:build_model\n  data: train.data:loader\n`,
  },
  {
    code: 'OL219',
    what: 'a key the task ignores',
    bad: `${ADAMW}range_test:\n  task: pytorch\n  model: m:build\n  data: d:loader\n  batch_size: «64»\n`,
    good: `${ADAMW}range_test:\n  task: pytorch\n  model: m:build\n  data: d:loader\n`,
  },
];

describe('each rule fires on its bad example, exactly there, and not on its good one', () => {
  for (const item of CASES) {
    test(`${item.code} ${item.what}`, () => {
      const format = item.format ?? 'yaml';
      const { text, start, end } = unmark(item.bad);
      const options = {
        format,
        dialect: 'auto' as const,
        fileName: item.fileName ?? (format === 'json' ? 'config.optim.json' : 'config.optim.yaml'),
        ...(item.torchVersion ? { torchVersion: item.torchVersion } : {}),
      };
      const bad = analyze(text, options).problems.filter((problem) => problem.code === item.code);
      assert.ok(
        bad.length > 0,
        `${item.code} not reported; got ${analyze(text, options)
          .problems.map((p) => `${p.code} ${p.message}`)
          .join('\n')}`,
      );
      assert.ok(
        bad.some((problem) => problem.start === start && problem.end === end),
        `${item.code} at ${bad.map((p) => JSON.stringify(text.slice(p.start, p.end))).join(', ')}, expected ${JSON.stringify(text.slice(start, end))}`,
      );
      const goodVersion = item.goodTorchVersion ?? item.torchVersion;
      const good = analyze(item.good, { ...options, ...(goodVersion ? { torchVersion: goodVersion } : {}) }).problems;
      assert.deepEqual(
        good.filter((problem) => problem.code === item.code).map((p) => p.message),
        [],
      );
    });
  }
  test('every rule in the catalog has a case here', () => {
    const covered = new Set(CASES.map((item) => item.code));
    // OL002 (size limit) is tested below. OL107 fires only for catalog parameters marked deprecated; the native
    // catalog has none today (the dialects of other formats will bring them), so it has no case yet.
    const elsewhere = new Set(['OL002']);
    // The dialect codes (OL300..OL399) have their cases in test/core/dialects.test.ts, which runs them on dialect files.
    const missing = RULES.map((rule) => rule.code).filter(
      (code) => !covered.has(code) && !elsewhere.has(code) && !code.startsWith('OL3'),
    );
    assert.deepEqual(missing, []);
  });
});

describe('settings and suppression', () => {
  const text = 'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_decay: 0.01\n';
  test('a severity override changes the severity, and off removes the problem', () => {
    assert.equal(
      analyze(text, { format: 'yaml', severities: { OL207: 'error' } }).problems.find((p) => p.code === 'OL207')
        ?.severity,
      'error',
    );
    assert.equal(
      analyze(text, { format: 'yaml', severities: { OL207: 'off' } }).problems.some((p) => p.code === 'OL207'),
      false,
    );
  });
  test('a suppression comment silences one line, for the listed code only', () => {
    const same = text.replace('weight_decay: 0.01', 'weight_decay: 0.01  # optlens-disable-line OL207');
    assert.equal(
      analyze(same, { format: 'yaml' }).problems.some((p) => p.code === 'OL207'),
      false,
    );
    const other = text.replace('weight_decay: 0.01', 'weight_decay: 0.01  # optlens-disable-line OL208');
    assert.equal(
      analyze(other, { format: 'yaml' }).problems.some((p) => p.code === 'OL207'),
      true,
    );
    const next = text.replace('  weight_decay: 0.01', '  # optlens-disable-next-line\n  weight_decay: 0.01');
    assert.equal(
      analyze(next, { format: 'yaml' }).problems.some((p) => p.code === 'OL207'),
      false,
    );
  });
  test('a file over the size limit gets one clear problem and no analysis', () => {
    const problems = analyze(`${text}#${'x'.repeat(200)}\n`, { format: 'yaml', maxFileSize: 100 }).problems;
    assert.deepEqual(
      problems.map((p) => p.code),
      ['OL002'],
    );
    assert.match(problems[0]!.message, /analysis limit of 100/);
  });
});

describe('turning Optimizer Lens off for a file', () => {
  test('`# optlens-disable-file` near the top silences everything', () => {
    const text = '# optlens-disable-file\noptimizer:\n  type: Adamm\n';
    assert.deepEqual(analyze(text, { format: 'yaml' }).problems, []);
    assert.equal(analyze(text.replace('# optlens-disable-file\n', ''), { format: 'yaml' }).problems.length > 0, true);
  });
});

describe('issue 13: one mistake, one report, and fixes the framework accepts', () => {
  const lint = (text: string, fileName = 'config.optim.yaml', torchVersion?: string) =>
    analyze(text, {
      format: fileName.endsWith('.json') ? 'json' : 'yaml',
      dialect: 'auto',
      fileName,
      ...(torchVersion ? { torchVersion } : {}),
    }).problems;

  test('fused: true on AdamW is valid in every PyTorch since 2.0 (it was an OL103 error)', () => {
    assert.deepEqual(
      lint(`${ADAMW}  fused: true\n  foreach: false\n  capturable: false\n  differentiable: false\n`).map(
        (p) => p.code,
      ),
      [],
    );
  });

  test('DeepSpeed warmup_steps: did-you-mean names warmup_num_steps, the fix renames to it, and it is reported once', () => {
    const text =
      '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "AdamW", "params": {"lr": 0.0001}},\n  "scheduler": {"type": "WarmupLR", "params": {"warmup_min_lr": 0, "warmup_max_lr": 0.0001, "warmup_steps": 1000}}\n}\n';
    const problems = lint(text, 'ds_config.json').filter((p) => p.severity === 'error');
    assert.deepEqual(
      problems.map((p) => p.code),
      ['OL103'],
      JSON.stringify(problems),
    );
    assert.match(problems[0]!.message, /did you mean `warmup_num_steps`/);
    const edit = problems[0]!.fixes?.[0]?.edits[0];
    assert.ok(edit);
    const fixed = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
    assert.match(fixed, /"warmup_num_steps": 1000/);
    assert.deepEqual(
      lint(fixed, 'ds_config.json').filter((p) => p.severity === 'error'),
      [],
    );
  });

  test('a number is never renamed to a key that takes a string', () => {
    const text =
      '{\n  "train_batch_size": 32,\n  "optimizer": {"type": "AdamW", "params": {"lr": 0.0001}},\n  "scheduler": {"type": "WarmupLR", "params": {"warmup_typ": 1000}}\n}\n';
    const problem = lint(text, 'ds_config.json').find((p) => p.code === 'OL103');
    assert.ok(problem);
    assert.doesNotMatch(problem.message, /warmup_type/);
    assert.ok(!(problem.fixes ?? []).some((fix) => fix.edits.some((edit) => edit.newText === 'warmup_type')));
  });

  test('T_mult: 0 is reported once, by the catalog range check, not again by the engine (OL213)', () => {
    const problems = lint(`${ADAMW}scheduler:\n  type: CosineAnnealingWarmRestarts\n  T_0: 10\n  T_mult: 0\n`);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['OL105'],
    );
  });

  test('a syntax error is reported once, on its line, and the mangled text around it gets no second report', () => {
    const text = 'optimizer:\n  type: AdamW\n  lr 1.0e-3\n  eps: 1.0e-8\n';
    const problems = lint(text);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['OL001'],
    );
    assert.equal(text.slice(0, problems[0]!.start).split('\n').length, 3);
    assert.match(problems[0]!.message, /has no `:` after its key/);
    const quote = lint('optimizer:\n  type: "AdamW\n  lr: 1.0e-3\n');
    assert.deepEqual(
      quote.map((p) => p.code),
      ['OL001'],
    );
    assert.match(quote[0]!.message, /quoted string is never closed/);
  });

  test('an lr of 1e-6 (DPO, RL fine-tuning) is not flagged; one ten times above the usual range is a warning', () => {
    assert.deepEqual(
      lint('optimizer:\n  type: AdamW\n  lr: 1.0e-6\n').map((p) => p.code),
      [],
    );
    assert.equal(lint('optimizer:\n  type: AdamW\n  lr: 0.5\n').find((p) => p.code === 'OL208')?.severity, 'warning');
  });

  test('torchVersion: a keyword is valid from the release that added it, and the message names that release', () => {
    const text = 'optimizer:\n  type: NAdam\n  lr: 2.0e-3\n  decoupled_weight_decay: true\n';
    assert.match(
      lint(text, 'config.optim.yaml', '2.0').find((p) => p.code === 'OL108')?.message ?? '',
      /added in PyTorch 2\.1/,
    );
    assert.deepEqual(
      lint(text, 'config.optim.yaml', '2.1').map((p) => p.code),
      [],
    );
    assert.deepEqual(
      lint('optimizer:\n  type: Muon\n  lr: 2.0e-2\n', 'config.optim.yaml', '2.8').map((p) => p.code),
      ['OL108'],
    );
  });
});
