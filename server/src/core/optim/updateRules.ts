// The update rules, written per coordinate over struct-of-arrays state so one loop serves one or thousands of trajectories.
//
// Invariant: the torch.optim rules keep PyTorch 1.13's operation grouping (single-tensor path) so results match
// to the last bits where the arithmetic allows: `x += (v*a)/b` is addcdiv, `s*beta + ((1-beta)*g)*g` is
// mul_ + addcmul_, `a + alpha*b` is add(alpha=). Powers `beta**step` are Python float powers, computed
// correctly rounded by exactPow (Math.pow is an ulp off too often), and cached across trajectories.
// `plain` arithmetic (batched sweeps) may trade an ulp for speed: it multiplies by a reciprocal where PyTorch divides.

import { exactPow, fusedMultiplyAdd } from './exactPow';
import type { Hyperparameters } from './hyperparameters';

/** Steps `count` trajectories of `dim` coordinates; `lrOverride` (NaN when absent) wins over `lr * lrScale`. */
export interface UpdateKernel {
  step(x: Float64Array, grad: Float64Array, lrOverride: number, lrScale: number): void;
}

interface KernelContext {
  readonly hyper: readonly Hyperparameters[];
  readonly dim: number;
  readonly count: number;
  /** Block lengths (layers) for the layer-wise rules; they sum to `dim`. */
  readonly blocks: readonly number[];
  /** `a * b + c`: fused (one rounding, as PyTorch's kernels) or plain (two roundings, several times faster in JS). */
  readonly fma: (a: number, b: number, c: number) => number;
}

type FusedMultiplyAdd = KernelContext['fma'];

function plainMultiplyAdd(a: number, b: number, c: number): number {
  return a * b + c;
}

function zeros(length: number): Float64Array {
  return new Float64Array(length);
}

function lrOf(h: Hyperparameters, lrOverride: number, lrScale: number): number {
  return lrOverride === lrOverride ? lrOverride : h.lr * lrScale;
}

/** Gradient after `maximize` and coupled L2 decay, as PyTorch forms it before the rule proper. */
function coupledGradient(fma: FusedMultiplyAdd, h: Hyperparameters, x: number, g: number): number {
  const signed = h.maximize ? -g : g;
  return h.weightDecay !== 0 ? fma(h.weightDecay, x, signed) : signed;
}

function sgd({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const buf = zeros(dim * count);
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const mu = h.momentum;
        const oneMinusDampening = 1 - h.dampening;
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          let d = g;
          if (mu !== 0) {
            // The first step copies the gradient into the buffer with no dampening.
            const b = stepCount === 1 ? g : fma(oneMinusDampening, g, buf[i]! * mu);
            buf[i] = b;
            d = h.nesterov ? fma(mu, b, g) : b;
          }
          x[i] = fma(-lr, d, x[i]!);
        }
      }
    },
  };
}

function adagrad({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const sum = zeros(dim * count);
  for (let t = 0; t < count; t++) sum.fill(hyper[t]!.initialAccumulatorValue, t * dim, (t + 1) * dim);
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const clr = adagradStepLr(lrOf(h, lrOverride, lrScale), h.lrDecay, stepCount);
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const s = fma(g, g, sum[i]!);
          sum[i] = s;
          x[i] = x[i]! + (-clr * g) / (Math.sqrt(s) + h.eps);
        }
      }
    },
  };
}

function rmsprop({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const squareAverage = zeros(dim * count);
  const gradientAverage = zeros(dim * count);
  const buf = zeros(dim * count);
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const alpha = h.alpha;
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const sq = fma((1 - alpha) * g, g, squareAverage[i]! * alpha);
          squareAverage[i] = sq;
          let average: number;
          if (h.centered) {
            const ga = fma(1 - alpha, g, gradientAverage[i]! * alpha);
            gradientAverage[i] = ga;
            average = Math.sqrt(fma(-1 * ga, ga, sq)) + h.eps;
          } else {
            average = Math.sqrt(sq) + h.eps;
          }
          if (h.momentum > 0) {
            const b = buf[i]! * h.momentum + g / average;
            buf[i] = b;
            x[i] = fma(-lr, b, x[i]!);
          } else {
            x[i] = x[i]! + (-lr * g) / average;
          }
        }
      }
    },
  };
}

