// The built-in loss landscapes (Rosenbrock, ill-conditioned quadratic, plateau, Rastrigin, Beale, Himmelblau, saddle, n-D quadratic).

import type { Landscape, LandscapeIssue } from './types';

/** A function written over `x[offset..offset+dim)`, so one definition serves single points and batches. */
export interface PointFunction {
  readonly id: string;
  readonly dim: number;
  valueAt(x: ArrayLike<number>, offset: number): number;
  gradientAt(x: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number): void;
  readonly minima: readonly (readonly number[])[];
  readonly bounds?: readonly (readonly [number, number])[];
  readonly formula: string;
  readonly defaultStart?: readonly number[];
  readonly eigenvalues?: readonly number[];
  /**
   * The batched evaluation (see Landscape.evaluateBatch). Built-ins supply their own loop calling module-level
   * functions: a loop shared by every landscape would call a different closure per landscape and per instance,
   * which V8 cannot inline, and simulations spend a third of their time here.
   */
  readonly evaluateRows?: Landscape['evaluateBatch'];
}

/** Wraps a point function into a Landscape with single-point and batched entry points. */
export function landscapeFromPointFunction(f: PointFunction): Landscape {
  const { valueAt, gradientAt, dim } = f;
  const landscape: Landscape = {
    id: f.id,
    dim,
    value: (x) => valueAt(x, 0),
    gradient: (x, out) => gradientAt(x, 0, out, 0),
    evaluateBatch:
      f.evaluateRows ??
      ((xs, count, values, gradients) => {
        // Separate loops keep each loop body free of branches; simulations ask for gradients every update.
        if (gradients)
          for (let offset = 0, end = count * dim; offset < end; offset += dim)
            gradientAt(xs, offset, gradients, offset);
        if (values) for (let p = 0; p < count; p++) values[p] = valueAt(xs, p * dim);
      }),
    minima: f.minima,
    formula: f.formula,
    ...(f.bounds ? { bounds: f.bounds } : {}),
    ...(f.defaultStart ? { defaultStart: f.defaultStart } : {}),
    ...(f.eigenvalues ? { eigenvalues: f.eigenvalues } : {}),
  };
  return landscape;
}

const TWO_PI = 2 * Math.PI;

type Values = Float64Array | null;

function rosenbrockValue(a: number, b: number, x: ArrayLike<number>, o: number): number {
  const x0 = x[o]!;
  const r = x[o + 1]! - x0 * x0;
  return (a - x0) * (a - x0) + b * r * r;
}

function rosenbrockGradient(
  a: number,
  b: number,
  x: ArrayLike<number>,
  o: number,
  out: Float64Array,
  oo: number,
): void {
  const x0 = x[o]!;
  const r = x[o + 1]! - x0 * x0;
  out[oo] = -2 * (a - x0) - 4 * b * x0 * r;
  out[oo + 1] = 2 * b * r;
}

function rosenbrockRows(
  a: number,
  b: number,
  xs: Float64Array,
  count: number,
  values: Values,
  gradients: Values,
): void {
  if (gradients) for (let o = 0, end = 2 * count; o < end; o += 2) rosenbrockGradient(a, b, xs, o, gradients, o);
  if (values) for (let p = 0; p < count; p++) values[p] = rosenbrockValue(a, b, xs, 2 * p);
}

function rosenbrock(a: number, b: number): PointFunction {
  return {
    id: 'rosenbrock',
    dim: 2,
    valueAt: (x, o) => rosenbrockValue(a, b, x, o),
    gradientAt: (x, o, out, oo) => rosenbrockGradient(a, b, x, o, out, oo),
    evaluateRows: (xs, count, values, gradients) => rosenbrockRows(a, b, xs, count, values, gradients),
    minima: [[a, a * a]],
    bounds: [
      [-2, 2],
      [-1, 3],
    ],
    formula: `(${a} - x)^2 + ${b}*(y - x^2)^2`,
    defaultStart: [-1.5, 2],
  };
}

