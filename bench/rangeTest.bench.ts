// Benchmark: the same LR range test (MLP 784-256-10, batch 128, 100 iterations, Adam) in Optimizer Lens on each
// TensorFlow.js backend that loads here and in PyTorch on the CPU, run in one go; prints times and ratios.

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

interface PyTorchFigures {
  readonly torch: string;
  readonly threads: number;
  readonly blas: string;
  readonly seconds: number;
  readonly loop_seconds: number;
}

function benchParams(backend: BackendName): RangeTestJobParams {
  // A ramp that does not diverge, so every run does all 100 iterations, as the PyTorch script does.
  const section = { task: 'mnist_mlp', num_iter: ITERATIONS, batch_size: 128, start_lr: 1e-6, end_lr: 1e-2, seed: 0 };
  return { rangeTest: parseRangeTestSection(section).params!, optimizer: { type: 'Adam', params: { lr: 1e-3 } }, backend: { preferred: backend } };
}

function runPyTorch(): PyTorchFigures | string {
  const script = path.join(__dirname, 'pytorch', 'range_test.py');
  const child = spawnSync('/usr/bin/python3', [script, String(ITERATIONS)], { encoding: 'utf8' });
  if (child.status !== 0) return `PyTorch run failed: ${(child.stderr || child.error?.message || '').split('\n').slice(-3).join(' ')}`;
  const last = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as PyTorchFigures;
}

export async function main(): Promise<void> {
  const statuses = await listBackends();
  const loaded = statuses.filter((status) => status.loaded).map((status) => status.name);
  for (const status of statuses) console.log(`backend ${status.name.padEnd(14)} ${status.loaded ? 'loaded' : `not loaded: ${status.reason}`}`);

  const pytorch = runPyTorch();
  if (typeof pytorch === 'string') console.log(pytorch);
  else console.log(`PyTorch ${pytorch.torch}, ${pytorch.threads} thread(s), ${pytorch.blas}\nPyTorch CPU: ${pytorch.seconds.toFixed(3)} s (training loop ${pytorch.loop_seconds.toFixed(3)} s)`);

  for (const backend of loaded) {
    // The first run pays for compiling WASM and warming the allocator; the second is what a user sees on re-runs.
    const cold = await rangeTestJob(benchParams(backend), () => {}, () => false);
    const warm = await rangeTestJob(benchParams(backend), () => {}, () => false);
    const ratio = typeof pytorch === 'string' ? NaN : warm.seconds / pytorch.seconds;
    console.log(
      `Optimizer Lens ${warm.backend.padEnd(6)}: ${warm.seconds.toFixed(3)} s warm, ${cold.seconds.toFixed(3)} s cold, ` +
        `${warm.losses.length} iterations; ratio to PyTorch ${ratio.toFixed(2)} (target < ${TARGET_RATIO})`,
    );
  }
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === pathToFileURL(__filename).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