function adadelta({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const squareAverage = zeros(dim * count);
  const accumulatedDelta = zeros(dim * count);
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const rho = h.rho;
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const sq = fma((1 - rho) * g, g, squareAverage[i]! * rho);
          squareAverage[i] = sq;
          const delta = (Math.sqrt(accumulatedDelta[i]! + h.eps) / Math.sqrt(sq + h.eps)) * g;
          accumulatedDelta[i] = fma((1 - rho) * delta, delta, accumulatedDelta[i]! * rho);
          x[i] = fma(-lr, delta, x[i]!);
        }
      }
    },
  };
}

/**
 * Bias corrections per trajectory. Consecutive trajectories usually share their betas (a batch of starts, a
 * grid ordered by beta), so a power is computed only when the beta differs from the previous trajectory's.
 */
class PowerCache {
  private lastBase = Number.NaN;
  private lastExponent = Number.NaN;
  private lastValue = Number.NaN;
  pow(base: number, exponent: number): number {
    if (base !== this.lastBase || exponent !== this.lastExponent) {
      this.lastBase = base;
      this.lastExponent = exponent;
      this.lastValue = exactPow(base, exponent);
    }
    return this.lastValue;
  }
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's constant for splitting a double into two 26-bit halves.
const TWO_TO_MINUS_100 = Math.pow(2, -100);
/** Below this a power no longer changes `1 - power`, which rounds to 1 for any power under 2^-54. */
const NEGLIGIBLE_POWER = Math.pow(2, -60);

/**
 * `1 - beta^k` for k = 1, 2, 3, ..., one column of betas at a time, as Adam's bias corrections need every update.
 * Each beta^k is carried as a double-double and advanced by one exact (Dekker) multiplication per update, so it
 * stays within k * 2^-100 of the true power. When every value in that interval rounds to the same double, that
 * double is the correctly rounded power, which is what exactPow returns; only otherwise (about once in 2^27
 * updates) is exactPow called. This replaces two exactPow calls per update and per distinct beta, which cost as
 * much as the element pass of a thousand trajectories.
 */
class BiasCorrectionSequence {
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly betaHigh: Float64Array;
  private readonly betaLow: Float64Array;
  private step = 0;

  constructor(private readonly betas: Float64Array) {
    this.high = new Float64Array(betas.length).fill(1);
    this.low = new Float64Array(betas.length);
    this.betaHigh = betas.map((beta) => SPLITTER * beta - (SPLITTER * beta - beta));
    this.betaLow = betas.map((beta, t) => beta - this.betaHigh[t]!);
  }

  /** Advances trajectories `0..count)` by one update and writes `1 - beta^k` into `out`. */
  advance(count: number, out: Float64Array): void {
    const k = ++this.step;
    const { high, low, betas, betaHigh, betaLow } = this;
    for (let t = 0; t < count; t++) {
      const beta = betas[t]!;
      const a = high[t]!;
      if (Math.abs(a) < NEGLIGIBLE_POWER) {
        out[t] = 1 - a;
        continue;
      }
      const product = a * beta;
      const split = SPLITTER * a;
      const aHigh = split - (split - a);
      const aLow = a - aHigh;
      const error = aHigh * betaHigh[t]! - product + aHigh * betaLow[t]! + aLow * betaHigh[t]! + aLow * betaLow[t]!;
      const tail = error + low[t]! * beta;
      const sum = product + tail;
      const remainder = tail - (sum - product);
      high[t] = sum;
      low[t] = remainder;
      const bound = k * TWO_TO_MINUS_100 * Math.abs(sum);
      const settled = sum + (remainder + bound) === sum && sum + (remainder - bound) === sum;
      out[t] = 1 - (settled ? sum : exactPow(beta, k));
    }
  }
}

/** Whether every trajectory has the same hyperparameters. */
function allEqual(hyper: readonly Hyperparameters[]): boolean {
  const first = JSON.stringify(hyper[0]);
  return hyper.every((h) => h === hyper[0] || JSON.stringify(h) === first);
}

/** One number per trajectory, read from its hyperparameters. */
function column(hyper: readonly Hyperparameters[], read: (h: Hyperparameters) => number | boolean): Float64Array {
  return Float64Array.from(hyper, (h) => Number(read(h)));
}

/**
 * Adam's element pass in the most common batched case: shared hyperparameters, plain arithmetic, no decay, no
 * AMSGrad, not maximizing. The loop body has no branches, so V8 keeps it as tight as hand-written C; the
 * operations and their grouping are exactly those of the general plain loops below, so results are identical.
 * Plain arithmetic multiplies by the reciprocal of the bias correction where PyTorch divides: the division unit
 * is what bounds this loop, and one division per element instead of two makes it about a third faster.
 */
function adamElementsPlain(
  x: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  n: number,
  b1: number,
  b2: number,
  eps: number,
  stepSize: number,
  inverseBiasCorrection2Sqrt: number,
): void {
  const oneMinusB1 = 1 - b1;
  const oneMinusB2 = 1 - b2;
  const negativeStepSize = -stepSize;
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const mi = oneMinusB1 * g + m[i]! * b1;
    const vi = oneMinusB2 * g * g + v[i]! * b2;
    m[i] = mi;
    v[i] = vi;
    x[i] = x[i]! + (negativeStepSize * mi) / (Math.sqrt(vi) * inverseBiasCorrection2Sqrt + eps);
  }
}

