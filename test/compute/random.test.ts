// The seeded generator behind every proxy task: reproducible, and its normals are normal.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom, permutation } from '../../server/src/core/util/random';

test('the same seed gives the same draws; another seed, other draws', () => {
  const draw = (seed: number) => {
    const random = createRandom(seed);
    return [random.next(), random.normal(), random.integer(10), random.normal()];
  };
  assert.deepEqual(draw(4), draw(4));
  assert.notDeepEqual(draw(4), draw(5));
});

test('fillNormal gives exactly the values of repeated normal(), and fillUniform those of next()', () => {
  const bulk = createRandom(9);
  const single = createRandom(9);
  const values = new Float64Array(1001);
  bulk.fillNormal(values);
  values.forEach((value, i) => assert.equal(value, single.normal(), `normal ${i}`));
  const uniforms = new Float64Array(50);
  bulk.fillUniform(uniforms, -2, 3);
  uniforms.forEach((value, i) => assert.equal(value, single.next() * 5 - 2, `uniform ${i}`));
  assert.equal(bulk.next(), single.next(), 'both generators are at the same place afterwards');
});

test('normals have mean 0, variance 1, normal tails and kurtosis; uniforms stay in range', () => {
  const random = createRandom(1);
  const n = 400_000;
  const values = new Float64Array(n);
  random.fillNormal(values);
  let mean = 0;
  for (const x of values) mean += x;
  mean /= n;
  let variance = 0;
  let fourth = 0;
  let beyond2 = 0;
  let beyond3 = 0;
  for (const x of values) {
    variance += (x - mean) ** 2;
    fourth += (x - mean) ** 4;
    if (Math.abs(x) > 2) beyond2++;
    if (Math.abs(x) > 3) beyond3++;
  }
  variance /= n;
  const kurtosis = fourth / n / variance ** 2;
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.01, `variance ${variance}`);
  assert.ok(Math.abs(kurtosis - 3) < 0.05, `kurtosis ${kurtosis}`);
  // P(|x| > 2) = 0.0455, P(|x| > 3) = 0.0027 for a standard normal.
  assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.002, `P(|x|>2) ${beyond2 / n}`);
  assert.ok(Math.abs(beyond3 / n - 0.0027) < 0.0005, `P(|x|>3) ${beyond3 / n}`);
  assert.ok(
    values.some((x) => Math.abs(x) > 3.45),
    'the tail beyond the ziggurat base is reached',
  );
  const uniforms = new Float32Array(10_000);
  random.fillUniform(uniforms, -0.5, 0.5);
  assert.ok(uniforms.every((u) => u >= -0.5 && u <= 0.5));
});

test('permutation is a permutation', () => {
  const order = permutation(100, createRandom(2));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    Array.from({ length: 100 }, (_, i) => i),
  );
  assert.notDeepEqual(
    [...order],
    Array.from({ length: 100 }, (_, i) => i),
  );
});
