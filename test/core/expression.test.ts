// User expressions: values, gradients against finite differences, precedence, and error positions.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression } from '../../server/src/core/landscape/index';

function valueOf(source: string, x: number, y: number): number {
  const { landscape, issues } = parseExpression(source);
  assert.deepEqual(issues, [], source);
  return landscape!.value([x, y]);
}

describe('values', () => {
  const cases: [string, number, number, number][] = [
    ['x^2 + 10*y^2', 2, 1, 14],
    ['-x^2', 3, 0, -9],
    ['2^3^2', 0, 0, 512],
    ['2**3**2', 0, 0, 512],
    ['(1 - x)^2 + 100*(y - x^2)^2', 1, 1, 0],
    ['x - y - 1', 5, 2, 2],
    ['x / y / 2', 8, 2, 2],
    ['2*pi', 0, 0, 2 * Math.PI],
    ['e', 0, 0, Math.E],
    ['sin(x)*cos(y) + tan(0) + exp(0) + log(e) + sqrt(4) + abs(-3) + tanh(0)', 0, 0, 0 + 0 + 1 + 1 + 2 + 3],
    ['x^-1', 4, 0, 0.25],
    ['--x', 3, 0, 3],
    ['1.5e2 + .5', 0, 0, 150.5],
  ];
  for (const [source, x, y, expected] of cases) {
    test(source, () => assert.equal(valueOf(source, x, y), expected));
  }
});

describe('gradients equal central differences', () => {
  const sources = [
    '(1 - x)^2 + 100*(y - x^2)^2',
    'sin(3*x)*cos(y) + exp(-x^2 - y^2)',
    'log(1 + x^2 + y^2) + sqrt(2 + x*y)',
    'tanh(x - y) + abs(x) * y + tan(0.3*y)',
    'x^y',
    '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
    '1 / (1 + x^2) - y^3 / 3',
  ];
  const points: [number, number][] = [
    [0.7, 1.3],
    [1.9, 0.4],
    [-0.6, 1.1],
  ];
  for (const source of sources) {
    test(source, () => {
      const { landscape } = parseExpression(source);
      assert.ok(landscape);
      const out = new Float64Array(2);
      for (const [x, y] of points) {
        if (source === 'x^y' && x < 0) continue;
        landscape.gradient([x, y], out);
        const h = 1e-6;
        const dx = (landscape.value([x + h, y]) - landscape.value([x - h, y])) / (2 * h);
        const dy = (landscape.value([x, y + h]) - landscape.value([x, y - h])) / (2 * h);
        assert.ok(
          Math.abs(out[0]! - dx) <= 1e-6 * Math.max(1, Math.abs(dx)),
          `${source} d/dx at (${x}, ${y}): ${out[0]} vs ${dx}`,
        );
        assert.ok(
          Math.abs(out[1]! - dy) <= 1e-6 * Math.max(1, Math.abs(dy)),
          `${source} d/dy at (${x}, ${y}): ${out[1]} vs ${dy}`,
        );
      }
    });
  }
  test('integer powers of negative bases keep a finite gradient', () => {
    const out = new Float64Array(2);
    parseExpression('x^3 + y^2').landscape!.gradient([-2, -1], out);
    assert.deepEqual(Array.from(out), [12, -2]);
  });
});

describe('errors point at the offending text', () => {
  const cases: [string, number, number, RegExp][] = [
    ['x + y + z', 8, 9, /Unknown symbol `z` at column 9/],
    ['x*(y + 1', 8, 9, /Expected `\)` at column 9 to close the `\(` at column 3/],
    ['2x', 1, 2, /Expected an operator before `x` at column 2/],
    ['x +', 3, 4, /but the expression ends/],
    ['x $ y', 2, 3, /Unexpected character `\$` at column 3/],
    ['foo(x)', 0, 3, /Unknown function `foo` at column 1/],
    ['sin x', 0, 3, /`sin` is a function/],
    ['x)', 1, 2, /Unmatched `\)` at column 2/],
    ['x * * y', 4, 5, /found `\*`/],
    ['', 0, 0, /empty/],
  ];
  for (const [source, start, end, message] of cases) {
    test(JSON.stringify(source), () => {
      const { landscape, issues } = parseExpression(source);
      assert.equal(landscape, null);
      assert.equal(issues.length, 1);
      assert.match(issues[0]!.message, message);
      assert.deepEqual([issues[0]!.start, issues[0]!.end], [start, end]);
    });
  }
  test('deep nesting and huge input are refused, not a stack overflow', () => {
    assert.match(parseExpression('('.repeat(1000) + 'x' + ')'.repeat(1000)).issues[0]!.message, /nests deeper/);
    assert.match(parseExpression('-'.repeat(5000) + 'x').issues[0]!.message, /nests deeper/);
    const longChain = parseExpression('x+'.repeat(4999) + 'x');
    assert.deepEqual(longChain.issues, []);
    assert.equal(longChain.landscape!.value([1, 0]), 5000);
    assert.match(parseExpression('x+'.repeat(6000) + 'x').issues[0]!.message, /longer than/);
  });
  test('never throws on odd input', () => {
    for (const source of ['(', ')', '^', '**', '1e', '..', 'x^^y', 'sin()', '1e999', 'eval("1")', 'constructor']) {
      assert.doesNotThrow(() => parseExpression(source), source);
    }
    assert.doesNotThrow(() => parseExpression(undefined as unknown as string));
  });
});
