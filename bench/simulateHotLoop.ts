// The batched simulation hot loop the simulate benchmark times; bench/simulate.bench.ts bundles this file with the core and runs it in plain Node.
//
// Usage (bundled): `node hotLoop.cjs COUNT STEPS REPEATS`. Prints one JSON line: the times of each mode (after a
// warm-up), the final iterates of the last fused run, and the time of a 64 x 64 simulate() grid.

import { builtinLandscape } from '../server/src/core/landscape/index';
import { createBatchedOptimizer } from '../server/src/core/optim/index';
import { simulate } from '../server/src/core/simulate/index';

const LR = 1e-3;

/** The starts the PyTorch script uses: a golden-ratio sequence over [-2, 2] x [-1, 3]. */
function starts(count: number): Float64Array {
  const phi = 0.6180339887498949;
  const xs = new Float64Array(count * 2);
  for (let i = 0; i < count; i++) {
    xs[2 * i] = -2 + 4 * ((i * phi) % 1);
    xs[2 * i + 1] = -1 + 4 * ((i * phi * phi) % 1);
  }
  return xs;
}

/**
 * `count` Adam trajectories for `steps` Rosenbrock updates, driven as simulate() drives a batch: one batched
 * gradient, then one batched update. Returns the seconds the loop took and the final iterates.
 */
export function runAdamBatch(
  count: number,
  steps: number,
  arithmetic: 'fused' | 'plain',
): { seconds: number; x: Float64Array } {
  const landscape = builtinLandscape('rosenbrock').landscape!;
  const config = { type: 'Adam', params: { lr: LR } };
  const { optimizer } = createBatchedOptimizer(new Array(count).fill(config), 2, { arithmetic });
  const xs = starts(count);
  const grads = new Float64Array(count * 2);
  const started = performance.now();
  for (let k = 0; k < steps; k++) {
    landscape.evaluateBatch(xs, count, null, grads);
    optimizer!.step(xs, grads);
  }
  return { seconds: (performance.now() - started) / 1000, x: xs };
}

function timeGrid(steps: number): { seconds: number; issues: number } {
  const started = performance.now();
  const grid = simulate({
    function: 'rosenbrock',
    steps,
    optimizers: [{ type: 'Adam', params: { lr: LR } }],
    grid: {
      lr: Array.from({ length: 64 }, (_, i) => 1e-4 * 10 ** (i / 21)),
      beta1: Array.from({ length: 64 }, (_, i) => 0.5 + (0.49 * i) / 63),
    },
    surfaceResolution: 0,
  });
  return { seconds: (performance.now() - started) / 1000, issues: grid.issues.length };
}

export function main(argv: readonly string[]): void {
  const [count, steps, repeats] = [Number(argv[0] ?? 4096), Number(argv[1] ?? 1000), Number(argv[2] ?? 5)];
  const times: Record<'plain' | 'fused', number[]> = { plain: [], fused: [] };
  let finalX: Float64Array = new Float64Array(0);
  // The batched default first: V8's type feedback is shared, so whichever mode runs first gets the cleanest code.
  for (const mode of ['plain', 'fused'] as const) {
    runAdamBatch(count, steps, mode);
    for (let r = 0; r < repeats; r++) {
      const run = runAdamBatch(count, steps, mode);
      times[mode].push(run.seconds);
      finalX = run.x;
    }
  }
  const grid = timeGrid(steps);
  console.log(
    JSON.stringify({
      node: process.version,
      plain: times.plain,
      fused: times.fused,
      finalX: Array.from(finalX),
      gridSeconds: grid.seconds,
      gridIssues: grid.issues,
    }),
  );
}

if (require.main === module) main(process.argv.slice(2));
