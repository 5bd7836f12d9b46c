// Compute jobs: pure async functions `(params, progress, isCancelled) => result` that the worker runs.

import * as path from 'node:path';
import type { OptimizerConfig } from '../core/optim/types';
import { resolveOptimizer } from '../core/optim/hyperparameters';
import { RangeTestRecorder, rangeTestLearningRates } from '../core/rangeTest/index';
import type { RangeTestCurve, RangeTestParams } from '../core/rangeTest/index';
import { runSimulation, type SimulationSummary } from '../core/features/simulation';
import type { SimulateRequest } from '../core/simulate/index';
import { listBackends, loadBackend } from './backends';
import type { BackendName, BackendOptions, BackendStatus } from './backends';
import { rangeTestEngines } from './engines';
import { RangeTestInputError } from './tasks';

/** What a job reports while it runs. */
export interface JobProgress {
  readonly message: string;
  /** 0..1 when known. */
  readonly fraction?: number;
  /** Job-specific data, e.g. the range test's latest point. */
  readonly data?: unknown;
}

export type Job<Params, Result> = (
  params: Params,
  progress: (update: JobProgress) => void,
  isCancelled: () => boolean,
) => Promise<Result>;

export interface RangeTestJobParams {
  readonly rangeTest: RangeTestParams;
  readonly optimizer: OptimizerConfig;
  readonly backend?: BackendOptions;
  /** Where `range_test.model` and `range_test.data` are resolved from (the config's workspace folder). */
  readonly workspaceRoot?: string;
}

/** The recorded curve (lrs, losses, smoothed, how it stopped, suggestions, notes) and where it ran. */
export interface RangeTestResult extends RangeTestCurve {
  /** The backend that ran the test. */
  readonly backend: BackendName;
  /** Backends tried before it, with the reason each did not load. */
  readonly backendAttempts: readonly BackendStatus[];
  readonly task: string;
  readonly seconds: number;
}

/**
 * Runs Leslie Smith's LR range test. Throws RangeTestInputError for a config or input problem the user must
 * fix; anything else thrown is a bug or an environment failure. Cancellation is checked between iterations and
 * returns the partial curve with `stopped: 'cancelled'`.
 */
export const rangeTestJob: Job<RangeTestJobParams, RangeTestResult> = async (params, progress, isCancelled) => {
  const started = performance.now();
  const { resolved, issues } = resolveOptimizer(params.optimizer);
  if (!resolved)
    throw new RangeTestInputError(`The optimizer cannot be run: ${issues.map((issue) => issue.message).join(' ')}`);
  const rangeTest = params.rangeTest;
  progress({ message: 'Loading a compute backend', fraction: 0 });
  // The filter and the engine share one read of the user's model.json.
  const engines = rangeTestEngines(
    rangeTest,
    resolved.rule,
    resolved.hyperparameters,
    params.workspaceRoot ?? process.cwd(),
  );
  const backend = await loadBackend(params.backend, engines.filter);
  const engine = await engines.create(backend);

  const ramp = rangeTestLearningRates(rangeTest.startLr, rangeTest.endLr, rangeTest.numIter, rangeTest.stepMode);
  // On GPU backends several steps are queued before one read-back. The curve is the same either way: only the
  // moment the early stop is noticed moves, and the extra steps are dropped.
  const recorder = new RangeTestRecorder({
    ramp,
    smooth: rangeTest.smooth,
    divergeThreshold: rangeTest.divergeThreshold,
  });
  let ended: 'completed' | 'cancelled' = 'completed';

  /** Takes in losses as they are read back; true when the test must stop (diverged or NaN). */
  const record = (values: readonly number[]): boolean => {
    for (const loss of values) {
      const { point, stop } = recorder.add(loss);
      if (point) {
        progress({
          message: `Iteration ${point.index + 1}/${ramp.length}, lr ${point.lr.toExponential(2)}`,
          fraction: (point.index + 1) / ramp.length,
          data: point,
        });
      }
      if (stop) return true;
    }
    return false;
  };

  try {
    for (let iteration = 0; iteration < ramp.length; iteration++) {
      if (isCancelled()) {
        ended = 'cancelled';
        break;
      }
      const values = await engine.step(ramp[iteration]!, iteration === ramp.length - 1);
      if (values.length === 0) continue;
      if (record(values)) break;
      // Yield to the event loop so progress messages leave the worker while the test runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (ended === 'cancelled') record(engine.flush());
  } finally {
    await engine.dispose();
  }

  const curve = recorder.finish(ended, rangeTest.numIter);
  const notes = [...curve.notes];
  for (const issue of issues) notes.push(`Optimizer: ${issue.message}`);
  return {
    backend: backend.name,
    backendAttempts: backend.attempts,
    task: engine.description,
    lrs: curve.lrs,
    losses: curve.losses,
    smoothed: curve.smoothed,
    stopped: curve.stopped,
    suggestions: curve.suggestions,
    notes,
    seconds: (performance.now() - started) / 1000,
  };
};

/** Lists every backend with whether it loads here and why not. */
export const listBackendsJob: Job<{ backend?: BackendOptions }, BackendStatus[]> = async (params) =>
  listBackends(params.backend);

/** Loss-landscape simulations: pure Float64Array loops in the worker, so the language server keeps answering. */
export const simulateJob: Job<SimulateRequest, SimulationSummary> = async (request, progress, isCancelled) =>
  runSimulation(
    request,
    (fraction) => progress({ message: `simulating (${Math.round(fraction * 100)}%)`, fraction }),
    isCancelled,
  );

/** The jobs the worker serves, by name. */
export const JOBS = {
  rangeTest: rangeTestJob,
  simulate: simulateJob,
  listBackends: listBackendsJob,
} as const;

export type JobName = keyof typeof JOBS;

/**
 * The directory of the `.wasm` files next to a bundled worker (esbuild copies them into dist/wasm/). Passing
 * nothing as `wasmPaths` finds the same directory, or the package's own when running from source.
 */
export function bundledWasmDirectory(bundleDirectory: string): string {
  return path.join(bundleDirectory, 'wasm') + path.sep;
}
