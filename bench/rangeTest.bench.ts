// Benchmark: the same LR range test (100 iterations, Adam, an exponential ramp that does not diverge) for each
// built-in proxy task, in Optimizer Lens on each compute backend that loads here and in PyTorch on the CPU, run
// in one go; prints per-task times and ratios to PyTorch, and the machine's load (`uptime`) before and after.
// PyTorch runs as one long-lived process that answers one round per request, so its rounds are interleaved
// with ours (round r of every side runs back to back) and a change in load hits both sides alike; after one
// warm-up round per side, medians are compared (this machine is shared, and single runs vary by +-20%).
// `--rounds N` changes the count, `--tasks a,b` the tasks, `--backends a,b` the backends (default: every one that
// loads but `cpu`, and `wasm` on the MLPs only: on the CNN it takes 10 to 40 s a run).
// Run it bundled, as the extension ships: `node scripts/runBench.mjs bench/rangeTest.bench.ts` (through tsx the
// JavaScript parts run slower).

import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

import { listBackends } from '../server/src/compute/backends';
import type { BackendName } from '../server/src/compute/backends';
import { rangeTestJob } from '../server/src/compute/jobs';
import type { RangeTestJobParams } from '../server/src/compute/jobs';
import { parseRangeTestSection } from '../server/src/core/rangeTest/index';
import { PROXY_TASKS } from '../server/src/core/rangeTest/types';
import { midpointMedian } from './stats';

const ITERATIONS = 100;
/**
 * Pause after each PyTorch round before ours. Debian's PyTorch does its matrix products in OpenBLAS, whose worker
 * threads busy-wait for about 0.1 s after each call (THREAD_TIMEOUT, 2^28 cycles) before they sleep: with no
 * pause they spun on one of this machine's two cores into the first tenth of a second of our round, which came
 * out 6 to 17% slower than the same round run after one of ours (ONNX Runtime's threads here never spin, so
 * PyTorch's rounds were not touched by ours). With the pause each side runs as it would alone.
 */
const SETTLE_MS = 250;
const TARGET_RATIO = 1.5;
/** Batch size per task (the CNN's steps are the costly ones). */
const BATCH: Record<string, number> = { spiral: 128, mnist_mlp: 128, cnn: 64 };

interface PyTorchRound {
  /** Whole range test (data, model, loop), seconds. */
  readonly seconds: number;
  /** The training loop alone. */
  readonly loop_seconds: number;
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function roundsArgument(): number {
  const value = Number(argument('--rounds') ?? 7);
  return Number.isInteger(value) && value > 0 ? value : 7;
}

function benchParams(task: string, backend: BackendName): RangeTestJobParams {
  const section = { task, num_iter: ITERATIONS, batch_size: BATCH[task] ?? 128, start_lr: 1e-6, end_lr: 1e-2, seed: 0 };
  return {
    rangeTest: parseRangeTestSection(section).params!,
    optimizer: { type: 'Adam', params: { lr: 1e-3 } },
    backend: { preferred: backend },
  };
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'uptime unavailable';
  }
}

/** The PyTorch side: a Python process that runs one round per request (see pytorch/range_test.py --serve). */
async function startPyTorch(): Promise<
  { header: string; round(task: string): Promise<PyTorchRound>; close(): void } | string
> {
  // Bundled by scripts/runBench.mjs, __dirname is out/bench; the entry's own directory holds pytorch/.
  const entry = process.env.OPTLENS_BENCH_ENTRY;
  const script = path.join(entry ? path.dirname(path.resolve(entry)) : __dirname, 'pytorch', 'range_test.py');
  const child = spawn('/usr/bin/python3', [script, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`PyTorch run failed: ${stderr.split('\n').slice(-3).join(' ')}`);
    return line.value;
  };
  try {
    const header = JSON.parse(await next()) as { torch: string; threads: number; blas: string };
    return {
      // torch.get_num_threads() counts ATen's threads; OpenBLAS keeps its own pool for the matrix products, one
      // thread per core unless OPENBLAS_NUM_THREADS says otherwise (with 1, PyTorch's mnist_mlp round took twice as long).
      header: `PyTorch ${header.torch}, ${header.threads} ATen thread(s), OPENBLAS_NUM_THREADS ${process.env.OPENBLAS_NUM_THREADS ?? 'unset (OpenBLAS: a thread per core)'}, ${header.blas}`,
      round: async (task) => {
        child.stdin.write(`${task} ${ITERATIONS} ${BATCH[task] ?? 128}\n`);
        return JSON.parse(await next()) as PyTorchRound;
      },
      close: () => child.stdin.end(),
    };
  } catch (error) {
    child.kill();
    return error instanceof Error ? error.message : String(error);
  }
}

