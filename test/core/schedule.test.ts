// Tests for the schedule engine: every public PyTorch 1.13 reference case, the catalog defaults, raises, DeepSpeed, markers and summaries.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { findScheduler, resolveParams, SCHEDULERS } from '../../server/src/core/catalog/index';
import { evaluateSchedule, summarizeSchedule } from '../../server/src/core/schedule/index';
import type {
  OptimizerContext,
  ScheduleRequest,
  ScheduleSeries,
  SchedulerConfig,
} from '../../server/src/core/schedule/index';

interface FixtureScheduler {
  readonly scheduler: string;
  readonly params: Record<string, unknown>;
}
interface FixtureCase extends FixtureScheduler {
  readonly id: string;
  readonly resolved_params?: Record<string, unknown>;
  readonly base_lr: number;
  readonly optimizer: { readonly type: string; readonly params: Record<string, unknown> };
  readonly steps: number;
  readonly lr: number[];
  readonly momentum?: number[];
  readonly betas?: [number, number][];
  readonly metrics?: number[];
}

const FIXTURE_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'schedules.json');
const CASES: readonly FixtureCase[] = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as FixtureCase[];

/** The LambdaLR / MultiplicativeLR cases with a free Python formula: the engine has no `lr_lambda`, by design. */
const SKIPPED_FORMULA_CASES: readonly string[] = [
  'LambdaLR:noam_d64_warmup10',
  'LambdaLR:halve_every10',
  'LambdaLR:linear_to_zero_T20',
  'LambdaLR:cosine_clamped_T30',
  'MultiplicativeLR:halve_every3',
];

function lambdaKind(fixture: FixtureScheduler): string | undefined {
  const lambda = fixture.params['lr_lambda'] as { kind?: string } | undefined;
  return lambda?.kind;
}

function toConfig(fixture: FixtureScheduler): SchedulerConfig {
  if (fixture.scheduler === 'LambdaLR' && lambdaKind(fixture) === 'hf') {
    const lambda = fixture.params['lr_lambda'] as { name: string; hf_kwargs: Record<string, unknown> };
    return { type: `hf.${lambda.name}`, params: lambda.hf_kwargs };
  }
  const params: Record<string, unknown> = { ...fixture.params };
  if (Array.isArray(params['schedulers']))
    params['schedulers'] = (params['schedulers'] as FixtureScheduler[]).map(toConfig);
  return { type: fixture.scheduler, params };
}

function toOptimizer(fixture: FixtureCase): OptimizerContext {
  const params = fixture.optimizer.params;
  const lr = (params['lr'] as number | undefined) ?? fixture.base_lr;
  if (fixture.optimizer.type === 'SGD') return { lr, momentum: (params['momentum'] as number | undefined) ?? 0 };
  if (fixture.optimizer.type === 'Adam' || fixture.optimizer.type === 'AdamW') {
    const betas = (params['betas'] as [number, number] | undefined) ?? [0.9, 0.999];
    return { lr, betas: [betas[0], betas[1]] };
  }
  throw new Error(`fixture ${fixture.id}: no optimizer mapping for ${fixture.optimizer.type}`);
}

/** The README's criterion: |a - b| <= 1e-12 * max(|b|, 1e-3 * M), M = max of the reference series. */
function assertSeriesClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const scale = Math.max(...expected.map(Math.abs));
  for (let index = 0; index < expected.length; index++) {
    const reference = expected[index]!;
    const tolerance = 1e-12 * Math.max(Math.abs(reference), 1e-3 * scale);
    const difference = Math.abs(actual[index]! - reference);
    assert.ok(
      difference <= tolerance,
      `${what}[${index}]: got ${actual[index]}, expected ${reference} (|diff| ${difference} > ${tolerance})`,
    );
  }
}

function requestFor(fixture: FixtureCase): ScheduleRequest {
  return {
    scheduler: toConfig(fixture),
    optimizer: toOptimizer(fixture),
    steps: fixture.steps,
    ...(fixture.metrics !== undefined ? { metrics: fixture.metrics } : {}),
  };
}

