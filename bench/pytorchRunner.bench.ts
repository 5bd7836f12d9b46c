// Benchmark: the range test on the user's own model. The Python runner (as the editor starts it) against a bare
// PyTorch loop written as a user would (bench/pytorch/bare_loop.py: same seed, model, data, optimizer and ramp), in one
// run, alternating sides; prints the time per step on each side, their ratio (target: at most 1.05) and the time from
// starting the runner to the first point. Two models: an MNIST-sized MLP (784-512-512-10, batch 128: a real step) and
// the test fixture's tiny MLP (16-32-4, batch 32: the runner's per-step overhead at its most visible).
// Usage: node --import tsx bench/pytorchRunner.bench.ts [--rounds N] [--steps N] [--python PATH]

import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPythonRunner } from '../server/src/compute/pythonRunner';
import { rangeTestLearningRates } from '../server/src/core/rangeTest/index';
import { midpointMedian } from './stats';

const ROOT = path.resolve(__dirname, '..');
const TARGET_RATIO = 1.05;

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

interface Case {
  readonly name: string;
  readonly workspace: string;
  readonly model: string;
  readonly data: string;
}

const CASES: readonly Case[] = [
  {
    name: 'MLP 784-512-512-10, batch 128',
    workspace: path.join(ROOT, 'bench', 'pytorch', 'bench_project'),
    model: 'benchnet.mlp:build_model',
    data: 'benchnet.mlp:train_loader',
  },
  {
    name: 'fixture MLP 16-32-4, batch 32',
    workspace: path.join(ROOT, 'test', 'fixtures', 'pytorch_project'),
    model: 'train.models:build_model',
    data: 'train.data:train_loader',
  },
];

function bareLoop(python: string, testCase: Case, steps: number): number {
  const result = spawnSync(
    python,
    [
      path.join(ROOT, 'bench', 'pytorch', 'bare_loop.py'),
      testCase.workspace,
      testCase.model,
      testCase.data,
      String(steps),
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`bare loop failed: ${result.stderr}`);
  const line = result.stdout.trim().split('\n').pop()!;
  return (JSON.parse(line) as { loop_seconds: number }).loop_seconds;
}

async function runner(
  python: string,
  testCase: Case,
  steps: number,
): Promise<{ loopSeconds: number; firstPointSeconds: number; nodeLoopSeconds: number }> {
  const lrs = rangeTestLearningRates(1e-7, 10, steps, 'exp');
  let firstStepAt = 0;
  let lastStepAt = 0;
  const started = performance.now();
  const handle = startPythonRunner({
    interpreter: python,
    spec: {
      workspace: testCase.workspace,
      mode: 'entrypoints',
      model: testCase.model,
      data: testCase.data,
      loss: 'cross_entropy',
      optimizer: { class_path: 'torch.optim.AdamW', kwargs: { lr: 1e-7, weight_decay: 0.01 } },
      device: 'cpu',
      lrs,
      seed: 0,
    },
    onStep: (step) => {
      const now = performance.now();
      if (step.index === 0) firstStepAt = now;
      lastStepAt = now;
    },
  });
  const done = await handle.done;
  if (done.end.status !== 'completed') throw new Error(`runner ended ${JSON.stringify(done.end)}`);
  return {
    loopSeconds: done.loopSeconds ?? NaN,
    firstPointSeconds: (firstStepAt - started) / 1000,
    nodeLoopSeconds: (lastStepAt - firstStepAt) / 1000,
  };
}

async function main(): Promise<void> {
  const rounds = Number(argument('rounds', '5'));
  const steps = Number(argument('steps', '300'));
  const python = argument('python', '/usr/bin/python3');
  const torch = spawnSync(python, ['-c', 'import torch; print(torch.__version__, torch.get_num_threads())'], {
    encoding: 'utf8',
  }).stdout.trim();
  console.log(
    `pytorch runner vs bare PyTorch loop: ${steps} steps, AdamW, ${rounds} rounds after a warm-up, alternating sides`,
  );
  console.log(
    `python ${python}, torch ${torch} (version, threads); ${os.cpus().length} CPUs; load ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  for (const testCase of CASES) {
    bareLoop(python, testCase, Math.min(steps, 50));
    await runner(python, testCase, Math.min(steps, 50));
    const bare: number[] = [];
    const ours: number[] = [];
    const first: number[] = [];
    const seenFromNode: number[] = [];
    for (let round = 0; round < rounds; round++) {
      bare.push(bareLoop(python, testCase, steps));
      const result = await runner(python, testCase, steps);
      ours.push(result.loopSeconds);
      first.push(result.firstPointSeconds);
      seenFromNode.push(result.nodeLoopSeconds);
    }
    const perStep = (seconds: number) => `${((seconds / steps) * 1000).toFixed(3)} ms`;
    const ratio = midpointMedian(ours) / midpointMedian(bare);
    console.log(`\n${testCase.name}`);
    console.log(
      `  bare loop       ${perStep(midpointMedian(bare))}/step (median of ${rounds}; min ${perStep(Math.min(...bare))})`,
    );
    console.log(
      `  runner          ${perStep(midpointMedian(ours))}/step (its own loop timing; min ${perStep(Math.min(...ours))})`,
    );
    console.log(
      `  runner, as seen by the editor: ${perStep((midpointMedian(seenFromNode) * steps) / Math.max(1, steps - 1))}/step between the first and last point`,
    );
    console.log(
      `  ratio runner / bare: ${ratio.toFixed(3)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  start to first point: ${midpointMedian(first).toFixed(2)} s median (Python start, import torch, model and data, one step)`,
    );
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