const seconds = (values: readonly number[]) =>
  `median ${midpointMedian(values).toFixed(3)} s (min ${Math.min(...values).toFixed(3)})`;

export async function main(): Promise<void> {
  console.log(`load before: ${uptime()}`);
  const statuses = await listBackends();
  for (const status of statuses)
    console.log(`backend ${status.name.padEnd(14)} ${status.loaded ? 'loaded' : `not loaded: ${status.reason}`}`);
  const chosen = argument('--backends')?.split(',');
  const loaded = statuses.filter((status) => status.loaded).map((status) => status.name);
  const backendsFor = (task: string): BackendName[] =>
    chosen
      ? loaded.filter((name) => chosen.includes(name))
      : loaded.filter((name) => name !== 'cpu' && !(name === 'wasm' && task === 'cnn'));
  const tasks = (argument('--tasks')?.split(',') ?? PROXY_TASKS).filter((task) => PROXY_TASKS.includes(task as never));
  const rounds = roundsArgument();
  const pytorch = await startPyTorch();
  if (typeof pytorch === 'string') console.log(pytorch);
  else console.log(pytorch.header);

  const summary: string[] = [];
  for (const task of tasks) {
    console.log(
      `\n${task} (batch ${BATCH[task]}, ${ITERATIONS} iterations, Adam), ${rounds} rounds after one warm-up round:`,
    );
    const backends = backendsFor(task);
    const torchRounds: PyTorchRound[] = [];
    const ours = new Map<BackendName, { seconds: number[]; ranOn: string; first: number; iterations: number }>();
    for (let round = 0; round <= rounds; round++) {
      if (typeof pytorch !== 'string') {
        const result = await pytorch.round(task);
        if (round > 0) torchRounds.push(result);
        await new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS));
      }
      for (const backend of backends) {
        // The first run pays for loading the backend and compiling; the rest are what a user sees on re-runs.
        const result = await rangeTestJob(
          benchParams(task, backend),
          () => {},
          () => false,
        );
        const entry = ours.get(backend) ?? {
          seconds: [],
          ranOn: result.backend,
          first: result.seconds,
          iterations: result.losses.length,
        };
        if (round > 0) entry.seconds.push(result.seconds);
        entry.ranOn = result.backend;
        ours.set(backend, entry);
      }
    }
    const reference = torchRounds.length ? midpointMedian(torchRounds.map((r) => r.seconds)) : NaN;
    if (torchRounds.length) {
      console.log(
        `  PyTorch CPU          : ${seconds(torchRounds.map((r) => r.seconds))}, training loop ${midpointMedian(torchRounds.map((r) => r.loop_seconds)).toFixed(3)} s`,
      );
    }
    for (const [backend, entry] of ours) {
      const ratio = midpointMedian(entry.seconds) / reference;
      // A backend that fell back names the one that ran: the figure is never credited to the wrong engine.
      const ran = entry.ranOn === backend ? backend : `${backend} -> ran on ${entry.ranOn}`;
      console.log(
        `  Optimizer Lens ${ran.padEnd(6)}: ${seconds(entry.seconds)}, first run ${entry.first.toFixed(3)} s, ${entry.iterations} iterations; ratio to PyTorch ${ratio.toFixed(2)}`,
      );
      if (backend === 'onnxruntime')
        summary.push(`${task} ${ratio.toFixed(2)}${ratio < TARGET_RATIO ? '' : ' (over target)'}`);
    }
  }
  if (typeof pytorch !== 'string') pytorch.close();
  console.log(`\nonnxruntime / PyTorch per task (target < ${TARGET_RATIO}): ${summary.join(', ')}`);
  console.log(`load after: ${uptime()}`);
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === pathToFileURL(__filename).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