test('the fixture file holds the 71 public cases', () => {
  assert.equal(CASES.length, 71);
});

test('the skipped cases are exactly the free-formula LambdaLR / MultiplicativeLR cases', () => {
  const formulaCases = CASES.filter((fixture) => lambdaKind(fixture) === 'formula').map((fixture) => fixture.id);
  assert.deepEqual([...formulaCases].sort(), [...SKIPPED_FORMULA_CASES].sort());
});

for (const fixture of CASES) {
  if (SKIPPED_FORMULA_CASES.includes(fixture.id)) continue;
  test(`PyTorch 1.13 reference: ${fixture.id}`, () => {
    const series = evaluateSchedule(requestFor(fixture));
    assert.deepEqual(
      series.issues.filter((issue) => issue.severity === 'error'),
      [],
      'no error issues',
    );
    assertSeriesClose(series.lr, fixture.lr, 'lr');
    if (fixture.momentum !== undefined) {
      assert.ok(series.momentum, 'momentum series present');
      assertSeriesClose(series.momentum, fixture.momentum, 'momentum');
    } else assert.equal(series.momentum, undefined, 'no momentum series when the reference records none');
    if (fixture.betas !== undefined) {
      assert.ok(series.betas, 'betas series present');
      assertSeriesClose(
        series.betas[0],
        fixture.betas.map((pair) => pair[0]),
        'beta1',
      );
      assertSeriesClose(
        series.betas[1],
        fixture.betas.map((pair) => pair[1]),
        'beta2',
      );
    } else assert.equal(series.betas, undefined, 'no betas series when the reference records none');
  });
}

test('catalog defaults equal the PyTorch 1.13 constructor defaults recorded in resolved_params', () => {
  let checked = 0;
  const visit = (name: string, given: Record<string, unknown>, resolved: Record<string, unknown>): void => {
    const entry = findScheduler(name);
    assert.ok(entry, `catalog entry for ${name}`);
    const ours = resolveParams(entry, given);
    for (const [key, value] of Object.entries(resolved)) {
      if (key === 'schedulers') {
        (value as { scheduler: string; params: Record<string, unknown> }[]).forEach((child, index) =>
          visit(child.scheduler, (given['schedulers'] as FixtureScheduler[])[index]!.params, child.params),
        );
        continue;
      }
      assert.deepEqual(ours[key], value, `${name}.${key}`);
      checked++;
    }
  };
  for (const fixture of CASES) {
    if (
      fixture.scheduler === 'LambdaLR' ||
      fixture.scheduler === 'MultiplicativeLR' ||
      fixture.resolved_params === undefined
    )
      continue;
    visit(fixture.scheduler, fixture.params, fixture.resolved_params);
  }
  assert.ok(checked > 100, `checked ${checked} defaults`);
});

test('every catalog entry is well-formed', () => {
  const names = new Set<string>();
  for (const entry of SCHEDULERS) {
    assert.ok(!names.has(entry.name), `duplicate ${entry.name}`);
    names.add(entry.name);
    assert.ok(entry.doc.length > 80 && entry.summary.length > 10 && entry.references.length > 0, entry.name);
    assert.equal(
      entry.composite,
      entry.params.some((param) => param.type === 'schedulerList'),
      `${entry.name} composite flag`,
    );
    for (const param of entry.params) {
      assert.ok(param.doc.length > 5, `${entry.name}.${param.name} doc`);
      assert.ok(
        param.required === true || param.default !== undefined,
        `${entry.name}.${param.name} has a default or is required`,
      );
    }
  }
  const expected = [
    'StepLR',
    'MultiStepLR',
    'ConstantLR',
    'LinearLR',
    'ExponentialLR',
    'PolynomialLR',
    'CosineAnnealingLR',
    'CosineAnnealingWarmRestarts',
    'CyclicLR',
    'OneCycleLR',
    'SequentialLR',
    'ChainedScheduler',
    'ReduceLROnPlateau',
    'hf.linear',
    'hf.cosine',
    'hf.cosine_with_restarts',
    'hf.polynomial',
    'hf.constant',
    'hf.constant_with_warmup',
    'hf.inverse_sqrt',
    'hf.warmup_stable_decay',
    'hf.cosine_with_min_lr',
    'WarmupLR',
    'WarmupDecayLR',
    'WarmupCosineLR',
    'OneCycle',
    'LRRangeTest',
    'timm.CosineLRScheduler',
    'timm.TanhLRScheduler',
    'timm.PolyLRScheduler',
    'timm.StepLRScheduler',
    'timm.MultiStepLRScheduler',
    'timm.PlateauLRScheduler',
  ];
  assert.deepEqual([...names].sort(), [...expected].sort());
  assert.equal(findScheduler('torch.optim.lr_scheduler.OneCycleLR')?.name, 'OneCycleLR');
  assert.equal(findScheduler('get_cosine_schedule_with_warmup')?.name, 'hf.cosine');
});

