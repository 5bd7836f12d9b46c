// The optimizer engine: PyTorch 1.13's update rules (plus DeepSpeed and teaching rules) for one trajectory or a batch.

import { resolveOptimizer, type Hyperparameters } from './hyperparameters';
import { createKernel } from './updateRules';
import type { BatchedOptimizer, Optimizer, OptimizerConfig, OptimizerIssue, OptimizerOptions } from './types';

export type { BatchedOptimizer, Optimizer, OptimizerConfig, OptimizerIssue, OptimizerOptions } from './types';
export { resolveOptimizer } from './hyperparameters';
export type { Hyperparameters, ResolvedOptimizer, UpdateRuleName } from './hyperparameters';

function checkBlocks(
  dim: number,
  options: OptimizerOptions | undefined,
  issues: OptimizerIssue[],
): readonly number[] | null {
  const blocks = options?.blocks;
  if (blocks === undefined || blocks.length === 0) return [dim];
  const valid = blocks.every((length) => Number.isInteger(length) && length > 0);
  const total = blocks.reduce((sum, length) => sum + length, 0);
  if (!valid || total !== dim) {
    issues.push({
      path: ['blocks'],
      message: `Blocks must be positive whole lengths that add up to the dimension ${dim}; got [${blocks.join(', ')}].`,
    });
    return null;
  }
  return blocks;
}

/**
 * A single-trajectory optimizer of dimension `dim`. The config's `params` are the keyword arguments as written;
 * defaults come from the catalog. Returns `optimizer: null` with issues for an unknown type, a bad argument
 * or an optimizer the engine does not run.
 */
export function createOptimizer(
  config: OptimizerConfig,
  dim: number,
  options?: OptimizerOptions,
): { optimizer: Optimizer | null; issues: OptimizerIssue[] } {
  const { optimizer, issues } = createBatchedOptimizer([config], dim, options);
  if (!optimizer) return { optimizer: null, issues };
  return {
    optimizer: {
      dim,
      step(x: Float64Array, grad: Float64Array, lrOverride?: number): void {
        optimizer.stepWithOverride(x, grad, lrOverride ?? Number.NaN);
      },
    },
    issues,
  };
}

interface BatchedOptimizerWithOverride extends BatchedOptimizer {
  stepWithOverride(x: Float64Array, grad: Float64Array, lrOverride: number): void;
}

/**
 * `configs.length` trajectories of dimension `dim`, stored row by row in one Float64Array. All configs must use
 * the same update rule (a grid varies hyperparameters, not the rule). Issues carry the config index first.
 */
export function createBatchedOptimizer(
  configs: readonly OptimizerConfig[],
  dim: number,
  options?: OptimizerOptions,
): { optimizer: BatchedOptimizerWithOverride | null; issues: OptimizerIssue[] } {
  const issues: OptimizerIssue[] = [];
  if (!Number.isInteger(dim) || dim < 1) {
    issues.push({ path: [], message: `The dimension must be a positive whole number, got ${dim}.` });
    return { optimizer: null, issues };
  }
  if (configs.length === 0) {
    issues.push({ path: [], message: 'No optimizer to run.' });
    return { optimizer: null, issues };
  }
  const blocks = checkBlocks(dim, options, issues);
  const hyper: Hyperparameters[] = [];
  let rule: string | undefined;
  configs.forEach((config, index) => {
    const result = resolveOptimizer(config);
    const prefix = configs.length > 1 ? [index] : [];
    for (const issue of result.issues) issues.push({ path: [...prefix, ...issue.path], message: issue.message });
    if (!result.resolved) return;
    if (rule !== undefined && result.resolved.rule !== rule) {
      issues.push({
        path: [...prefix, 'type'],
        message: `A batch runs one update rule; \`${result.resolved.rule}\` differs from \`${rule}\`.`,
      });
      return;
    }
    rule = result.resolved.rule;
    hyper.push(result.resolved.hyperparameters);
  });
  if (issues.length > 0 || rule === undefined || blocks === null) return { optimizer: null, issues };
  const kernel = createKernel(
    rule as Parameters<typeof createKernel>[0],
    hyper,
    dim,
    blocks,
    options?.arithmetic ?? 'fused',
  );
  const count = configs.length;
  return {
    optimizer: {
      dim,
      count,
      step(x: Float64Array, grad: Float64Array, lrScale = 1): void {
        kernel.step(x, grad, Number.NaN, lrScale);
      },
      stepWithOverride(x: Float64Array, grad: Float64Array, lrOverride: number): void {
        kernel.step(x, grad, lrOverride, 1);
      },
    },
    issues,
  };
}
