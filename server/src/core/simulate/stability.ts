// What each simulated run did, in one sentence: a proven stability bound where one holds for that optimizer on that
// landscape, otherwise the behaviour measured from the run's own trajectory.
//
// The bounds (a quadratic with constant Hessian eigenvalues lambda_i > 0, gradient g = lambda x per eigen-direction,
// h = lr * lambda, PyTorch's SGD update):
// - plain gradient descent: x <- (1 - h) x, stable iff 0 < h < 2, so lr < 2 / lambda_max;
// - heavy ball (momentum beta, dampening tau, PyTorch's buffer b <- beta b + (1 - tau) g, x <- x - lr b):
//   x_{k+1} = (1 + beta - (1 - tau) h) x_k - beta x_{k-1}; by the Jury criterion for z^2 - T z + D both roots lie
//   in the unit disc iff |D| < 1 and |T| < 1 + D, that is 0 < (1 - tau) h < 2 (1 + beta): lr < 2 (1 + beta) / ((1 - tau) lambda_max);
// - Nesterov (PyTorch's d = g + beta b, with zero dampening as PyTorch requires): on the state (x_k, lr b_{k-1}) the
//   update matrix has T = (1 + beta)(1 - h) and D = beta (1 - h), and the same criterion gives
//   0 < h < 2 (1 + beta) / (1 + 2 beta): lr < 2 (1 + beta) / ((1 + 2 beta) lambda_max).
// Coupled weight decay wd adds wd to every eigenvalue. PyTorch's first step (the buffer starts as g, undamped)
// changes only the initial state, not these limits. Tests check each limit by running just below and just above it.

import { resolveOptimizer, type OptimizerConfig } from '../optim/index';
import { formatNumber as formatProductNumber } from '../util/numberFormat';
import type { RunMotion, SimulateRun } from './simulate';

/** What a statement says happened: a bound's verdict, or the measured behaviour. */
export type RunVerdict =
  'stable' | 'unstable' | 'diverged' | 'growing' | 'converged' | 'oscillating' | 'descending' | 'drifting';

export interface StabilityBound {
  /** The rule in words: `2/λmax`, `2(1+β)/λmax`, ... */
  readonly rule: string;
  /** The lr limit: stable iff lr < limit. */
  readonly limit: number;
  /** The largest lr the run used (its lr times the largest schedule factor). */
  readonly lr: number;
  /** Largest curvature the optimizer sees: the Hessian's largest eigenvalue plus coupled weight decay. */
  readonly lambdaMax: number;
}

export interface RunStatement {
  readonly label: string;
  /** `bound`: a stability limit proven for this optimizer on this quadratic; `measured`: from the trajectory. */
  readonly basis: 'bound' | 'measured';
  readonly verdict: RunVerdict;
  readonly text: string;
  readonly bound?: StabilityBound;
}

/** What the statements need to know about the simulation besides the runs. */
export interface StatementContext {
  /** The Hessian's eigenvalues where they are constant (diagonal quadratics). */
  readonly eigenvalues?: readonly number[];
  /** Gradient noise makes the dynamics random: no bound is claimed then. */
  readonly noisy?: boolean;
  /** Schedule factors of each run's lr, one per update. */
  readonly lrFactors?: readonly number[];
}

/**
 * Criterion of the measured statements (documented in docs/simulate.md), on the run's RunMotion:
 * - diverged: the simulator stopped the run (non-finite or beyond 1e150);
 * - growing: the final loss exceeds the start loss by more than 9 times its size and the loss rose over the tail;
 * - converged: the second half of the tail moved at most half the path of the first half (the steps shrink) and
 *   the whole tail moved at most a tenth of the run's reach (its largest distance from the start);
 * - oscillating: over the tail the run ended less than half its path length away from where the tail began
 *   (it goes back and forth, orbits or jitters) without the steps shrinking;
 * - descending: none of the above and the loss fell over the tail (still on its way, not converged);
 * - drifting: none of the above.
 */
export const MEASURED_CRITERIA = {
  growthFactor: 10,
  shrink: 0.5,
  tailShareOfReach: 0.1,
  backAndForth: 0.5,
} as const;