// Error cases: each returns a (possibly empty or truncated) series with an issue at the offending key, and never throws.

function evaluate(
  type: string,
  params: Record<string, unknown>,
  steps = 20,
  optimizer: OptimizerContext = { lr: 0.1, momentum: 0.9 },
): ScheduleSeries {
  return evaluateSchedule({ scheduler: { type, params }, optimizer, steps });
}

function onlyError(series: ScheduleSeries): { path: readonly (string | number)[]; message: string } {
  const errors = series.issues.filter((issue) => issue.severity === 'error');
  assert.equal(errors.length, 1, `exactly one error, got ${JSON.stringify(series.issues)}`);
  return errors[0]!;
}

const ERROR_CASES: readonly {
  readonly name: string;
  readonly type: string;
  readonly params: Record<string, unknown>;
  readonly steps?: number;
  readonly optimizer?: OptimizerContext;
  readonly path: readonly (string | number)[];
  readonly message: RegExp;
  readonly length: number;
}[] = [
  {
    name: 'unknown type',
    type: 'NoSuchLR',
    params: {},
    path: ['type'],
    message: /Unknown scheduler type 'NoSuchLR'/,
    length: 0,
  },
  {
    name: 'LambdaLR needs a Python function',
    type: 'LambdaLR',
    params: {},
    path: ['type'],
    message: /lr_lambda/,
    length: 0,
  },
  {
    name: 'StepLR without step_size',
    type: 'StepLR',
    params: {},
    path: ['step_size'],
    message: /needs 'step_size'/,
    length: 0,
  },
  {
    name: 'wrong type',
    type: 'StepLR',
    params: { step_size: 'ten' },
    path: ['step_size'],
    message: /must be a number/,
    length: 0,
  },
  {
    name: 'unexpected keyword',
    type: 'StepLR',
    params: { step_size: 3, gama: 0.5 },
    path: ['gama'],
    message: /unexpected keyword argument 'gama'/,
    length: 0,
  },
  {
    name: 'OneCycleLR without max_lr',
    type: 'OneCycleLR',
    params: { total_steps: 10 },
    path: ['max_lr'],
    message: /needs 'max_lr'/,
    length: 0,
  },
  {
    name: 'OneCycleLR without a length',
    type: 'OneCycleLR',
    params: { max_lr: 0.1 },
    path: [],
    message: /raises ValueError when it is constructed: .*total_steps/,
    length: 0,
  },
  {
    name: 'OneCycleLR epochs without steps_per_epoch',
    type: 'OneCycleLR',
    params: { max_lr: 0.1, epochs: 3 },
    path: ['steps_per_epoch'],
    message: /steps_per_epoch must be a positive integer/,
    length: 0,
  },
  {
    name: 'OneCycleLR stepped past total_steps',
    type: 'OneCycleLR',
    params: { max_lr: 0.1, total_steps: 1000 },
    steps: 5000,
    path: ['total_steps'],
    message: /^OneCycleLR raises ValueError at step 1001: total_steps is 1000 but the run has 5000 steps/,
    length: 1001,
  },
  {
    name: 'T_0 = 0',
    type: 'CosineAnnealingWarmRestarts',
    params: { T_0: 0 },
    path: ['T_0'],
    message: /ValueError when it is constructed: T_0 must be a positive integer/,
    length: 0,
  },
  {
    name: 'T_mult < 1',
    type: 'CosineAnnealingWarmRestarts',
    params: { T_0: 5, T_mult: 0 },
    path: ['T_mult'],
    message: /T_mult must be an integer >= 1/,
    length: 0,
  },
  {
    name: 'T_mult not an integer',
    type: 'CosineAnnealingWarmRestarts',
    params: { T_0: 5, T_mult: 1.5 },
    path: ['T_mult'],
    message: /integer/,
    length: 0,
  },
  {
    name: 'LinearLR start_factor 0',
    type: 'LinearLR',
    params: { start_factor: 0 },
    path: ['start_factor'],
    message: /ZeroDivisionError at step 1/,
    length: 1,
  },
  {
    name: 'LinearLR start_factor > 1',
    type: 'LinearLR',
    params: { start_factor: 2 },
    path: ['start_factor'],
    message: /ValueError when it is constructed/,
    length: 0,
  },
  {
    name: 'ConstantLR factor 0',
    type: 'ConstantLR',
    params: { factor: 0, total_iters: 4 },
    path: ['factor'],
    message: /ZeroDivisionError at step 4/,
    length: 4,
  },
  {
    name: 'CyclicLR momentum on Adam',
    type: 'CyclicLR',
    params: { base_lr: 0.001, max_lr: 0.01 },
    optimizer: { lr: 0.001, betas: [0.9, 0.999] },
    path: ['cycle_momentum'],
    message: /ValueError when it is constructed: the optimizer has no 'momentum'/,
    length: 0,
  },
  {
    name: 'StepLR step_size 0',
    type: 'StepLR',
    params: { step_size: 0 },
    path: ['step_size'],
    message: /ZeroDivisionError at step 1/,
    length: 1,
  },
  {
    name: 'ReduceLROnPlateau inside ChainedScheduler',
    type: 'ChainedScheduler',
    params: {
      schedulers: [
        { type: 'ExponentialLR', params: { gamma: 0.9 } },
        { type: 'ReduceLROnPlateau', params: {} },
      ],
    },
    path: ['schedulers', 1],
    message: /ReduceLROnPlateau raises TypeError at step 1: step\(\) was called without the metric/,
    length: 1,
  },
  {
    name: 'ReduceLROnPlateau first in SequentialLR',
    type: 'SequentialLR',
    params: {
      schedulers: [
        { type: 'ReduceLROnPlateau', params: {} },
        { type: 'ExponentialLR', params: { gamma: 0.9 } },
      ],
      milestones: [5],
    },
    path: ['schedulers', 0],
    message: /AttributeError when it is constructed/,
    length: 0,
  },
  {
    name: 'ReduceLROnPlateau later in SequentialLR (step(0) passes 0 as the metric, the next plain step raises)',
    type: 'SequentialLR',
    params: {
      schedulers: [
        { type: 'ExponentialLR', params: { gamma: 0.9 } },
        { type: 'ReduceLROnPlateau', params: {} },
      ],
      milestones: [5],
    },
    path: ['schedulers', 1],
    message: /TypeError at step 6/,
    length: 6,
  },
  {
    name: 'SequentialLR milestone count',
    type: 'SequentialLR',
    params: {
      schedulers: [
        { type: 'ExponentialLR', params: { gamma: 0.9 } },
        { type: 'ExponentialLR', params: { gamma: 0.5 } },
      ],
      milestones: [],
    },
    path: ['milestones'],
    message: /one milestone fewer than schedulers/,
    length: 0,
  },
  {
    name: 'nested child error keeps its path',
    type: 'SequentialLR',
    params: {
      schedulers: [
        { type: 'LinearLR', params: {} },
        { type: 'OneCycleLR', params: { max_lr: 0.1, total_steps: 0 } },
      ],
      milestones: [5],
    },
    path: ['schedulers', 1, 'total_steps'],
    message: /total_steps must be a positive integer/,
    length: 0,
  },
  {
    name: 'hf.polynomial lr_end above the lr',
    type: 'hf.polynomial',
    params: { num_warmup_steps: 0, num_training_steps: 10, lr_end: 1 },
    path: ['lr_end'],
    message: /must be smaller/,
    length: 0,
  },
  {
    name: 'hf.cosine_with_min_lr needs a floor',
    type: 'hf.cosine_with_min_lr',
    params: { num_warmup_steps: 0, num_training_steps: 10 },
    path: ['min_lr_rate'],
    message: /one of min_lr or min_lr_rate/,
    length: 0,
  },
  {
    name: 'hf.warmup_stable_decay needs a length',
    type: 'hf.warmup_stable_decay',
    params: { num_warmup_steps: 2, num_decay_steps: 3 },
    path: ['num_training_steps'],
    message: /either num_training_steps or num_stable_steps/,
    length: 0,
  },
  {
    name: 'DeepSpeed warmup_num_steps 0',
    type: 'WarmupLR',
    params: { warmup_num_steps: 0 },
    path: ['warmup_num_steps'],
    message: /positive integer/,
    length: 0,
  },
  {
    name: 'last_epoch resume',
    type: 'ExponentialLR',
    params: { gamma: 0.9, last_epoch: 4 },
    path: ['last_epoch'],
    message: /KeyError/,
    length: 0,
  },
];