/** Adam's element pass when every trajectory shares its hyperparameters: all scalars, no per-trajectory loads. */
function adamElementsUniform(
  x: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  vMax: Float64Array,
  n: number,
  fused: boolean,
  amsgrad: boolean,
  decay: number,
  sign: number,
  l2: number,
  b1: number,
  b2: number,
  eps: number,
  stepSize: number,
  biasCorrection2Sqrt: number,
  inverseBiasCorrection2Sqrt: number,
): void {
  const oneMinusB1 = 1 - b1;
  const oneMinusB2 = 1 - b2;
  for (let i = 0; i < n; i++) {
    const xi = decay === 1 ? x[i]! : x[i]! * decay;
    let g = sign === 1 ? grad[i]! : sign * grad[i]!;
    let mi: number;
    let vi: number;
    if (fused) {
      if (l2 !== 0) g = fusedMultiplyAdd(l2, xi, g);
      mi = fusedMultiplyAdd(oneMinusB1, g, m[i]! * b1);
      vi = fusedMultiplyAdd(oneMinusB2 * g, g, v[i]! * b2);
    } else {
      if (l2 !== 0) g = l2 * xi + g;
      mi = oneMinusB1 * g + m[i]! * b1;
      vi = oneMinusB2 * g * g + v[i]! * b2;
    }
    m[i] = mi;
    v[i] = vi;
    if (amsgrad) {
      vi = Math.max(vMax[i]!, vi);
      vMax[i] = vi;
    }
    // A loop-invariant branch: PyTorch's division when fused, the plain loops' reciprocal otherwise.
    const root = fused ? Math.sqrt(vi) / biasCorrection2Sqrt : Math.sqrt(vi) * inverseBiasCorrection2Sqrt;
    x[i] = xi + (-stepSize * mi) / (root + eps);
  }
}

interface AdamColumns {
  readonly decay: Float64Array;
  readonly sign: Float64Array;
  readonly l2: Float64Array;
  readonly beta1: Float64Array;
  readonly beta2: Float64Array;
  readonly amsgrad: Float64Array;
  readonly eps: Float64Array;
  readonly stepSize: Float64Array;
  readonly biasCorrection2Sqrt: Float64Array;
  readonly inverseBiasCorrection2Sqrt: Float64Array;
}

/**
 * Adam's element pass over all trajectories, a top-level function with everything passed in: V8 optimizes
 * this much better than the same loop reading closure variables.
 */
