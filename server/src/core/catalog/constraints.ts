// Checks between the arguments of one optimizer that the library enforces when it is constructed. One function,
// used by the lint rule (OL226) and by the engines (`resolveOptimizer`), so lint and `optlens simulate` agree.

import type { OptimizerEntry } from './types';

export interface ConstraintViolation {
  /** The keyword argument the message is about (where the problem is shown). */
  readonly param: string;
  readonly message: string;
}

function numberOf(params: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * What the optimizer's constructor would refuse, given its resolved keyword arguments (defaults filled in).
 * Values of the wrong type are left to the type checks and read as their defaults here.
 */
export function optimizerConstraintViolations(
  entry: OptimizerEntry,
  params: Readonly<Record<string, unknown>>,
): ConstraintViolation[] {
  const out: ConstraintViolation[] = [];
  if (entry.name === 'SGD' && params.nesterov === true) {
    const momentum = numberOf(params, 'momentum', 0);
    const dampening = numberOf(params, 'dampening', 0);
    if (momentum <= 0 || dampening !== 0) {
      const what = momentum <= 0 ? `momentum is ${momentum}` : `dampening is ${dampening}`;
      out.push({
        param: 'nesterov',
        message: `Nesterov momentum requires \`momentum > 0\` and \`dampening: 0\`, but ${what}: PyTorch raises ValueError.`,
      });
    }
  }
  if (params.amsgrad === true && (entry.name === 'FusedAdam' || entry.name === 'Lamb')) {
    out.push({
      param: 'amsgrad',
      message: `\`${entry.name}\` does not support \`amsgrad\` (DeepSpeed raises a RuntimeError).`,
    });
  }
  const etas = params.etas;
  if (entry.name === 'Rprop' && Array.isArray(etas) && typeof etas[0] === 'number' && typeof etas[1] === 'number') {
    if (!(0 < etas[0] && etas[0] < 1 && 1 < etas[1]))
      out.push({
        param: 'etas',
        message: `Rprop needs \`0 < etas[0] < 1 < etas[1]\`, got [${etas[0]}, ${etas[1]}]: PyTorch raises ValueError.`,
      });
  }
  return out;
}

/** A momentum factor that makes the optimizer diverge (PyTorch accepts it); undefined when it is fine. */
export function divergingMomentum(
  entry: OptimizerEntry,
  params: Readonly<Record<string, unknown>>,
): string | undefined {
  if (!entry.hasMomentum) return undefined;
  const momentum = params.momentum;
  if (typeof momentum !== 'number' || !(momentum >= 1)) return undefined;
  return `momentum ${momentum} is at or above 1: past gradients never fade from the buffer, so the steps grow without bound and training diverges (PyTorch accepts it). Usual values are 0.9 to 0.99.`;
}
