// Benchmark: 4096 Adam trajectories x 1000 Rosenbrock steps in Optimizer Lens against PyTorch's in-place tensor version.
//
// Run with `node --import tsx bench/simulate.bench.ts [count] [steps]`. Both sides use the same deterministic
// starts, lr 1e-3 and float64; the ratio printed is ours / PyTorch's (median of 5 after a warm-up).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { builtinLandscape } from '../server/src/core/landscape/index';
import { createBatchedOptimizer } from '../server/src/core/optim/index';
import { simulate } from '../server/src/core/simulate/index';

const LR = 1e-3;
const REPEATS = 5;

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

function runOurs(count: number, steps: number, arithmetic: 'fused' | 'plain'): { seconds: number; x: Float64Array } {
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface PytorchReport {
  torch: string;
  threads: number;
  blas: string[];
  torch_optim_seconds: number;
  hand_adam_seconds: number;
  final_x: number[];
}

export function main(argv: readonly string[] = process.argv.slice(2)): { oursSeconds: number; pytorchSeconds: number; ratio: number } {
  const count = Number(argv[0] ?? 4096);
  const steps = Number(argv[1] ?? 1000);
  const measure = (arithmetic: 'fused' | 'plain'): { seconds: number; x: Float64Array } => {
    runOurs(count, steps, arithmetic);
    const times: number[] = [];
    let x: Float64Array = new Float64Array(0);
    for (let r = 0; r < REPEATS; r++) {
      const run = runOurs(count, steps, arithmetic);
      times.push(run.seconds);
      x = run.x;
    }
    if (process.env["BENCH_VERBOSE"]) console.log(arithmetic, times.map((t) => (t * 1000).toFixed(1)).join(" "));
    return { seconds: median(times), x };
  };
  // The batched default first: V8's type feedback is shared, so whichever mode runs first gets the cleanest code.
  const plain = measure('plain');
  const fused = measure('fused');
  const oursSeconds = plain.seconds;
  const last = fused.x;

  const gridStarted = performance.now();
  const grid = simulate({
    function: 'rosenbrock',
    steps,
    optimizers: [{ type: 'Adam', params: { lr: LR } }],
    grid: { lr: Array.from({ length: 64 }, (_, i) => 1e-4 * 10 ** (i / 21)), beta1: Array.from({ length: 64 }, (_, i) => 0.5 + (0.49 * i) / 63) },
    surfaceResolution: 0,
  });
  const gridSeconds = (performance.now() - gridStarted) / 1000;

  const python = spawnSync('/usr/bin/python3', [join(__dirname, 'pytorch', 'simulate.py'), String(count), String(steps)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (python.status !== 0) {
    console.log(`ours: ${(oursSeconds * 1000).toFixed(1)} ms; PyTorch failed: ${python.stderr}`);
    return { oursSeconds, pytorchSeconds: Number.NaN, ratio: Number.NaN };
  }
  const report = JSON.parse(python.stdout.trim().split('\n').at(-1)!) as PytorchReport;
  const pytorchSeconds = Math.min(report.torch_optim_seconds, report.hand_adam_seconds);
  let maxDifference = 0;
  let exact = 0;
  report.final_x.forEach((value, i) => {
    maxDifference = Math.max(maxDifference, Math.abs(value - last[i]!));
    if (value === last[i]) exact++;
  });
  const ratio = oursSeconds / pytorchSeconds;
  console.log(`Adam x ${count} trajectories x ${steps} Rosenbrock steps, float64 (median of ${REPEATS})`);
  console.log(`  Optimizer Lens (Node ${process.version}), plain multiply-add (batched default): ${(plain.seconds * 1000).toFixed(1)} ms`);
  console.log(`  Optimizer Lens, fused multiply-add emulated (PyTorch's bits):     ${(fused.seconds * 1000).toFixed(1)} ms`);
  console.log(`  PyTorch ${report.torch}, ${report.threads} thread(s), ${report.blas.join('; ')}`);
  console.log(`    torch.optim.Adam, in-place analytic grad:     ${(report.torch_optim_seconds * 1000).toFixed(1)} ms`);
  console.log(`    hand-written in-place Adam:                   ${(report.hand_adam_seconds * 1000).toFixed(1)} ms`);
  console.log(`  ratio ours (plain) / PyTorch (faster of the two): ${ratio.toFixed(2)}`);
  console.log(`  ratio ours (fused) / PyTorch (faster of the two): ${(fused.seconds / pytorchSeconds).toFixed(2)}`);
  console.log(`  fused final iterates: ${exact}/${report.final_x.length} bit-identical to torch.optim.Adam, max |difference| ${maxDifference.toExponential(2)}`);
  console.log(`  simulate() grid 64 lr x 64 beta1 x ${steps} steps with heatmap: ${(gridSeconds * 1000).toFixed(1)} ms (${grid.issues.length} issues)`);
  return { oursSeconds, pytorchSeconds, ratio };
}

if (require.main === module) main();
