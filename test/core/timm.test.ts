// timm's schedulers (timm.scheduler): the lr formulas against values worked out by hand from timm's `_get_lr(t)`, and a
// Hydra `_target_` drawn through the analysis (facts, code lens, hover) and checked by the run-length rules.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { analyze } from '../../server/src/core/analysis';
import { findScheduler, resolveParams } from '../../server/src/core/catalog/index';
import { codeLenses } from '../../server/src/core/features/codeLens';
import { hover } from '../../server/src/core/features/hover';
import { evaluateSchedule } from '../../server/src/core/schedule/index';
import type { ScheduleSeries } from '../../server/src/core/schedule/index';
import { problemCodes } from './featureHelpers';

function run(type: string, params: Record<string, unknown>, steps: number, lr = 1): ScheduleSeries {
  return evaluateSchedule({ scheduler: { type, params }, optimizer: { lr }, steps });
}

/** lr[t] for each `[t, expected]`, to 1e-12 relative (the formulas are the same float operations as timm's). */
function expectAt(series: ScheduleSeries, expected: readonly (readonly [number, number])[]): void {
  assert.deepEqual(
    series.issues.filter((issue) => issue.severity === 'error'),
    [],
  );
  for (const [t, value] of expected) {
    const actual = series.lr[t];
    assert.ok(
      actual !== undefined && Math.abs(actual - value) <= 1e-12 * Math.max(1, Math.abs(value)),
      `lr[${t}] = ${actual}, expected ${value}`,
    );
  }
}