for (const errorCase of ERROR_CASES) {
  test(`error: ${errorCase.name}`, () => {
    let series: ScheduleSeries | undefined;
    assert.doesNotThrow(() => {
      series = evaluate(
        errorCase.type,
        errorCase.params,
        errorCase.steps ?? 20,
        errorCase.optimizer ?? { lr: 0.1, momentum: 0.9 },
      );
    });
    const issue = onlyError(series!);
    assert.deepEqual(issue.path, errorCase.path);
    assert.match(issue.message, errorCase.message);
    assert.equal(series!.lr.length, errorCase.length);
  });
}

test('the engine never throws on garbage input', () => {
  const inputs: unknown[] = [
    null,
    3,
    'x',
    [],
    { type: 5 },
    { type: 'SequentialLR', params: { schedulers: [null], milestones: [] } },
  ];
  for (const scheduler of inputs) {
    const series = evaluateSchedule({ scheduler: scheduler as SchedulerConfig, optimizer: { lr: 0.1 }, steps: 5 });
    assert.ok(series.issues.length > 0);
    assert.equal(series.lr.length, 0);
  }
  assert.equal(
    evaluateSchedule({ scheduler: { type: 'StepLR', params: { step_size: 2 } }, optimizer: { lr: 0.1 }, steps: -1 })
      .issues.length,
    1,
  );
});