function quadraticValue(d: Float64Array, x: ArrayLike<number>, o: number): number {
  let sum = 0;
  for (let j = 0; j < d.length; j++) sum += d[j]! * x[o + j]! * x[o + j]!;
  return 0.5 * sum;
}

function quadraticGradient(d: Float64Array, x: ArrayLike<number>, o: number, out: Float64Array, oo: number): void {
  for (let j = 0; j < d.length; j++) out[oo + j] = d[j]! * x[o + j]!;
}

function quadraticRows(d: Float64Array, xs: Float64Array, count: number, values: Values, gradients: Values): void {
  const dim = d.length;
  if (gradients) for (let o = 0, end = dim * count; o < end; o += dim) quadraticGradient(d, xs, o, gradients, o);
  if (values) for (let p = 0; p < count; p++) values[p] = quadraticValue(d, xs, dim * p);
}

function diagonalQuadratic(
  id: string,
  diag: readonly number[],
  formula: string,
  bounds?: readonly (readonly [number, number])[],
): PointFunction {
  const d = Float64Array.from(diag);
  const dim = d.length;
  return {
    id,
    dim,
    valueAt: (x, o) => quadraticValue(d, x, o),
    gradientAt: (x, o, out, oo) => quadraticGradient(d, x, o, out, oo),
    evaluateRows: (xs, count, values, gradients) => quadraticRows(d, xs, count, values, gradients),
    minima: [new Array<number>(dim).fill(0)],
    bounds: bounds ?? Array.from({ length: dim }, (): [number, number] => [-1.5, 1.5]),
    formula,
    defaultStart: new Array<number>(dim).fill(1),
    eigenvalues: [...diag],
  };
}

function plateauValue(w: number, k: number, x: ArrayLike<number>, o: number): number {
  const r2 = x[o]! * x[o]! + x[o + 1]! * x[o + 1]!;
  return 1 - Math.exp(-r2 / w) + k * r2;
}

function plateauGradient(w: number, k: number, x: ArrayLike<number>, o: number, out: Float64Array, oo: number): void {
  const x0 = x[o]!;
  const x1 = x[o + 1]!;
  const e = Math.exp(-(x0 * x0 + x1 * x1) / w);
  out[oo] = ((2 * x0) / w) * e + 2 * k * x0;
  out[oo + 1] = ((2 * x1) / w) * e + 2 * k * x1;
}

function plateauRows(w: number, k: number, xs: Float64Array, count: number, values: Values, gradients: Values): void {
  if (gradients) for (let o = 0, end = 2 * count; o < end; o += 2) plateauGradient(w, k, xs, o, gradients, o);
  if (values) for (let p = 0; p < count; p++) values[p] = plateauValue(w, k, xs, 2 * p);
}

function plateauBasin(w: number, k: number): PointFunction {
  return {
    id: 'plateau_basin',
    dim: 2,
    valueAt: (x, o) => plateauValue(w, k, x, o),
    gradientAt: (x, o, out, oo) => plateauGradient(w, k, x, o, out, oo),
    evaluateRows: (xs, count, values, gradients) => plateauRows(w, k, xs, count, values, gradients),
    minima: [[0, 0]],
    bounds: [
      [-1, 1],
      [-1, 1],
    ],
    formula: `1 - exp(-(x^2 + y^2)/${w}) + ${k}*(x^2 + y^2)`,
    defaultStart: [0.4, -0.3],
  };
}