function adamElements(
  x: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  vMax: Float64Array,
  n: number,
  dim: number,
  decoupled: boolean,
  fused: boolean,
  anyAmsgrad: boolean,
  columns: AdamColumns,
): void {
  const { decay, sign, l2, beta1, beta2, amsgrad, eps, stepSize, biasCorrection2Sqrt, inverseBiasCorrection2Sqrt } =
    columns;
  for (let i = 0, t = 0, j = 0; i < n; i++) {
    let xi = x[i]!;
    if (decoupled) xi = xi * decay[t]!;
    let g = sign[t]! * grad[i]!;
    const decayL2 = l2[t]!;
    const b1 = beta1[t]!;
    const b2 = beta2[t]!;
    let mi: number;
    let vi: number;
    // A loop-invariant branch keeps each call site monomorphic.
    if (fused) {
      if (decayL2 !== 0) g = fusedMultiplyAdd(decayL2, xi, g);
      mi = fusedMultiplyAdd(1 - b1, g, m[i]! * b1);
      vi = fusedMultiplyAdd((1 - b2) * g, g, v[i]! * b2);
    } else {
      if (decayL2 !== 0) g = decayL2 * xi + g;
      mi = (1 - b1) * g + m[i]! * b1;
      vi = (1 - b2) * g * g + v[i]! * b2;
    }
    m[i] = mi;
    v[i] = vi;
    if (anyAmsgrad && amsgrad[t] !== 0) {
      vi = Math.max(vMax[i]!, vi);
      vMax[i] = vi;
    }
    const root = fused ? Math.sqrt(vi) / biasCorrection2Sqrt[t]! : Math.sqrt(vi) * inverseBiasCorrection2Sqrt[t]!;
    const denominator = root + eps[t]!;
    x[i] = xi + (-stepSize[t]! * mi) / denominator;
    if (++j === dim) {
      j = 0;
      t++;
    }
  }
}

/**
 * Adam and AdamW. The element loop is one flat pass over all trajectories (V8 runs it about ten times faster
 * than a loop nest with a short inner loop); per-trajectory scalars are computed first into small arrays.
 */
function adam({ hyper, dim, count, fma }: KernelContext, decoupled: boolean): UpdateKernel {
  const n = dim * count;
  const m = zeros(n);
  const v = zeros(n);
  const anyAmsgrad = hyper.some((h) => h.amsgrad);
  const vMax = anyAmsgrad ? zeros(n) : v;
  const beta1 = column(hyper, (h) => h.beta1);
  const beta2 = column(hyper, (h) => h.beta2);
  const eps = column(hyper, (h) => h.eps);
  const amsgrad = column(hyper, (h) => h.amsgrad);
  const sign = column(hyper, (h) => (h.maximize ? -1 : 1));
  const l2 = column(hyper, (h) => (decoupled ? 0 : h.weightDecay));
  const stepSize = zeros(count);
  const biasCorrection2Sqrt = zeros(count);
  const inverseBiasCorrection2Sqrt = zeros(count);
  const decay = zeros(count).fill(1);
  const uniform = allEqual(hyper);
  const scalars = uniform ? 1 : count;
  const biasCorrection1 = zeros(scalars);
  const biasCorrection2 = zeros(scalars);
  const biasCorrections1 = new BiasCorrectionSequence(beta1.subarray(0, scalars));
  const biasCorrections2 = new BiasCorrectionSequence(beta2.subarray(0, scalars));
  const fused = fma === fusedMultiplyAdd;
  return {
    step(x, grad, lrOverride, lrScale) {
      // With identical hyperparameters (a batch of starts) the per-trajectory scalars are computed once.
      biasCorrections1.advance(scalars, biasCorrection1);
      biasCorrections2.advance(scalars, biasCorrection2);
      for (let t = 0; t < scalars; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        stepSize[t] = lr / biasCorrection1[t]!;
        biasCorrection2Sqrt[t] = Math.sqrt(biasCorrection2[t]!);
        inverseBiasCorrection2Sqrt[t] = 1 / biasCorrection2Sqrt[t]!;
        if (decoupled) decay[t] = 1 - lr * h.weightDecay;
      }
      if (uniform && !fused && !anyAmsgrad && decay[0] === 1 && sign[0] === 1 && l2[0] === 0) {
        adamElementsPlain(
          x,
          grad,
          m,
          v,
          n,
          beta1[0]!,
          beta2[0]!,
          eps[0]!,
          stepSize[0]!,
          inverseBiasCorrection2Sqrt[0]!,
        );
      } else if (uniform) {
        adamElementsUniform(
          x,
          grad,
          m,
          v,
          vMax,
          n,
          fused,
          anyAmsgrad,
          decay[0]!,
          sign[0]!,
          l2[0]!,
          beta1[0]!,
          beta2[0]!,
          eps[0]!,
          stepSize[0]!,
          biasCorrection2Sqrt[0]!,
          inverseBiasCorrection2Sqrt[0]!,
        );
      } else {
        adamElements(x, grad, m, v, vMax, n, dim, decoupled, fused, anyAmsgrad, {
          decay,
          sign,
          l2,
          beta1,
          beta2,
          amsgrad,
          eps,
          stepSize,
          biasCorrection2Sqrt,
          inverseBiasCorrection2Sqrt,
        });
      }
    },
  };
}