/** One statement per run, in the order of `runs`. */
export function runStatements(runs: readonly SimulateRun[], context: StatementContext): RunStatement[] {
  return runs.map((run) => {
    const bound = stabilityBound(run, context);
    if (bound) return bound;
    return measuredStatement(run);
  });
}

/** The rule and limit for optimizers that have one on a quadratic, or null. */
export function boundFor(
  optimizer: OptimizerConfig,
  eigenvalues: readonly number[],
): { rule: string; coefficient: number; lambdaMax: number; lambdaMin: number; weightDecay: number; lr: number } | null {
  const { resolved } = resolveOptimizer(optimizer);
  if (!resolved || eigenvalues.length === 0) return null;
  const h = resolved.hyperparameters;
  if (!(h.lr > 0)) return null;
  let rule: string;
  let coefficient: number;
  let weightDecay = 0;
  if (resolved.rule === 'GD') {
    rule = '2/λmax';
    coefficient = 2;
  } else if (resolved.rule === 'SGD') {
    if (h.maximize) return null;
    weightDecay = h.weightDecay;
    const beta = h.momentum;
    const tau = h.dampening;
    if (!(beta >= 0 && beta < 1)) return null;
    if (beta === 0) {
      rule = '2/λmax';
      coefficient = 2;
    } else if (h.nesterov) {
      if (tau !== 0) return null;
      rule = '2(1+β)/((1+2β)λmax)';
      coefficient = (2 * (1 + beta)) / (1 + 2 * beta);
    } else {
      if (!(tau >= 0 && tau < 1)) return null;
      rule = tau === 0 ? '2(1+β)/λmax' : '2(1+β)/((1−τ)λmax)';
      coefficient = (2 * (1 + beta)) / (1 - tau);
    }
  } else {
    return null;
  }
  const lambdaMax = Math.max(...eigenvalues) + weightDecay;
  const lambdaMin = Math.min(...eigenvalues) + weightDecay;
  return { rule, coefficient, lambdaMax, lambdaMin, weightDecay, lr: h.lr };
}

function stabilityBound(run: SimulateRun, context: StatementContext): RunStatement | null {
  const eigenvalues = context.eigenvalues;
  if (!eigenvalues || context.noisy) return null;
  const found = boundFor(run.optimizer, eigenvalues);
  // A direction with curvature <= 0 is never contracted: no bound, the measurement says what happened.
  if (!found || !(found.lambdaMin > 0) || !Number.isFinite(found.lambdaMax)) return null;
  const factors = context.lrFactors && context.lrFactors.length > 0 ? context.lrFactors : [1];
  const largestFactor = Math.max(...factors);
  const constantLr = factors.every((factor) => factor === factors[0]);
  const lr = found.lr * largestFactor;
  const limit = found.coefficient / found.lambdaMax;
  const bound: StabilityBound = { rule: found.rule, limit, lr, lambdaMax: found.lambdaMax };
  const comparison = `lr ${formatNumber(lr)} ${lr < limit ? '<' : '≥'} ${found.rule} = ${formatNumber(limit)} (λmax = ${formatNumber(found.lambdaMax)})`;
  const scheduled = constantLr ? '' : ' at its largest scheduled value';
  if (lr < limit) {
    // With a schedule every update is contracting when the largest lr is: a sufficient condition.
    const gd = found.rule === '2/λmax';
    const overshoot =
      gd && lr * found.lambdaMax > 1
        ? `; the steepest direction is multiplied by ${formatNumber(1 - lr * found.lambdaMax)} per update, so it changes side every update while it shrinks`
        : '';
    const slowest = gd && constantLr ? `; the slowest by ${formatNumber(Math.abs(1 - lr * found.lambdaMin))}` : '';
    return {
      label: run.label,
      basis: 'bound',
      verdict: 'stable',
      bound,
      text: `Stable: ${comparison}${scheduled}. Every direction of this quadratic contracts${overshoot}${slowest}.`,
    };
  }
  // Past the limit the claim needs a constant lr, and a start that has a component along an unstable direction.
  if (!constantLr) return null;
  const start = run.x[0] ?? [];
  const unstableStart = eigenvalues.some(
    (lambda, i) => lr * (lambda + found.weightDecay) >= found.coefficient && (start[i] ?? 0) !== 0,
  );
  if (!unstableStart) return null;
  const growth =
    found.rule === '2/λmax'
      ? `: the steepest direction is multiplied by ${formatNumber(1 - lr * found.lambdaMax)} per update and grows`
      : ': the steepest direction grows without end';
  return { label: run.label, basis: 'bound', verdict: 'unstable', bound, text: `Unstable: ${comparison}${growth}.` };
}

