// Benchmark: milliseconds to evaluate 1,000,000 steps of common schedulers, against the 50 ms target.

import { evaluateSchedule } from '../server/src/core/schedule/index';
import type { ScheduleRequest } from '../server/src/core/schedule/index';

const STEPS = 1_000_000;
const TARGET_MS = 50;
const REPEATS = 5;

const CASES: readonly { readonly name: string; readonly request: ScheduleRequest }[] = [
  {
    name: 'StepLR',
    request: {
      scheduler: { type: 'StepLR', params: { step_size: 1000, gamma: 0.5 } },
      optimizer: { lr: 0.1, momentum: 0.9 },
      steps: STEPS,
    },
  },
  {
    name: 'CosineAnnealingLR',
    request: {
      scheduler: { type: 'CosineAnnealingLR', params: { T_max: STEPS } },
      optimizer: { lr: 0.1 },
      steps: STEPS,
    },
  },
  {
    name: 'CosineAnnealingWarmRestarts',
    request: {
      scheduler: { type: 'CosineAnnealingWarmRestarts', params: { T_0: 1000, T_mult: 2 } },
      optimizer: { lr: 0.1 },
      steps: STEPS,
    },
  },
  {
    name: 'OneCycleLR (+momentum)',
    request: {
      scheduler: { type: 'OneCycleLR', params: { max_lr: 0.1, total_steps: STEPS } },
      optimizer: { lr: 0.1, momentum: 0.9 },
      steps: STEPS,
    },
  },
  {
    name: 'CyclicLR (+momentum)',
    request: {
      scheduler: { type: 'CyclicLR', params: { base_lr: 0.01, max_lr: 0.1, step_size_up: 2000 } },
      optimizer: { lr: 0.1, momentum: 0.9 },
      steps: STEPS,
    },
  },
  {
    name: 'SequentialLR(LinearLR, CosineAnnealingLR)',
    request: {
      scheduler: {
        type: 'SequentialLR',
        params: {
          schedulers: [
            { type: 'LinearLR', params: { start_factor: 0.01, total_iters: 10_000 } },
            { type: 'CosineAnnealingLR', params: { T_max: STEPS - 10_000 } },
          ],
          milestones: [10_000],
        },
      },
      optimizer: { lr: 0.1 },
      steps: STEPS,
    },
  },
  {
    name: 'hf.cosine',
    request: {
      scheduler: { type: 'hf.cosine', params: { num_warmup_steps: 10_000, num_training_steps: STEPS } },
      optimizer: { lr: 0.1 },
      steps: STEPS,
    },
  },
  {
    name: 'WarmupDecayLR (DeepSpeed)',
    request: {
      scheduler: { type: 'WarmupDecayLR', params: { total_num_steps: STEPS, warmup_num_steps: 10_000 } },
      optimizer: { lr: 0.1 },
      steps: STEPS,
    },
  },
];

export function main(): void {
  console.log(
    `schedule engine: ms per ${STEPS.toLocaleString('en')} steps (best of ${REPEATS}), target ${TARGET_MS} ms`,
  );
  for (const { name, request } of CASES) {
    evaluateSchedule(request); // warm-up run so the JIT has compiled the hot loop
    let best = Number.POSITIVE_INFINITY;
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const started = performance.now();
      const series = evaluateSchedule(request);
      const elapsed = performance.now() - started;
      if (series.lr.length !== STEPS)
        throw new Error(`${name}: ${series.issues.map((issue) => issue.message).join('; ')}`);
      best = Math.min(best, elapsed);
    }
    console.log(`${name.padEnd(44)} ${best.toFixed(1).padStart(7)} ms   ${(best / TARGET_MS).toFixed(2)}× target`);
  }
}

if (require.main === module) main();