function nadam({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  const v = zeros(dim * count);
  const muProduct = new Float64Array(count).fill(1);
  const beta2Power = new PowerCache();
  const decayPower = new PowerCache();
  const decayPowerNext = new PowerCache();
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const beta1 = h.beta1;
        const beta2 = h.beta2;
        const biasCorrection2 = 1 - beta2Power.pow(beta2, stepCount);
        const mu = beta1 * (1 - 0.5 * decayPower.pow(0.96, stepCount * h.momentumDecay));
        const muNext = beta1 * (1 - 0.5 * decayPowerNext.pow(0.96, (stepCount + 1) * h.momentumDecay));
        const product = muProduct[t]! * mu;
        muProduct[t] = product;
        // PyTorch 1.13 multiplies the updated product by mu once more (product * mu * mu_next); kept as PyTorch runs it.
        const productNext = product * mu * muNext;
        const gradientWeight = (-lr * (1 - mu)) / (1 - product);
        const momentumWeight = (-lr * muNext) / (1 - productNext);
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const mi = fma(1 - beta1, g, m[i]! * beta1);
          m[i] = mi;
          const vi = fma((1 - beta2) * g, g, v[i]! * beta2);
          v[i] = vi;
          const denominator = Math.sqrt(vi / biasCorrection2) + h.eps;
          const xi = x[i]! + (gradientWeight * g) / denominator;
          x[i] = xi + (momentumWeight * mi) / denominator;
        }
      }
    },
  };
}

/** NAdam's weights for one update: `x -= (gradientWeight*g + momentumWeight*m) / (sqrt(v/biasCorrection2) + eps)`. */
export interface NadamStepWeights {
  readonly gradientWeight: number;
  readonly momentumWeight: number;
  readonly biasCorrection2: number;
}

/** Adagrad's step size at `step` (counted from 1): PyTorch's `clr = lr / (1 + (step - 1) * lr_decay)`, for every engine. */
export function adagradStepLr(lr: number, lrDecay: number, step: number): number {
  return lr / (1 + (step - 1) * lrDecay);
}

/**
 * NAdam's per-update scalars for the float32 engines (TensorFlow.js, ONNX Runtime), in double precision with the
 * kernel's formulas above: mu_t, mu_{t+1}, the running product of the mu's (PyTorch's `mu_product`, carried here
 * between calls, so consecutive steps cost one power each; a step earlier than the last one restarts it).
 */
export function nadamStepWeights(hyper: Hyperparameters): (step: number, lr: number) => NadamStepWeights {
  const mu = (step: number) => hyper.beta1 * (1 - 0.5 * exactPow(0.96, step * hyper.momentumDecay));
  let folded = 0;
  let product = 1;
  return (step, lr) => {
    if (step < folded) [folded, product] = [0, 1];
    while (folded < step) product *= mu(++folded);
    const current = mu(step);
    const next = mu(step + 1);
    return {
      gradientWeight: (lr * (1 - current)) / (1 - product),
      momentumWeight: (lr * next) / (1 - product * current * next),
      biasCorrection2: 1 - exactPow(hyper.beta2, step),
    };
  };
}