/** The measured statement of a run (see MEASURED_CRITERIA). */
export function measuredStatement(run: SimulateRun): RunStatement {
  const measured = (verdict: RunVerdict, text: string): RunStatement => ({
    label: run.label,
    basis: 'measured',
    verdict,
    text: `${text} (measured)`,
  });
  if (run.divergedAt !== undefined)
    return measured(
      'diverged',
      `Diverged: the loss or a coordinate passed 1e150 or stopped being finite at update ${run.divergedAt}`,
    );
  const motion = run.motion;
  if (!motion) return measured('drifting', 'Stopped before the end: no statement about where it was going');
  const verdict = classify(motion);
  return measured(verdict, describe(verdict, motion));
}

export function classify(motion: RunMotion): RunVerdict {
  const c = MEASURED_CRITERIA;
  const tailPath = motion.firstHalfPath + motion.secondHalfPath;
  if (
    motion.finalLoss - motion.startLoss > (c.growthFactor - 1) * Math.abs(motion.startLoss) &&
    motion.finalLoss > motion.tailFirstLoss
  )
    return 'growing';
  const shrinking = motion.secondHalfPath <= c.shrink * motion.firstHalfPath;
  if (tailPath === 0 || (shrinking && tailPath <= c.tailShareOfReach * motion.reach)) return 'converged';
  if (motion.tailDisplacement < c.backAndForth * tailPath) return 'oscillating';
  if (motion.finalLoss < motion.tailFirstLoss) return 'descending';
  return 'drifting';
}

function describe(verdict: RunVerdict, motion: RunMotion): string {
  const tailUpdates = motion.updates - motion.tailStart;
  const tailPath = motion.firstHalfPath + motion.secondHalfPath;
  const [low, high] = formatPair(motion.tailMinLoss, motion.tailMaxLoss);
  const band =
    low === high
      ? `loss ${low} throughout the last ${tailUpdates} updates`
      : `loss between ${low} and ${high} over the last ${tailUpdates} updates`;
  const [tailFirst, final] = formatPair(motion.tailFirstLoss, motion.finalLoss);
  switch (verdict) {
    case 'growing':
      return `Diverging: the loss grew from ${formatNumber(motion.startLoss)} to ${formatNumber(motion.finalLoss)} and was still growing`;
    case 'converged':
      return tailPath === 0
        ? `Converged: it stopped moving, at loss ${formatNumber(motion.finalLoss)}`
        : `Converged: its steps shrink (the last ${motion.updates - motion.tailMiddle} updates moved ${formatNumber(motion.secondHalfPath)} in all, the ${motion.tailMiddle - motion.tailStart} before them ${formatNumber(motion.firstHalfPath)}), final loss ${formatNumber(motion.finalLoss)}`;
    case 'oscillating':
      return `Oscillating, not settling: over the last ${tailUpdates} updates it travelled ${formatNumber(tailPath)} but ended ${formatNumber(motion.tailDisplacement)} from where they began, and its steps do not shrink; ${band}`;
    case 'descending':
      return `Still descending, not converged after ${motion.updates} updates: the loss fell from ${tailFirst} to ${final} over the last ${tailUpdates} and the steps do not shrink`;
    default:
      return `Still moving: the loss did not fall over the last ${tailUpdates} updates (${tailFirst} to ${final}) and the steps do not shrink`;
  }
}

/** Two numbers with just enough digits (3 to 8) to tell them apart when they differ. */
function formatPair(a: number, b: number): [string, string] {
  for (let digits = 3; digits < 8; digits++) {
    const pair: [string, string] = [formatProductNumber(a, digits), formatProductNumber(b, digits)];
    if (pair[0] !== pair[1] || a === b) return pair;
  }
  return [formatProductNumber(a, 8), formatProductNumber(b, 8)];
}

/** The product's number format, with three significant digits. */
function formatNumber(value: number): string {
  return formatProductNumber(value, 3);
}