function rastrigin(A: number, dim: number): PointFunction {
  return {
    id: 'rastrigin',
    dim,
    valueAt(x, o) {
      let sum = A * dim;
      for (let j = 0; j < dim; j++) sum += x[o + j]! * x[o + j]! - A * Math.cos(TWO_PI * x[o + j]!);
      return sum;
    },
    gradientAt(x, o, out, oo) {
      for (let j = 0; j < dim; j++) out[oo + j] = 2 * x[o + j]! + TWO_PI * A * Math.sin(TWO_PI * x[o + j]!);
    },
    minima: [new Array<number>(dim).fill(0)],
    bounds: Array.from({ length: dim }, (): [number, number] => [-5.12, 5.12]),
    formula:
      dim === 2
        ? `${A}*2 + (x^2 - ${A}*cos(2*pi*x)) + (y^2 - ${A}*cos(2*pi*y))`
        : `${A}*${dim} + sum_i (x[i]^2 - ${A}*cos(2*pi*x[i]))`,
    defaultStart: dim === 2 ? [2.2, -1.7] : new Array<number>(dim).fill(2.2),
  };
}

const BEALE: PointFunction = {
  id: 'beale',
  dim: 2,
  valueAt(x, o) {
    const x0 = x[o]!;
    const x1 = x[o + 1]!;
    const t1 = 1.5 - x0 + x0 * x1;
    const t2 = 2.25 - x0 + x0 * x1 * x1;
    const t3 = 2.625 - x0 + x0 * x1 * x1 * x1;
    return t1 * t1 + t2 * t2 + t3 * t3;
  },
  gradientAt(x, o, out, oo) {
    const x0 = x[o]!;
    const x1 = x[o + 1]!;
    const y2 = x1 * x1;
    const y3 = y2 * x1;
    const t1 = 1.5 - x0 + x0 * x1;
    const t2 = 2.25 - x0 + x0 * y2;
    const t3 = 2.625 - x0 + x0 * y3;
    out[oo] = 2 * t1 * (x1 - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1);
    out[oo + 1] = 2 * t1 * x0 + 2 * t2 * 2 * x0 * x1 + 2 * t3 * 3 * x0 * y2;
  },
  minima: [[3, 0.5]],
  bounds: [
    [-4.5, 4.5],
    [-4.5, 4.5],
  ],
  formula: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2',
  defaultStart: [1, 1],
};

const HIMMELBLAU: PointFunction = {
  id: 'himmelblau',
  dim: 2,
  valueAt(x, o) {
    const a = x[o]! * x[o]! + x[o + 1]! - 11;
    const b = x[o]! + x[o + 1]! * x[o + 1]! - 7;
    return a * a + b * b;
  },
  gradientAt(x, o, out, oo) {
    const x0 = x[o]!;
    const x1 = x[o + 1]!;
    const a = x0 * x0 + x1 - 11;
    const b = x0 + x1 * x1 - 7;
    out[oo] = 4 * x0 * a + 2 * b;
    out[oo + 1] = 2 * a + 4 * x1 * b;
  },
  // The four global minima, all with value 0; the three irrational ones to 10 significant digits.
  minima: [
    [3, 2],
    [-2.805118087, 3.131312518],
    [-3.779310253, -3.283185991],
    [3.58442834, -1.848126527],
  ],
  bounds: [
    [-5, 5],
    [-5, 5],
  ],
  formula: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2',
  defaultStart: [0, 0],
};

const SADDLE: PointFunction = {
  id: 'saddle',
  dim: 2,
  valueAt: (x, o) => x[o]! * x[o]! - x[o + 1]! * x[o + 1]!,
  gradientAt(x, o, out, oo) {
    out[oo] = 2 * x[o]!;
    out[oo + 1] = -2 * x[o + 1]!;
  },
  minima: [],
  bounds: [
    [-2, 2],
    [-2, 2],
  ],
  formula: 'x^2 - y^2',
  defaultStart: [1, 1e-3],
};

/** The ids `builtinLandscape` accepts as a plain string. */
export const BUILTIN_LANDSCAPE_IDS: readonly string[] = [
  'rosenbrock',
  'quadratic_ill',
  'plateau_basin',
  'rastrigin',
  'beale',
  'himmelblau',
  'saddle',
  'quadratic10',
];

/** `10^(3 i / 9)` for i = 0..9: the eigenvalues of the `quadratic10` test problem (condition number 1000). */
function logspaceDiagonal(): number[] {
  return Array.from({ length: 10 }, (_, i) => Math.pow(10, (3 * i) / 9));
}