function radam({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  const v = zeros(dim * count);
  const beta1Powers = new PowerCache();
  const beta2Powers = new PowerCache();
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const beta1 = h.beta1;
        const beta2 = h.beta2;
        const biasCorrection1 = 1 - beta1Powers.pow(beta1, stepCount);
        const beta2Power = beta2Powers.pow(beta2, stepCount);
        const biasCorrection2 = 1 - beta2Power;
        const rhoInfinity = 2 / (1 - beta2) - 1;
        const rho = rhoInfinity - (2 * stepCount * beta2Power) / biasCorrection2;
        const rectified = rho > 5;
        const rectification = rectified
          ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInfinity) / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho))
          : 0;
        const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const mi = fma(1 - beta1, g, m[i]! * beta1);
          m[i] = mi;
          const vi = fma((1 - beta2) * g, g, v[i]! * beta2);
          v[i] = vi;
          const mHat = mi / biasCorrection1;
          if (rectified) {
            // Python's `float / tensor` is `tensor.reciprocal() * float`.
            const adaptiveLr = (1 / (Math.sqrt(vi) + h.eps)) * biasCorrection2Sqrt;
            x[i] = x[i]! + -1 * (mHat * lr * adaptiveLr * rectification);
          } else {
            x[i] = x[i]! + -1 * (mHat * lr);
          }
        }
      }
    },
  };
}

function adamax({ hyper, dim, count, fma }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  const u = zeros(dim * count);
  const beta1Power = new PowerCache();
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const clr = lrOf(h, lrOverride, lrScale) / (1 - beta1Power.pow(h.beta1, stepCount));
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = coupledGradient(fma, h, x[i]!, grad[i]!);
          const mi = fma(1 - h.beta1, g, m[i]! * h.beta1);
          m[i] = mi;
          const ui = Math.max(u[i]! * h.beta2, Math.abs(g) + h.eps);
          u[i] = ui;
          x[i] = x[i]! + (-clr * mi) / ui;
        }
      }
    },
  };
}

/** DeepSpeed FusedAdam: bias-corrected moments, eps outside the square root, decoupled decay in adam_w_mode. */
function fusedAdam({ hyper, dim, count }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  const v = zeros(dim * count);
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const biasCorrection1 = h.biasCorrection ? 1 - Math.pow(h.beta1, stepCount) : 1;
        const biasCorrection2 = h.biasCorrection ? 1 - Math.pow(h.beta2, stepCount) : 1;
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const xi = x[i]!;
          let g = grad[i]!;
          if (!h.adamWMode) g += h.weightDecay * xi;
          const mi = h.beta1 * m[i]! + (1 - h.beta1) * g;
          const vi = h.beta2 * v[i]! + (1 - h.beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          let update = mi / biasCorrection1 / (Math.sqrt(vi / biasCorrection2) + h.eps);
          if (h.adamWMode) update += h.weightDecay * xi;
          x[i] = xi - lr * update;
        }
      }
    },
  };
}

function lion({ hyper, dim, count }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = grad[i]!;
          const interpolated = h.beta1 * m[i]! + (1 - h.beta1) * g;
          x[i] = x[i]! * (1 - lr * h.weightDecay) - lr * Math.sign(interpolated);
          m[i] = h.beta2 * m[i]! + (1 - h.beta2) * g;
        }
      }
    },
  };
}

function gd({ hyper, dim, count }: KernelContext): UpdateKernel {
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const lr = lrOf(hyper[t]!, lrOverride, lrScale);
        for (let i = t * dim, end = i + dim; i < end; i++) x[i] = x[i]! - lr * grad[i]!;
      }
    },
  };
}

function normalizedGd({ hyper, dim, count }: KernelContext): UpdateKernel {
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const lr = lrOf(hyper[t]!, lrOverride, lrScale);
        let squares = 0;
        for (let i = t * dim, end = i + dim; i < end; i++) squares += grad[i]! * grad[i]!;
        // A zero gradient has no direction: the iterate stays where it is.
        if (squares === 0) continue;
        const scale = lr / Math.sqrt(squares);
        for (let i = t * dim, end = i + dim; i < end; i++) x[i] = x[i]! - scale * grad[i]!;
      }
    },
  };
}

function signGd({ hyper, dim, count }: KernelContext): UpdateKernel {
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const lr = lrOf(hyper[t]!, lrOverride, lrScale);
        for (let i = t * dim, end = i + dim; i < end; i++) x[i] = x[i]! - lr * Math.sign(grad[i]!);
      }
    },
  };
}

function norm(values: Float64Array, start: number, end: number): number {
  let squares = 0;
  for (let i = start; i < end; i++) squares += values[i]! * values[i]!;
  return Math.sqrt(squares);
}