test('ReduceLROnPlateau with too few metrics stops where they run out and warns', () => {
  const series = evaluateSchedule({
    scheduler: { type: 'ReduceLROnPlateau', params: { patience: 0 } },
    optimizer: { lr: 1 },
    steps: 10,
    metrics: [3, 3, 3],
  });
  assert.deepEqual([...series.lr], [1, 1, 0.1, 0.010000000000000002]);
  assert.equal(series.issues[0]?.severity, 'warning');
  assert.deepEqual(
    series.markers.filter((marker) => marker.kind === 'milestone').map((marker) => marker.step),
    [2, 3],
  );
});

// DeepSpeed: values computed by hand from lr_schedules.py (lr[0] is the constructor's value, lr[i] uses iteration i - 1).

test('DeepSpeed WarmupLR, linear warm-up', () => {
  const series = evaluate(
    'WarmupLR',
    { warmup_min_lr: 0, warmup_max_lr: 0.01, warmup_num_steps: 4, warmup_type: 'linear' },
    8,
  );
  assert.deepEqual([...series.lr], [0, 0, 0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01]);
  assert.deepEqual(series.markers.find((marker) => marker.kind === 'warmup-end')?.step, 5);
});

test('DeepSpeed WarmupLR defaults: log warm-up to the optimizer lr', () => {
  const series = evaluate('WarmupLR', { warmup_num_steps: 10 }, 13, { lr: 0.2 });
  assert.equal(series.lr[0], 0);
  assert.equal(series.lr[1], 0);
  assert.ok(Math.abs(series.lr[2]! - 0.2 * (Math.log(2) / Math.log(10))) < 1e-16);
  assert.ok(Math.abs(series.lr[10]! - 0.2) < 1e-16);
  assert.equal(series.lr[11], 0.2);
});