function constant(
  spec: Readonly<Record<string, unknown>>,
  name: string,
  fallback: number,
  issues: LandscapeIssue[],
  check?: (value: number) => string | null,
): number {
  const value = spec[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ path: [name], message: `\`${name}\` must be a finite number.` });
    return fallback;
  }
  const problem = check?.(value);
  if (problem) {
    issues.push({ path: [name], message: problem });
    return fallback;
  }
  return value;
}

/** A built-in landscape by id (`rosenbrock`) or by object with constants (`{type: rosenbrock, a: 1, b: 100}`, `{type: quadratic, diag: [...]}`). */
export function builtinPointFunction(spec: string | Readonly<Record<string, unknown>>): {
  pointFunction: PointFunction | null;
  issues: LandscapeIssue[];
} {
  const issues: LandscapeIssue[] = [];
  const object: Readonly<Record<string, unknown>> = typeof spec === 'string' ? { type: spec } : spec;
  const type = object['type'];
  if (typeof type !== 'string') {
    issues.push({
      path: ['type'],
      message: `A function needs a \`type\`: one of ${BUILTIN_LANDSCAPE_IDS.join(', ')}, quadratic, or an \`expression\`.`,
    });
    return { pointFunction: null, issues };
  }
  const positive = (value: number): string | null => (value > 0 ? null : 'must be > 0');
  let pointFunction: PointFunction | null = null;
  switch (type) {
    case 'rosenbrock':
      pointFunction = rosenbrock(constant(object, 'a', 1, issues), constant(object, 'b', 100, issues));
      break;
    case 'quadratic_ill':
      pointFunction = diagonalQuadratic('quadratic_ill', [1, 100], '0.5*(x^2 + 100*y^2)', [
        [-2, 2],
        [-1.5, 1.5],
      ]);
      break;
    case 'plateau_basin':
      pointFunction = plateauBasin(constant(object, 'w', 0.05, issues, positive), constant(object, 'k', 0.01, issues));
      break;
    case 'rastrigin': {
      const n = constant(object, 'n', 2, issues, (value) =>
        Number.isInteger(value) && value >= 1 && value <= 1000 ? null : 'must be a whole number in [1, 1000]',
      );
      pointFunction = rastrigin(constant(object, 'A', 10, issues), n);
      break;
    }
    case 'beale':
      pointFunction = BEALE;
      break;
    case 'himmelblau':
      pointFunction = HIMMELBLAU;
      break;
    case 'saddle':
      pointFunction = SADDLE;
      break;
    case 'quadratic10':
      pointFunction = diagonalQuadratic(
        'quadratic10',
        logspaceDiagonal(),
        '0.5*sum_i d[i]*x[i]^2, d = logspace(0, 3, 10)',
      );
      break;
    case 'quadratic': {
      const diag = object['diag'];
      if (!Array.isArray(diag) || diag.length === 0 || diag.length > 100000) {
        issues.push({
          path: ['diag'],
          message: '`quadratic` needs `diag`: a non-empty list of eigenvalues, e.g. [1, 10, 100].',
        });
        break;
      }
      const bad = diag.findIndex((value: unknown) => typeof value !== 'number' || !Number.isFinite(value));
      if (bad >= 0) {
        issues.push({ path: ['diag', bad], message: 'Every eigenvalue must be a finite number.' });
        break;
      }
      pointFunction = diagonalQuadratic(
        'quadratic',
        diag as number[],
        `0.5*sum_i d[i]*x[i]^2, d = [${diag.join(', ')}]`,
      );
      break;
    }
    default:
      issues.push({
        path: ['type'],
        message: `Unknown function \`${type}\`; built-ins are ${BUILTIN_LANDSCAPE_IDS.join(', ')} and quadratic (with diag).`,
      });
  }
  if (issues.length > 0) return { pointFunction: null, issues };
  return { pointFunction, issues };
}
