// Benchmark: 4096 Adam trajectories x 1000 Rosenbrock steps in Optimizer Lens against PyTorch's in-place tensor version.
//
// Run with `node --import tsx bench/simulate.bench.ts [count] [steps] [rounds]`. Both sides use the same
// deterministic starts, lr 1e-3 and float64, and both run as child processes: ours is bench/simulateHotLoop.ts
// bundled by esbuild with the core into one CommonJS file and run by plain Node, as dist/worker.js runs it (under
// the tsx loader that runs this script the same loops run measurably slower, which users never see); PyTorch is
// bench/pytorch/simulate.py at its default thread count. The machine may be shared, so the two alternate: each
// round times ours and then PyTorch (each the median of 5 runs after a warm-up), and the ratio reported is the
// median of the per-round ratios.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { median } from './stats';

const REPEATS = 5;

interface OursReport {
  node: string;
  plain: number[];
  fused: number[];
  finalX: number[];
  gridSeconds: number;
  gridIssues: number;
}

interface PytorchReport {
  torch: string;
  threads: number;
  cpus: number;
  blas: string[];
  torch_optim_seconds: number;
  hand_adam_seconds: number;
  hand_adam_fewest_ops_seconds: number;
  final_x: number[];
}

/** Bundles the hot loop with the core the way esbuild.mjs bundles the worker (CommonJS, node20). */
function bundleHotLoop(outfile: string): void {
  buildSync({
    entryPoints: [join(__dirname, 'simulateHotLoop.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
}

function lastJsonLine<T>(stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as T;
}

function runOurs(bundle: string, count: number, steps: number): OursReport | string {
  const child = spawnSync(process.execPath, [bundle, String(count), String(steps), String(REPEATS)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return child.status === 0 ? lastJsonLine<OursReport>(child.stdout) : child.stderr || String(child.error);
}

function runPytorch(count: number, steps: number): PytorchReport | string {
  const child = spawnSync(
    '/usr/bin/python3',
    [join(__dirname, 'pytorch', 'simulate.py'), String(count), String(steps)],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return child.status === 0 ? lastJsonLine<PytorchReport>(child.stdout) : child.stderr || String(child.error);
}

const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;

export function main(argv: readonly string[] = process.argv.slice(2)): {
  oursSeconds: number;
  pytorchSeconds: number;
  ratio: number;
} {
  const count = Number(argv[0] ?? 4096);
  const steps = Number(argv[1] ?? 1000);
  const rounds = Number(argv[2] ?? 3);
  const directory = mkdtempSync(join(tmpdir(), 'optlens-bench-'));
  const bundle = join(directory, 'hotLoop.cjs');
  const failed = { oursSeconds: Number.NaN, pytorchSeconds: Number.NaN, ratio: Number.NaN };
  try {
    bundleHotLoop(bundle);
    const ours: OursReport[] = [];
    const theirs: PytorchReport[] = [];
    for (let round = 0; round < rounds; round++) {
      const oursRound = runOurs(bundle, count, steps);
      if (typeof oursRound === 'string') {
        console.log(`Optimizer Lens failed: ${oursRound}`);
        return failed;
      }
      const pytorchRound = runPytorch(count, steps);
      if (typeof pytorchRound === 'string') {
        console.log(`ours: ${ms(median(oursRound.plain))}; PyTorch failed: ${pytorchRound}`);
        return failed;
      }
      ours.push(oursRound);
      theirs.push(pytorchRound);
    }
    const plain = ours.map((report) => median(report.plain));
    const fused = ours.map((report) => median(report.fused));
    const anchor = theirs.map((report) =>
      Math.min(report.torch_optim_seconds, report.hand_adam_seconds, report.hand_adam_fewest_ops_seconds),
    );
    const ratio = median(plain.map((seconds, round) => seconds / anchor[round]!));
    const fusedRatio = median(fused.map((seconds, round) => seconds / anchor[round]!));
    const pytorch = theirs.at(-1)!;
    const last = ours.at(-1)!;
    let maxDifference = 0;
    let exact = 0;
    pytorch.final_x.forEach((value, i) => {
      maxDifference = Math.max(maxDifference, Math.abs(value - last.finalX[i]!));
      if (value === last.finalX[i]) exact++;
    });
    const column = (pick: (report: PytorchReport) => number): string => ms(median(theirs.map(pick)));
    console.log(
      `Adam x ${count} trajectories x ${steps} Rosenbrock steps, float64; ${rounds} alternating rounds, each the median of ${REPEATS} runs`,
    );
    console.log(`  Optimizer Lens (Node ${last.node}, core bundled as shipped):`);
    console.log(`    plain multiply-add (batched default):         ${ms(median(plain))}`);
    console.log(`    fused multiply-add emulated (PyTorch's bits): ${ms(median(fused))}`);
    console.log(
      `  PyTorch ${pytorch.torch}, ${pytorch.threads} thread(s) (its default, ${pytorch.cpus} CPUs), ${pytorch.blas.join('; ')}`,
    );
    console.log(`    torch.optim.Adam, in-place analytic grad:     ${column((report) => report.torch_optim_seconds)}`);
    console.log(`    hand-written in-place Adam:                   ${column((report) => report.hand_adam_seconds)}`);
    console.log(
      `    hand-written, fewest ops, (2, count) layout:  ${column((report) => report.hand_adam_fewest_ops_seconds)}`,
    );
    console.log(
      `  per round, ours (plain) / PyTorch (fastest): ${plain.map((seconds, round) => `${ms(seconds)} / ${ms(anchor[round]!)}`).join(', ')}`,
    );
    console.log(`  ratio ours (plain) / PyTorch (fastest of the three): ${ratio.toFixed(2)}   (target <= 1)`);
    console.log(`  ratio ours (fused) / PyTorch (fastest of the three): ${fusedRatio.toFixed(2)}`);
    console.log(
      `  fused final iterates: ${exact}/${pytorch.final_x.length} bit-identical to torch.optim.Adam, max |difference| ${maxDifference.toExponential(2)}`,
    );
    console.log(
      `  simulate() grid 64 lr x 64 beta1 x ${steps} steps with heatmap: ${ms(median(ours.map((report) => report.gridSeconds)))} (${last.gridIssues} issues)`,
    );
    return { oursSeconds: median(plain), pytorchSeconds: median(anchor), ratio };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (require.main === module) main();
