// Benchmark: the same LR range test (MLP 784-256-10, batch 128, 100 iterations, Adam) in Optimizer Lens on each
// compute backend that loads here and in PyTorch on the CPU, run in one go; prints times and ratios.
// Each side runs ROUNDS times in one process after one warm-up round; medians are compared (this machine is
// shared, and single runs vary by +-20%). `--rounds N` changes the count. Run it bundled, as the extension ships:
// `node scripts/runBench.mjs bench/rangeTest.bench.ts` (through tsx the JavaScript parts run slower).

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import { listBackends } from '../server/src/compute/backends';
import type { BackendName } from '../server/src/compute/backends';
import { rangeTestJob } from '../server/src/compute/jobs';
import type { RangeTestJobParams } from '../server/src/compute/jobs';
import { parseRangeTestSection } from '../server/src/core/rangeTest/index';

const ITERATIONS = 100;
const TARGET_RATIO = 2;
/** Backends too slow to repeat: one warm run is enough to place them. */
const SLOW_BACKENDS: readonly BackendName[] = ['cpu'];

interface PyTorchFigures {
  readonly torch: string;
  readonly threads: number;
  readonly blas: string;
  /** Whole range test (data, model, loop) per round, seconds; the first round is the warm-up. */
  readonly rounds: number[];
  /** The training loop alone per round. */
  readonly loop_rounds: number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function roundsArgument(): number {
  const index = process.argv.indexOf('--rounds');
  const value = index >= 0 ? Number(process.argv[index + 1]) : 7;
  return Number.isInteger(value) && value > 0 ? value : 7;
}

function benchParams(backend: BackendName): RangeTestJobParams {
  // A ramp that does not diverge, so every run does all 100 iterations, as the PyTorch script does.
  const section = { task: 'mnist_mlp', num_iter: ITERATIONS, batch_size: 128, start_lr: 1e-6, end_lr: 1e-2, seed: 0 };
  return { rangeTest: parseRangeTestSection(section).params!, optimizer: { type: 'Adam', params: { lr: 1e-3 } }, backend: { preferred: backend } };
}

function runPyTorch(rounds: number): PyTorchFigures | string {
  // Bundled by scripts/runBench.mjs, __dirname is out/bench; the entry's own directory holds pytorch/.
  const entry = process.env.OPTLENS_BENCH_ENTRY;
  const script = path.join(entry ? path.dirname(path.resolve(entry)) : __dirname, 'pytorch', 'range_test.py');
  const child = spawnSync('/usr/bin/python3', [script, String(ITERATIONS), String(rounds + 1)], { encoding: 'utf8' });
  if (child.status !== 0) return `PyTorch run failed: ${(child.stderr || child.error?.message || '').split('\n').slice(-3).join(' ')}`;
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as PyTorchFigures;
}

export async function main(): Promise<void> {
  const statuses = await listBackends();
  const loaded = statuses.filter((status) => status.loaded).map((status) => status.name);
  for (const status of statuses) console.log(`backend ${status.name.padEnd(14)} ${status.loaded ? 'loaded' : `not loaded: ${status.reason}`}`);

  const rounds = roundsArgument();
  const pytorch = runPyTorch(rounds);
  let reference = NaN;
  if (typeof pytorch === 'string') console.log(pytorch);
  else {
    reference = median(pytorch.rounds.slice(1));
    console.log(`PyTorch ${pytorch.torch}, ${pytorch.threads} thread(s), ${pytorch.blas}`);
    console.log(
      `PyTorch CPU: median ${reference.toFixed(3)} s over ${rounds} rounds (min ${Math.min(...pytorch.rounds.slice(1)).toFixed(3)}, ` +
        `training loop ${median(pytorch.loop_rounds.slice(1)).toFixed(3)} s; warm-up round ${pytorch.rounds[0]!.toFixed(3)} s)`,
    );
  }

  for (const backend of loaded) {
    // The first run pays for loading the backend and compiling; the rest are what a user sees on re-runs.
    const cold = await rangeTestJob(benchParams(backend), () => {}, () => false);
    const warm: number[] = [];
    let ranOn = cold.backend;
    for (let round = 0; round < (SLOW_BACKENDS.includes(backend) ? 1 : rounds); round++) {
      const result = await rangeTestJob(benchParams(backend), () => {}, () => false);
      warm.push(result.seconds);
      ranOn = result.backend;
    }
    const time = median(warm);
    console.log(
      `Optimizer Lens ${ranOn.padEnd(11)}: median ${time.toFixed(3)} s over ${warm.length} round(s) (min ${Math.min(...warm).toFixed(3)}), ` +
        `first run ${cold.seconds.toFixed(3)} s, ${cold.losses.length} iterations; ratio to PyTorch ${(time / reference).toFixed(2)} (target < ${TARGET_RATIO})`,
    );
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === pathToFileURL(__filename).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
