// A correctly rounded power `base ** exponent`, as Python's float `**` (glibc pow) computes it.
//
// V8's Math.pow is off by one ulp for about 10% of `0.9 ** step`, which is enough to make chaotic PyTorch
// trajectories drift. This computes exp(exponent * log(base)) in double-double arithmetic (about 100 bits)
// and rounds once, so the result is the correctly rounded value except in astronomically rare ties.

type DoubleDouble = readonly [number, number];

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's constant for splitting a double into two 26-bit halves.
const LN2: DoubleDouble = [0.6931471805599453, 2.3190468138462996e-17];

function twoSum(a: number, b: number): DoubleDouble {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

function twoProduct(a: number, b: number): DoubleDouble {
  const p = a * b;
  let c = SPLITTER * a;
  const aHigh = c - (c - a);
  const aLow = a - aHigh;
  c = SPLITTER * b;
  const bHigh = c - (c - b);
  const bLow = b - bHigh;
  return [p, aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow];
}

function add(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}

function multiply(a: DoubleDouble, b: DoubleDouble): DoubleDouble {
  const [p, e] = twoProduct(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}

/** A double-double divided by a double, with the remainder carried into the low part. */
function divide(a: DoubleDouble, d: number): DoubleDouble {
  const q = a[0] / d;
  const [p, e] = twoProduct(q, d);
  return twoSum(q, (a[0] - p - e + a[1]) / d);
}

/** exp of a double-double: range reduction by ln 2 and by 2^-10, a Taylor series, then ten squarings. */
function exponential(t: DoubleDouble): DoubleDouble {
  const k = Math.round(t[0] / LN2[0]);
  let r = add(t, multiply(LN2, [-k, 0]));
  r = [r[0] / 1024, r[1] / 1024];
  // Taylor series of exp(r) - 1 for |r| < 4e-4: 12 terms reach far below 2^-106.
  let term: DoubleDouble = r;
  let sum: DoubleDouble = r;
  for (let n = 2; n <= 12; n++) {
    term = divide(multiply(term, r), n);
    sum = add(sum, term);
  }
  // (1 + s)^2 - 1 = s * (2 + s) keeps the small quantity and avoids cancellation.
  for (let i = 0; i < 10; i++) sum = multiply(sum, add([2, 0], sum));
  const result = add([1, 0], sum);
  const scale = Math.pow(2, k);
  return [result[0] * scale, result[1] * scale];
}

/** log of a positive double as a double-double: Math.log refined by one Newton step on exp. */
function logarithm(x: number): DoubleDouble {
  const y = Math.log(x);
  const e = exponential([y, 0]);
  const residual = add([x, 0], [-e[0], -e[1]]);
  return twoSum(y, residual[0] / e[0]);
}

/** `base ** exponent` rounded once, for the positive finite bases optimizers use; other cases fall back to Math.pow. */
export function exactPow(base: number, exponent: number): number {
  if (!(base > 0) || !Number.isFinite(base) || !Number.isFinite(exponent) || base === 1 || exponent === 0)
    return Math.pow(base, exponent);
  const t = multiply(logarithm(base), [exponent, 0]);
  if (!(Math.abs(t[0]) < 700)) return Math.pow(base, exponent);
  const [high, low] = exponential(t);
  return high + low;
}

const TINY = Math.pow(2, -900);
const UP = Math.pow(2, 600);
const DOWN = Math.pow(2, -600);
const SMALLEST_NORMAL = Math.pow(2, -1022);
const SUBNORMAL_ULP = Math.pow(2, -1074);
/** Half a subnormal ulp, scaled by 2^600 (2^-1075 itself is not representable). */
const HALF_SUBNORMAL_ULP_SCALED = Math.pow(2, -475);

const HUGE = Math.pow(2, 995);

/**
 * `a * b + c` with a single rounding, as the fused multiply-add that PyTorch's vectorized CPU kernels use for
 * `add(other, alpha=...)` and `addcmul`. Exact product by Veltkamp/Dekker, then a compensated sum. This fast
 * path is kept small so V8 inlines it into the update loops; extreme magnitudes, NaN and Infinity go to
 * `fusedMultiplyAddCareful`.
 */
export function fusedMultiplyAdd(a: number, b: number, c: number): number {
  const p = a * b;
  const magnitude = Math.abs(p);
  if (magnitude >= TINY && magnitude < HUGE && Math.abs(a) < HUGE && Math.abs(b) < HUGE && Math.abs(c) < HUGE) {
    let split = SPLITTER * a;
    const aHigh = split - (split - a);
    const aLow = a - aHigh;
    split = SPLITTER * b;
    const bHigh = split - (split - b);
    const bLow = b - bHigh;
    const error = aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
    const s = p + c;
    const bb = s - p;
    return s + (p - (s - bb) + (c - bb) + error);
  }
  return fusedMultiplyAddCareful(a, b, c);
}

/** The rare cases: zero, tiny (possibly subnormal) or huge products, non-finite values. */
function fusedMultiplyAddCareful(a: number, b: number, c: number): number {
  const p = a * b;
  if (
    p === 0 ||
    !Number.isFinite(p) ||
    !Number.isFinite(c) ||
    Math.abs(a) >= HUGE ||
    Math.abs(b) >= HUGE ||
    Math.abs(c) >= HUGE
  )
    return p + c;
  // Only products below 2^-900 remain: negligible next to any c above 2^300, whose ulp is vastly larger.
  if (Math.abs(c) > UP) return c;
  const [product, error] = twoProduct(a * UP, b);
  const [s, t] = twoSum(product, c * UP);
  const low = t + error;
  let q = (s + low) * DOWN;
  if (Math.abs(q) >= SMALLEST_NORMAL) return q;
  // Scaling down rounded a second time onto the subnormal grid: redo that rounding from the exact residual.
  const residual = s - q * UP + low;
  if (residual > HALF_SUBNORMAL_ULP_SCALED) q += SUBNORMAL_ULP;
  else if (residual < -HALF_SUBNORMAL_ULP_SCALED) q -= SUBNORMAL_ULP;
  return q;
}