describe('timm formulas (values from timm/scheduler/*.py, worked by hand)', () => {
  test('CosineLRScheduler: warm-up overlapping the cycle (warmup_prefix false), then lr_min after the cycle', () => {
    const series = run(
      'timm.scheduler.CosineLRScheduler',
      { t_initial: 10, lr_min: 0.001, warmup_t: 2, warmup_lr_init: 0.01 },
      15,
      0.1,
    );
    expectAt(series, [
      [0, 0.01], // the constructor writes warmup_lr_init
      [1, 0.055], // 0.01 + 1 * (0.1 - 0.01) / 2
      [2, 0.0905463412215599], // 0.001 + 0.5 * (0.1 - 0.001) * (1 + cos(pi * 2 / 10))
      [5, 0.0505], // 0.001 + 0.5 * 0.099 * (1 + cos(pi / 2))
      [10, 0.001], // i = 10 // 10 = 1 >= cycle_limit 1: lr_min
      [14, 0.001],
    ]);
    assert.equal(series.unit, 'epoch');
    assert.deepEqual(
      series.markers.filter((marker) => marker.kind !== 'peak').map((marker) => [marker.step, marker.kind]),
      [
        [2, 'warmup-end'],
        [10, 'end'],
      ],
    );
  });

  test('CosineLRScheduler: warmup_prefix shifts the cycle past the warm-up', () => {
    // t = 3 -> t - warmup_t = 1: 0.5 * (1 + cos(pi * 1 / 4)) = 0.8535533905932737 (base 1, lr_min 0)
    expectAt(run('timm.CosineLRScheduler', { t_initial: 4, warmup_t: 2, warmup_prefix: true }, 8), [
      [2, 1],
      [3, 0.8535533905932737],
      [6, 0],
    ]);
  });

  test('CosineLRScheduler: cycle_mul, cycle_decay and cycle_limit (restarts at 4 and 12, lr_min from 28)', () => {
    const series = run('timm.CosineLRScheduler', { t_initial: 4, cycle_mul: 2, cycle_decay: 0.5, cycle_limit: 3 }, 30);
    expectAt(series, [
      [0, 1],
      [4, 0.5], // i = floor(log(1 - 4 / 4 * (1 - 2), 2)) = 1, t_curr = 4 - (1 - 2) / (1 - 2) * 4 = 0, lr_max = 0.5
      [8, 0.25], // i = floor(log(3, 2)) = 1, t_i = 8, t_curr = 4: 0.5 * 0.5 * (1 + cos(pi * 4 / 8))
      [12, 0.25], // i = 2, t_curr = 0, lr_max = 0.25
      [28, 0], // i = floor(log(8, 2)) = 3 >= cycle_limit: lr_min
    ]);
    assert.deepEqual(
      series.markers.filter((marker) => marker.kind === 'restart').map((marker) => marker.step),
      [4, 12],
    );
    assert.equal(series.markers.find((marker) => marker.kind === 'end')?.step, 28);
  });

  test('CosineLRScheduler: k_decay', () => {
    // 0.5 * (1 + cos(pi * 5 ** 2 / 10 ** 2)) = 0.5 * (1 + cos(pi / 4))
    expectAt(run('timm.CosineLRScheduler', { t_initial: 10, k_decay: 2 }, 6), [[5, 0.8535533905932737]]);
  });

  test('CosineLRScheduler: a cycle_mul below 1 runs out of cycles and raises ValueError (math domain error) where timm does', () => {
    // 1 - 8 / 4 * (1 - 0.5) = 0: math.log(0, 0.5) raises at t = 8.
    const series = run('timm.CosineLRScheduler', { t_initial: 4, cycle_mul: 0.5, cycle_limit: 5 }, 12);
    assert.equal(series.lr.length, 8);
    assert.match(
      series.issues.find((issue) => issue.severity === 'error')?.message ?? '',
      /timm \(CosineLRScheduler\) raises ValueError at step 8: math domain error/,
    );
  });

  test('StepLRScheduler: warm-up as a prefix (the default here), then decay_rate every decay_t', () => {
    expectAt(run('timm.StepLRScheduler', { decay_t: 3, decay_rate: 0.5, warmup_t: 2 }, 10, 0.1), [
      [0, 0], // warmup_lr_init
      [1, 0.05], // 0 + 1 * (0.1 - 0) / 2
      [2, 0.1], // (2 - 2) // 3 = 0
      [4, 0.1], // (4 - 2) // 3 = 0
      [5, 0.05], // 0.1 * 0.5 ** 1
      [8, 0.025], // 0.1 * 0.5 ** 2
    ]);
  });

  test('MultiStepLRScheduler: bisect_right(decay_t, t + 1) drops one point before each milestone', () => {
    const series = run('timm.MultiStepLRScheduler', { decay_t: [3, 6], decay_rate: 0.1 }, 8);
    expectAt(series, [
      [0, 1],
      [1, 1], // bisect_right([3, 6], 2) = 0
      [2, 0.1], // bisect_right([3, 6], 3) = 1
      [4, 0.1],
      [5, 0.010000000000000002], // 0.1 ** 2 in floats
    ]);
    assert.deepEqual(
      series.markers.filter((marker) => marker.kind === 'milestone').map((marker) => marker.step),
      [2, 5],
    );
  });

  test('PolyLRScheduler: power 0.5 by default', () => {
    // (1 - 5 / 10) ** 0.5 and (1 - 9 / 10) ** 0.5; lr_min from t_initial on
    expectAt(run('timm.PolyLRScheduler', { t_initial: 10 }, 12), [
      [0, 1],
      [5, 0.7071067811865476],
      [9, 0.3162277660168379],
      [10, 0],
    ]);
  });

  test('TanhLRScheduler: the constructor writes the base lr; without warmup_prefix the warm-up ramps to the tanh value at warmup_t', () => {
    expectAt(run('timm.TanhLRScheduler', { t_initial: 10 }, 12), [
      [0, 1], // the constructor writes the base lr, not the formula at t = 0
      [1, 0.9999938558253978], // 0.5 * (1 - tanh(-7 * (1 - 0.1) + 3 * 0.1))
      [5, 0.9820137900379085], // 0.5 * (1 - tanh(-7 * 0.5 + 3 * 0.5))
      [10, 0],
    ]);
    // target = 0.5 * (1 - tanh(-7 * 0.8 + 3 * 0.2)) = 0.9999546021312975; lr[1] = 0 + 1 * target / 2
    expectAt(run('timm.TanhLRScheduler', { t_initial: 10, warmup_t: 2 }, 4), [
      [0, 0],
      [1, 0.49997730106564875],
      [2, 0.9999546021312975],
    ]);
  });

  test('t_in_epochs: false counts updates; noise is left out and said so; timm assertions are raises', () => {
    const updates = run('timm.CosineLRScheduler', { t_initial: 100, t_in_epochs: false, noise_range_t: 50 }, 10);
    assert.equal(updates.unit, 'update');
    assert.ok(updates.notes?.some((note) => /optimizer updates \(t_in_epochs: false\)/.test(note)));
    assert.ok(updates.notes?.some((note) => /noise.*drawn without it/.test(note)));
    const tanh = run('timm.TanhLRScheduler', { t_initial: 10, lb: 3, ub: 3 }, 5);
    assert.equal(tanh.lr.length, 0);
    assert.match(tanh.issues[0]?.message ?? '', /AssertionError.*lb \(3\) must be below ub \(3\)/);
  });

  test("the catalog has timm's defaults (hover and completion read them)", () => {
    const cosine = findScheduler('timm.scheduler.cosine_lr.CosineLRScheduler');
    assert.equal(cosine?.name, 'timm.CosineLRScheduler');
    assert.equal(cosine?.family, 'timm');
    const defaults = resolveParams(cosine!, {});
    assert.deepEqual(
      [
        defaults.lr_min,
        defaults.cycle_mul,
        defaults.cycle_decay,
        defaults.cycle_limit,
        defaults.warmup_t,
        defaults.warmup_prefix,
        defaults.t_in_epochs,
        defaults.k_decay,
      ],
      [0, 1, 1, 1, 0, false, true, 1],
    );
    assert.equal(resolveParams(findScheduler('timm.scheduler.StepLRScheduler')!, {}).warmup_prefix, true);
    assert.equal(resolveParams(findScheduler('timm.scheduler.PolyLRScheduler')!, {}).power, 0.5);
    assert.equal(resolveParams(findScheduler('timm.scheduler.PlateauLRScheduler')!, {}).mode, 'max');
  });
});