test('DeepSpeed WarmupDecayLR decays linearly to warmup_min_lr at total_num_steps', () => {
  const series = evaluate(
    'WarmupDecayLR',
    { total_num_steps: 6, warmup_max_lr: 0.1, warmup_num_steps: 2, warmup_type: 'linear' },
    9,
  );
  // Iterations -1..7: warm-up 0, 0, 0.5 (i=1); decay (6-i)/4 for i >= 2: 1, 0.75, 0.5, 0.25, 0, 0.
  const expected = [0, 0, 0.05, 0.1, 0.07500000000000001, 0.05, 0.025, 0, 0];
  assertSeriesClose(series.lr, expected, 'lr');
});

test('DeepSpeed WarmupCosineLR starts at 0 and ends at cos_min_ratio', () => {
  const series = evaluate(
    'WarmupCosineLR',
    { total_num_steps: 6, warmup_num_steps: 2, warmup_type: 'linear', cos_min_ratio: 0.1, warmup_min_ratio: 0 },
    9,
    { lr: 1 },
  );
  // lr[3] is iteration 2: progress (2-2+1)/4 = 0.25, ratio 0.1 + 0.9*(1+cos(pi/4))/2.
  assert.deepEqual([...series.lr.slice(0, 3)], [0, 0, 0.5]);
  assert.ok(Math.abs(series.lr[3]! - (0.1 + 0.9 * ((1 + Math.cos(Math.PI / 4)) / 2))) < 1e-15);
  assert.ok(Math.abs(series.lr[6]! - 0.1) < 1e-15);
  assert.ok(Math.abs(series.lr[8]! - 0.1) < 1e-15, 'clamped after the end');
});

test('DeepSpeed OneCycle: triangle, decay, and beta1 cycling on Adam', () => {
  const series = evaluate(
    'OneCycle',
    {
      cycle_min_lr: 0.1,
      cycle_max_lr: 0.5,
      cycle_first_step_size: 2,
      decay_lr_rate: 1,
      decay_step_size: 1,
      cycle_min_mom: 0.8,
      cycle_max_mom: 0.9,
    },
    8,
    { lr: 1, betas: [0.9, 0.999] },
  );
  // lr[i] uses batch iteration i: 0.1, 0.3, 0.5, 0.3, then the decay 0.1 / (1 + (i - 4 + 1 - 1 + 1 - 1)...).
  assertSeriesClose(series.lr.slice(0, 5), [0.1, 0.30000000000000004, 0.5, 0.30000000000000004, 0.1], 'cycle');
  assertSeriesClose(series.lr.slice(5), [0.1 / 2, 0.1 / 3, 0.1 / 4], 'decay');
  assert.ok(series.betas);
  assert.equal(series.betas[0][0], 0.8, 'the constructor writes cycle_min_mom');
  assertSeriesClose(series.betas[0].slice(1, 5), [0.85, 0.8, 0.85, 0.9], 'beta1');
  assert.deepEqual([...new Set(series.betas[1])], [0.99]);
});

test('DeepSpeed OneCycle on SGD warns and leaves momentum alone', () => {
  const series = evaluate('OneCycle', { cycle_min_lr: 0.1, cycle_max_lr: 0.5, cycle_first_step_size: 2 }, 5);
  assert.equal(series.momentum, undefined);
  assert.equal(series.betas, undefined);
  assert.deepEqual(
    series.issues.map((issue) => [issue.severity, issue.path]),
    [['warning', ['cycle_momentum']]],
  );
});

