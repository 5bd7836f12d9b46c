// Built-in landscapes: values, exact gradients against finite differences, minima, batching, spec errors.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_LANDSCAPE_IDS, builtinLandscape, type Landscape } from '../../server/src/core/landscape/index';

function centralDifference(landscape: Landscape, x: readonly number[], j: number): number {
  const h = 1e-6 * Math.max(1, Math.abs(x[j]!));
  const plus = [...x];
  const minus = [...x];
  plus[j]! += h;
  minus[j]! -= h;
  return (landscape.value(plus) - landscape.value(minus)) / (2 * h);
}

describe('every built-in landscape', () => {
  for (const id of BUILTIN_LANDSCAPE_IDS) {
    test(`${id}: gradient matches central differences and minima are stationary`, () => {
      const { landscape, issues } = builtinLandscape(id);
      assert.deepEqual(issues, []);
      assert.ok(landscape);
      const out = new Float64Array(landscape.dim);
      const points = [landscape.defaultStart!, landscape.defaultStart!.map((v, j) => v * 0.7 + 0.1 * (j + 1))];
      for (const x of points) {
        landscape.gradient(x, out);
        for (let j = 0; j < landscape.dim; j++) {
          const numeric = centralDifference(landscape, x, j);
          assert.ok(
            Math.abs(out[j]! - numeric) <= 1e-5 * Math.max(1, Math.abs(numeric)),
            `${id} d/dx${j} at ${x}: ${out[j]} vs ${numeric}`,
          );
        }
      }
      for (const minimum of landscape.minima) {
        landscape.gradient(minimum, out);
        for (let j = 0; j < landscape.dim; j++)
          assert.ok(Math.abs(out[j]!) < 1e-7, `${id} gradient at minimum ${minimum}: ${out[j]}`);
      }
    });
  }
});

test('known values', () => {
  assert.equal(builtinLandscape('rosenbrock').landscape!.value([1, 1]), 0);
  assert.equal(builtinLandscape('rosenbrock').landscape!.value([-1.5, 2]), 12.5);
  assert.equal(builtinLandscape('quadratic_ill').landscape!.value([1, 1]), 50.5);
  assert.equal(builtinLandscape('himmelblau').landscape!.value([3, 2]), 0);
  assert.equal(builtinLandscape('beale').landscape!.value([3, 0.5]), 0);
  assert.equal(builtinLandscape('saddle').landscape!.value([1, 2]), -3);
  assert.equal(builtinLandscape('rastrigin').landscape!.value([0, 0]), 0);
  assert.equal(builtinLandscape('plateau_basin').landscape!.value([0, 0]), 0);
  assert.deepEqual(builtinLandscape('saddle').landscape!.minima, []);
  assert.equal(builtinLandscape('himmelblau').landscape!.minima.length, 4);
});

test('n-D quadratic with given eigenvalues', () => {
  const { landscape } = builtinLandscape({ type: 'quadratic', diag: [1, 10, 100] });
  assert.ok(landscape);
  assert.equal(landscape.dim, 3);
  assert.equal(landscape.value([1, 1, 1]), 55.5);
  const out = new Float64Array(3);
  landscape.gradient([1, 2, 3], out);
  assert.deepEqual(Array.from(out), [1, 20, 300]);
});

test('batched evaluation equals point-by-point evaluation', () => {
  const landscape = builtinLandscape('beale').landscape!;
  const xs = Float64Array.from([1, 1, -2, 0.5, 3, 0.5]);
  const values = new Float64Array(3);
  const grads = new Float64Array(6);
  landscape.evaluateBatch(xs, 3, values, grads);
  const out = new Float64Array(2);
  for (let p = 0; p < 3; p++) {
    const x = [xs[2 * p]!, xs[2 * p + 1]!];
    assert.equal(values[p], landscape.value(x));
    landscape.gradient(x, out);
    assert.deepEqual([grads[2 * p], grads[2 * p + 1]], Array.from(out));
  }
});

test('constants can be overridden', () => {
  const { landscape } = builtinLandscape({ type: 'rosenbrock', a: 2, b: 10 });
  assert.deepEqual(landscape!.minima, [[2, 4]]);
  assert.equal(landscape!.value([2, 4]), 0);
  assert.equal(builtinLandscape({ type: 'rastrigin', n: 5 }).landscape!.dim, 5);
});

describe('bad specs give issues, never throw', () => {
  const cases: [string, unknown, RegExp][] = [
    ['unknown name', 'rosenbrok', /Unknown function `rosenbrok`/],
    ['quadratic without diag', { type: 'quadratic' }, /needs `diag`/],
    ['non-numeric eigenvalue', { type: 'quadratic', diag: [1, 'a'] }, /finite number/],
    ['bad constant', { type: 'plateau_basin', w: -1 }, /must be > 0/],
    ['no type', {}, /needs a `type`/],
    ['a number', 42, /built-in name/],
  ];
  for (const [name, spec, message] of cases) {
    test(name, () => {
      const { landscape, issues } = builtinLandscape(spec as never);
      assert.equal(landscape, null);
      assert.ok(
        issues.some((issue) => message.test(issue.message)),
        JSON.stringify(issues),
      );
    });
  }
});