describe('timm in a Hydra config', () => {
  const HYDRA =
    'optimizer:\n  _target_: torch.optim.SGD\n  _partial_: true\n  lr: 0.1\n  momentum: 0.9\nscheduler:\n  _target_: timm.scheduler.CosineLRScheduler\n  _partial_: true\n  t_initial: 300\n  lr_min: 1.0e-5\n  warmup_t: 5\n  warmup_lr_init: 1.0e-4\n  warmup_prefix: true\n';

  test('a timm _target_ is recognised and drawn, in epochs (facts, code lens, hover)', () => {
    const analysis = analyze(HYDRA, { format: 'yaml', dialect: 'auto', fileName: 'train.yaml' });
    assert.equal(analysis.model?.scheduler?.entry?.name, 'timm.CosineLRScheduler');
    const facts = analysis.schedule;
    assert.ok(facts && facts.series.lr.length > 0);
    assert.equal(facts.summary?.start, 1e-4);
    assert.equal(facts.summary?.peak, 0.1); // t = 5 with the prefix: cos(0), the base lr
    assert.equal(facts.summary?.peakStep, 5);
    assert.equal(facts.summary?.final, 1e-5);
    assert.ok(facts.notes.some((note) => /counts epochs \(t_in_epochs: true, the default\)/.test(note)));
    assert.deepEqual(analysis.problems, []);
    const lens = codeLenses(analysis).find((each) => each.command === 'optimizerLens.showSchedule');
    assert.equal(lens?.title, 'timm.CosineLRScheduler: start 1e-4 · peak 0.1 @ epoch 5 · final 1e-5');
    const markdown = hover(analysis, HYDRA.indexOf('CosineLRScheduler') + 2)?.markdown ?? '';
    assert.match(markdown, /\*\*Schedule\*\* over 1000 epochs \(preview\)/);
    assert.match(markdown, /timm\.scheduler scheduler/);
  });

  test("a misspelt timm class is still unknown; timm's factories are recognised but not drawn", () => {
    assert.deepEqual(problemCodes(HYDRA.replace('CosineLRScheduler', 'CosineLRSchedular'), 'train.yaml'), ['OL102']);
    const factory = analyze(
      'scheduler:\n  _target_: timm.scheduler.create_scheduler_v2\n  _partial_: true\n  sched: cosine\n  num_epochs: 100\n',
      { format: 'yaml', dialect: 'auto', fileName: 'train.yaml' },
    );
    assert.equal(factory.schedule, undefined);
    assert.deepEqual(
      factory.problems.filter((p) => p.severity === 'error'),
      [],
    );
  });
});

describe('timm and the run-length rules (native file with training.steps)', () => {
  const nativeText = (scheduler: string): string =>
    `optimizer:\n  type: SGD\n  lr: 0.1\n  momentum: 0.9\nscheduler:\n  type: timm.scheduler.CosineLRScheduler\n${scheduler}training:\n  steps: 100\n`;
  const problems = (scheduler: string) =>
    analyze(nativeText(scheduler), { format: 'yaml', dialect: 'auto', fileName: 'run.optim.yaml' }).problems;

  test("a t_initial shorter than the run is OL215, on the value, in timm's unit", () => {
    const text = nativeText('  t_initial: 50\n');
    const found = problems('  t_initial: 50\n');
    assert.deepEqual(
      found.map((p) => [p.code, text.slice(p.start, p.end)]),
      [['OL215', '50']],
    );
    assert.match(
      found[0]?.message ?? '',
      /ends its last cycle at 50 epochs.*lr stays at lr_min for the last 50 epochs.*t_in_epochs is true/,
    );
    assert.equal(found[0]?.fixes?.[0]?.edits[0]?.newText, '100');
  });

  test('a schedule that ends with the run is fine, counting cycles and the warm-up prefix', () => {
    assert.deepEqual(problems('  t_initial: 100\n'), []);
    assert.deepEqual(problems('  t_initial: 50\n  cycle_limit: 2\n'), []);
    assert.deepEqual(problems('  t_initial: 90\n  warmup_t: 10\n  warmup_prefix: true\n'), []);
    assert.deepEqual(
      problems('  t_initial: 150\n').map((p) => p.code),
      ['OL215'],
    );
  });
});
