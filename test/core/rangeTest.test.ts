// Tests of the LR range test's pure part: the ramp, the smoothing and stop rule, suggestions and the section.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  advanceSmoothing,
  gradientAlong,
  INITIAL_SMOOTHING_STATE,
  parseRangeTestSection,
  rangeTestLearningRates,
  smoothLosses,
  suggestLearningRates,
  valleyIndex,
} from '../../server/src/core/rangeTest/index';
import type { RangeTestStop } from '../../server/src/core/rangeTest/index';

function near(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(
    Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} is not close to ${expected}`,
  );
}

/** Runs the stop rule over a list of losses the way the job does, and returns what it recorded. */
function runCurve(lrs: readonly number[], losses: readonly number[], beta: number, threshold: number) {
  let state = INITIAL_SMOOTHING_STATE;
  const smoothed: number[] = [];
  let stopped: RangeTestStop = 'completed';
  for (const loss of losses) {
    const step = advanceSmoothing(state, loss, beta, threshold);
    state = step.state;
    if (!Number.isFinite(loss)) {
      stopped = 'diverged';
      break;
    }
    smoothed.push(step.smoothed);
    if (step.stop) {
      stopped = 'diverged';
      break;
    }
  }
  return { lrs: lrs.slice(0, smoothed.length), smoothed, stopped };
}

test('exponential ramp includes both ends and is evenly spaced in log10', () => {
  const lrs = rangeTestLearningRates(1e-7, 10, 9, 'exp');
  assert.equal(lrs.length, 9);
  assert.equal(lrs[0], 1e-7);
  assert.equal(lrs[8], 10);
  for (let i = 0; i < 9; i++) near(Math.log10(lrs[i]!), -7 + i, 1e-12);
});

test('linear ramp steps by equal amounts', () => {
  assert.deepEqual(rangeTestLearningRates(0, 1, 5, 'linear'), [0, 0.25, 0.5, 0.75, 1]);
  assert.deepEqual(rangeTestLearningRates(0.1, 1, 1, 'linear'), [0.1]);
  assert.deepEqual(rangeTestLearningRates(0.1, 1, 0, 'exp'), []);
});

test('bias-corrected EMA matches hand-computed values', () => {
  // beta 0.5: averages 0.5, 1.25, 2.125 divided by 1 - 0.5^k = 0.5, 0.75, 0.875.
  const smoothed = smoothLosses([1, 2, 3], 0.5);
  near(smoothed[0]!, 1);
  near(smoothed[1]!, 1.25 / 0.75);
  near(smoothed[2]!, 2.125 / 0.875);
  // beta 0.98: averages 0.04 and 0.0592, corrections 0.02 and 0.0396.
  const fastai = smoothLosses([2, 1], 0.98);
  near(fastai[0]!, 2, 1e-12);
  near(fastai[1]!, 0.0592 / 0.0396, 1e-12);
  // Without the correction the first value would be 0.04: the correction is what makes it equal the loss.
  assert.notEqual(fastai[0], 0.04);
});

test('early stop when the smoothed loss exceeds the threshold times the best', () => {
  const curve = runCurve([1, 2, 3, 4, 5, 6], [1, 0.9, 1, 3.5, 3.7, 0.1], 0, 4);
  assert.equal(curve.stopped, 'diverged');
  assert.equal(curve.smoothed.length, 5, 'stops at the first point above 4 x 0.9 = 3.6');
  const calm = runCurve([1, 2, 3], [1, 0.9, 3.5], 0, 4);
  assert.equal(calm.stopped, 'completed');
});

test('NaN and Infinity stop the test as diverged without recording the point', () => {
  for (const bad of [NaN, Infinity]) {
    const curve = runCurve([1, 2, 3, 4], [1, 0.8, bad, 0.5], 0.98, 4);
    assert.equal(curve.stopped, 'diverged');
    assert.equal(curve.smoothed.length, 2);
    assert.equal(advanceSmoothing(INITIAL_SMOOTHING_STATE, bad, 0.98, 4).stop, 'diverged');
  }
});

test('gradientAlong matches numpy.gradient on uneven spacing', () => {
  // numpy.gradient([1, 4, 9], [0, 1, 3]) = [3, 2.8333..., 2.5]
  const slopes = gradientAlong([1, 4, 9], [0, 1, 3]);
  near(slopes[0]!, 3);
  near(slopes[1]!, 17 / 6);
  near(slopes[2]!, 2.5);
});

test('valley follows fastai arithmetic on hand-checked curves', () => {
  // Strictly decreasing, 10 points: end 9, start 9 - 10 = -1, sections 10/3, index -1 + 3 + 1 = 3.
  assert.equal(valleyIndex([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]), 3);
  // The longest decreasing run is 5 > 4 > 3 > 2 > 1.5 ending at 7: start 2, sections 5/3, index 2 + 1 + 0 = 3.
  assert.equal(valleyIndex([1, 1, 1, 5, 4, 3, 2, 1.5, 9, 9]), 3);
  assert.equal(valleyIndex([1, 2, 3, 4]), -1);
});

/** A typical curve: flat, a drop centred at `centre` (log10 lr), a minimum, then a blow-up. */
function typicalCurve(lrs: readonly number[], centre: number): number[] {
  return lrs.map((lr) => {
    const x = Math.log10(lr);
    const drop = 2.3 - (1.5 * (1 + Math.tanh(3 * (x - centre)))) / 2;
    const blowUp = x > centre + 1.2 ? Math.pow(10, 2 * (x - centre - 1.2)) - 1 : 0;
    return drop + blowUp;
  });
}

test('steepest is taken against log10(lr), not the iteration index', () => {
  // A linear ramp crowds the small learning rates into few iterations, so the index-based steepest point
  // sits at a smaller lr than the log-axis one.
  const lrs = rangeTestLearningRates(1e-3, 1, 200, 'linear');
  const losses = typicalCurve(lrs, Math.log10(0.3));
  const curve = runCurve(lrs, losses, 0, 4);
  const outcome = suggestLearningRates({ ...curve, numIter: 200 });
  const steepest = outcome.suggestions.steepest;
  assert.ok(steepest, outcome.notes.join(' '));
  assert.ok(steepest.lr > 0.27 && steepest.lr < 0.33, `steepest ${steepest.lr} should be near 0.3`);
  const byIndex = gradientAlong(
    curve.smoothed.slice(20, -5),
    curve.smoothed.slice(20, -5).map((_, i) => i),
  );
  const indexArgmin = byIndex.indexOf(Math.min(...byIndex)) + 20;
  assert.ok(
    Math.abs(curve.lrs[indexArgmin]! - steepest.lr) > 0.01,
    `the index-based answer (${curve.lrs[indexArgmin]}) differs from ${steepest.lr}, so the test can fail`,
  );
  assert.match(steepest.explanation, /log10\(lr\)/);
});

test('suggestions on a typical diverging curve', () => {
  const lrs = rangeTestLearningRates(1e-6, 10, 100, 'exp');
  const curve = runCurve(lrs, typicalCurve(lrs, -3), 0.98, 4);
  assert.equal(curve.stopped, 'diverged');
  const { suggestions, notes } = suggestLearningRates({ ...curve, numIter: 100 });
  assert.ok(suggestions.steepest && suggestions.valley && suggestions.minimum, notes.join(' '));
  const minimumIndex =
    curve.smoothed
      .slice(10, curve.smoothed.length - 5)
      .reduce((best, value, i, all) => (value < all[best]! ? i : best), 0) + 10;
  near(suggestions.minimum.lr, curve.lrs[minimumIndex]! / 10, 1e-12);
  assert.ok(suggestions.valley.lr < curve.lrs[minimumIndex]!, 'the valley sits before the minimum');
  assert.ok(suggestions.steepest.lr > 1e-4 && suggestions.steepest.lr < 1e-2, `steepest ${suggestions.steepest.lr}`);
  assert.deepEqual(notes, []);
});

test('too short a curve gives no suggestions and says why', () => {
  const lrs = rangeTestLearningRates(1e-2, 10, 100, 'exp');
  const losses = lrs.map((_, i) => (i < 20 ? 2 - i * 0.01 : 100));
  const curve = runCurve(lrs, losses, 0, 4);
  assert.equal(curve.stopped, 'diverged');
  const outcome = suggestLearningRates({ ...curve, numIter: 100 });
  assert.deepEqual(outcome.suggestions, { steepest: null, valley: null, minimum: null });
  assert.match(outcome.notes.join(' '), /Too short/);
});

test('a curve that never diverged says so and gives no minimum while still falling', () => {
  const lrs = rangeTestLearningRates(1e-6, 1e-3, 100, 'exp');
  const curve = runCurve(
    lrs,
    lrs.map((_, i) => 3 - i * 0.02),
    0.98,
    4,
  );
  assert.equal(curve.stopped, 'completed');
  const outcome = suggestLearningRates({ ...curve, numIter: 100 });
  assert.equal(outcome.suggestions.minimum, null);
  assert.ok(outcome.suggestions.steepest, 'a falling curve still has a steepest point');
  assert.match(outcome.notes.join(' '), /never diverged/);
  assert.match(outcome.notes.join(' '), /still falling/);
});

test('range_test section: defaults come from the catalog', () => {
  const { params, issues } = parseRangeTestSection({ task: 'mnist_mlp' });
  assert.deepEqual(issues, []);
  assert.deepEqual(params, {
    task: 'mnist_mlp',
    startLr: 1e-7,
    endLr: 10,
    numIter: 100,
    stepMode: 'exp',
    smooth: 0.98,
    divergeThreshold: 4,
    batchSize: 128,
    seed: 0,
    device: 'auto',
  });
  assert.equal(parseRangeTestSection(null).params?.task, 'spiral');
});

test('range_test section: every bad value is reported with its path', () => {
  const { params, issues } = parseRangeTestSection({
    start_lr: -1,
    num_iter: 2.5,
    step_mode: 'cosine',
    smooth: 1,
    diverge_threshold: 'x',
    batch_size: 0,
    colour: 'red',
  });
  assert.equal(params, null);
  const byPath = new Map(issues.map((issue) => [issue.path.join('.'), issue]));
  for (const key of ['start_lr', 'num_iter', 'step_mode', 'smooth', 'diverge_threshold', 'batch_size', 'colour']) {
    assert.ok(byPath.has(`range_test.${key}`), `no issue for ${key}: ${JSON.stringify(issues)}`);
  }
  assert.equal(byPath.get('range_test.colour')?.severity, 'warning');
  assert.match(byPath.get('range_test.step_mode')!.message, /`exp`, `linear`/);
});

test('range_test section: cross-field rules', () => {
  const inverted = parseRangeTestSection({ start_lr: 1, end_lr: 0.1 });
  assert.deepEqual(
    inverted.issues.map((issue) => issue.path),
    [['range_test', 'end_lr']],
  );
  const user = parseRangeTestSection({ task: 'user', model: 'model/model.json' });
  assert.equal(user.params, null);
  assert.match(user.issues[0]!.message, /needs `data:`/);
  const ignored = parseRangeTestSection({ task: 'cnn', data: 'x.csv' });
  assert.ok(ignored.params);
  assert.equal(ignored.issues[0]!.severity, 'warning');
  assert.equal(parseRangeTestSection([1, 2]).params, null);
});