test('DeepSpeed LRRangeTest grows linearly, or in stairs', () => {
  assertSeriesClose(
    evaluate('LRRangeTest', { lr_range_test_min_lr: 0.01, lr_range_test_step_size: 2 }, 5).lr,
    [0.01, 0.015, 0.02, 0.025, 0.03],
    'linear',
  );
  assertSeriesClose(
    evaluate(
      'LRRangeTest',
      { lr_range_test_min_lr: 0.01, lr_range_test_step_size: 2, lr_range_test_staircase: true },
      5,
    ).lr,
    [0.01, 0.01, 0.02, 0.02, 0.03],
    'staircase',
  );
});

test('markers: warm-up end, milestones, restarts, peak, phases', () => {
  const sequential = evaluate(
    'SequentialLR',
    {
      schedulers: [
        { type: 'LinearLR', params: { start_factor: 0.1, total_iters: 5 } },
        { type: 'CosineAnnealingLR', params: { T_max: 20 } },
      ],
      milestones: [5],
    },
    30,
  );
  // The cosine's own epoch 20 is global step 25, because SequentialLR restarts it at the milestone.
  assert.deepEqual(
    sequential.markers.map((marker) => [marker.step, marker.kind]),
    [
      [5, 'phase'],
      [5, 'peak'],
      [25, 'end'],
    ],
  );
  const restarts = evaluate('CosineAnnealingWarmRestarts', { T_0: 5, T_mult: 2 }, 40).markers.filter(
    (marker) => marker.kind === 'restart',
  );
  assert.deepEqual(
    restarts.map((marker) => marker.step),
    [5, 15, 35],
  );
  const oneCycle = evaluate('OneCycleLR', { max_lr: 0.1, total_steps: 100 }, 100).markers;
  assert.deepEqual(
    oneCycle.map((marker) => [marker.step, marker.kind]),
    [
      [29, 'warmup-end'],
      [29, 'peak'],
      [99, 'end'],
    ],
  );
  const multiStep = evaluate('MultiStepLR', { milestones: [8, 3, 3] }, 10).markers;
  assert.deepEqual(
    multiStep.map((marker) => [marker.step, marker.kind, marker.label]),
    [
      [3, 'milestone', 'MultiStepLR ×0.1^2'],
      [8, 'milestone', 'MultiStepLR ×0.1'],
    ],
  );
  const hf = evaluate(
    'hf.cosine_with_restarts',
    { num_warmup_steps: 10, num_training_steps: 40, num_cycles: 3 },
    50,
  ).markers;
  assert.deepEqual(
    hf.map((marker) => [marker.step, marker.kind]),
    [
      [10, 'warmup-end'],
      [10, 'peak'],
      [20, 'restart'],
      [30, 'restart'],
      [40, 'end'],
    ],
  );
  const cyclic = evaluate('CyclicLR', { base_lr: 0.01, max_lr: 0.1, step_size_up: 4, step_size_down: 8 }, 40).markers;
  assert.deepEqual(
    cyclic.map((marker) => marker.step),
    [4, 16, 28],
  );
  assert.equal(evaluate('StepLR', { step_size: 1 }, 100_000).markers.length, 100, 'marker lists are capped');
});

test('summarizeSchedule', () => {
  const series = evaluate('OneCycleLR', { max_lr: 1, total_steps: 10, pct_start: 0.33 }, 10);
  const summary = summarizeSchedule(series);
  // pct_start 0.33 puts the peak between steps: the maximum 0.0973.. of the reference note is at step 3 for max_lr 0.1.
  assert.equal(summary.peakStep, 3);
  assert.ok(summary.peak < 1 && summary.peak > 0.97);
  assert.equal(summary.start, series.lr[0]);
  assert.equal(summary.final, series.lr[9]);
  assert.equal(summary.minStep, 9);
  assert.equal(summary.min, summary.final);
  const empty = summarizeSchedule({ lr: new Float64Array(0), markers: [], issues: [] });
  assert.equal(empty.peakStep, -1);
  assert.ok(Number.isNaN(empty.peak));
  const flat = summarizeSchedule(evaluate('hf.constant', {}, 4));
  assert.deepEqual(flat, { start: 0.1, peak: 0.1, peakStep: 0, final: 0.1, min: 0.1, minStep: 0 });
});