/** LAMB as DeepSpeed's FusedLamb runs it: Adam direction plus decay, scaled per block by a clamped trust ratio. */
function lamb({ hyper, dim, count, blocks }: KernelContext): UpdateKernel {
  const m = zeros(dim * count);
  const v = zeros(dim * count);
  const update = zeros(dim * count);
  let stepCount = 0;
  return {
    step(x, grad, lrOverride, lrScale) {
      stepCount += 1;
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        const biasCorrection1 = h.biasCorrection ? 1 - Math.pow(h.beta1, stepCount) : 1;
        const biasCorrection2 = h.biasCorrection ? 1 - Math.pow(h.beta2, stepCount) : 1;
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = grad[i]!;
          const mi = h.beta1 * m[i]! + (1 - h.beta1) * g;
          const vi = h.beta2 * v[i]! + (1 - h.beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          const vHat = vi / biasCorrection2;
          const denominator = h.epsInsideSqrt ? Math.sqrt(vHat + h.eps) : Math.sqrt(vHat) + h.eps;
          update[i] = mi / biasCorrection1 / denominator + h.weightDecay * x[i]!;
        }
        let start = t * dim;
        for (const length of blocks) {
          const end = start + length;
          const weightNorm = norm(x, start, end);
          const updateNorm = norm(update, start, end);
          const trust =
            weightNorm > 0 && updateNorm > 0 ? Math.min(h.maxCoeff, Math.max(h.minCoeff, weightNorm / updateNorm)) : 1;
          for (let i = start; i < end; i++) x[i] = x[i]! - lr * trust * update[i]!;
          start = end;
        }
      }
    },
  };
}

/** LARS: momentum SGD whose lr is scaled per block by `trust_coefficient * ||w|| / (||g|| + wd * ||w||)`. */
function lars({ hyper, dim, count, blocks }: KernelContext): UpdateKernel {
  const buf = zeros(dim * count);
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        const lr = lrOf(h, lrOverride, lrScale);
        let start = t * dim;
        for (const length of blocks) {
          const end = start + length;
          const weightNorm = norm(x, start, end);
          const gradientNorm = norm(grad, start, end);
          const denominator = gradientNorm + h.weightDecay * weightNorm;
          const localLr = weightNorm > 0 && denominator > 0 ? (h.trustCoefficient * weightNorm) / denominator : 1;
          for (let i = start; i < end; i++) {
            const d = grad[i]! + h.weightDecay * x[i]!;
            const b = h.momentum * buf[i]! + lr * localLr * d;
            buf[i] = b;
            x[i] = x[i]! - b;
          }
          start = end;
        }
      }
    },
  };
}

/** `torch.sign` as PyTorch 1.13 computes it on CPU: NaN has sign 0 (Math.sign gives NaN). */
function torchSign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/**
 * Rprop (torch.optim.Rprop, 1.13 single-tensor path). Each coordinate's step size starts at the lr of the first
 * update and then ignores the lr (PyTorch fills `step_size` once, so a schedule changes nothing after step 1).
 * The step size is multiplied by etaplus, etaminus or 1 as `sign(g * prev)` is positive, negative or zero (a NaN
 * product has sign 0 in PyTorch), then clamped; on a sign flip the gradient is zeroed, so that coordinate stays
 * put and the next update counts as "no sign". Every product is exact except `step_size * factor`, so plain and
 * fused arithmetic agree.
 */
function rprop({ hyper, dim, count }: KernelContext): UpdateKernel {
  const previous = zeros(dim * count);
  const stepSize = zeros(dim * count);
  let started = false;
  return {
    step(x, grad, lrOverride, lrScale) {
      for (let t = 0; t < count; t++) {
        const h = hyper[t]!;
        if (!started) stepSize.fill(lrOf(h, lrOverride, lrScale), t * dim, (t + 1) * dim);
        for (let i = t * dim, end = i + dim; i < end; i++) {
          const g = h.maximize ? -grad[i]! : grad[i]!;
          const agreement = torchSign(g * previous[i]!);
          const factor = agreement > 0 ? h.etaPlus : agreement < 0 ? h.etaMinus : 1;
          stepSize[i] = Math.min(Math.max(stepSize[i]! * factor, h.stepSizeMin), h.stepSizeMax);
          const kept = factor === h.etaMinus ? 0 : g;
          // addcmul_(sign(grad), step_size, value=-1): the products are exact, one rounding in the sum.
          x[i] = x[i]! + -1 * torchSign(kept) * stepSize[i]!;
          previous[i] = kept;
        }
      }
      started = true;
    },
  };
}

/** What the engines need to know about one update rule. */
export interface UpdateRuleRecipe {
  /** The float64 kernel (simulator, batched sweeps, reference vectors). */
  readonly kernel: (context: KernelContext) => UpdateKernel;
  /**
   * The LR range test trains with it. Then `compute/optimizerStep.ts` (TensorFlow.js) and
   * `compute/onnx/trainingGraph.ts` (ONNX Runtime) must implement it: their records are keyed by
   * `RangeTestUpdateRule`, so the compiler lists what a rule marked `true` here is missing.
   */
  readonly rangeTest: boolean;
}

/**
 * The one table of update rules: adding an optimizer to the engines starts here (see CONTRIBUTING). The key is the
 * catalog entry's name (`catalog/optimizers.ts`); every "supported" list derives from this table.
 */
export const UPDATE_RULES = {
  SGD: { kernel: sgd, rangeTest: true },
  Adam: { kernel: (context) => adam(context, false), rangeTest: true },
  AdamW: { kernel: (context) => adam(context, true), rangeTest: true },
  RMSprop: { kernel: rmsprop, rangeTest: true },
  Adagrad: { kernel: adagrad, rangeTest: true },
  Adadelta: { kernel: adadelta, rangeTest: false },
  NAdam: { kernel: nadam, rangeTest: true },
  RAdam: { kernel: radam, rangeTest: false },
  Adamax: { kernel: adamax, rangeTest: false },
  FusedAdam: { kernel: fusedAdam, rangeTest: false },
  Lamb: { kernel: lamb, rangeTest: false },
  Lion: { kernel: lion, rangeTest: false },
  GD: { kernel: gd, rangeTest: false },
  NormalizedGD: { kernel: normalizedGd, rangeTest: false },
  SignGD: { kernel: signGd, rangeTest: false },
  LARS: { kernel: lars, rangeTest: false },
  // Full-batch by design (it reads gradient signs only), so the mini-batch range test does not train with it.
  Rprop: { kernel: rprop, rangeTest: false },
} as const satisfies Readonly<Record<string, UpdateRuleRecipe>>;

/** The update rules the engine runs. Catalogued optimizers outside this list are refused with an issue. */
export type UpdateRuleName = keyof typeof UPDATE_RULES;

/** The rules the LR range test trains with, on every engine (torch.optim's single-tensor update rules). */
export type RangeTestUpdateRule = {
  [Rule in UpdateRuleName]: (typeof UPDATE_RULES)[Rule]['rangeTest'] extends true ? Rule : never;
}[UpdateRuleName];

/** Every rule of the table, in its order. */
export const UPDATE_RULE_NAMES = Object.keys(UPDATE_RULES) as readonly UpdateRuleName[];

export function isUpdateRule(name: string): name is UpdateRuleName {
  return Object.prototype.hasOwnProperty.call(UPDATE_RULES, name);
}

export function isRangeTestRule(rule: UpdateRuleName): rule is RangeTestUpdateRule {
  return UPDATE_RULES[rule].rangeTest;
}

/** The rules the range test runs, in the table's order. */
export const RANGE_TEST_RULES: readonly RangeTestUpdateRule[] = UPDATE_RULE_NAMES.filter(isRangeTestRule);

/**
 * Builds the kernel of one rule for `count` trajectories that each carry their own hyperparameters.
 * `fused` arithmetic reproduces PyTorch's CPU kernels bit for bit on the reference cases; `plain` differs by
 * about an ulp per multiply-add and runs several times faster (batched sweeps, where that does not matter).
 */
export function createKernel(
  rule: UpdateRuleName,
  hyper: readonly Hyperparameters[],
  dim: number,
  blocks: readonly number[],
  arithmetic: 'fused' | 'plain' = 'fused',
): UpdateKernel {
  return UPDATE_RULES[rule].kernel({
    hyper,
    dim,
    count: hyper.length,
    blocks,
    fma: arithmetic === 'fused' ? fusedMultiplyAdd : plainMultiplyAdd,
  });
}
