// Synthetic schedules for the webview tests: closed-form curves, so the expected values are easy to state.

import type { ScheduleSnapshot } from '../../webview/src/protocol';

/** Linear warm-up to `peak`, then cosine decay to `floor`, with AdamW betas; the shape of most LLM runs. */
export function warmupCosineSchedule(steps: number, warmup: number, peak = 3e-4, floor = 3e-5): ScheduleSnapshot {
  const lr: number[] = [];
  for (let step = 0; step < steps; step++) {
    if (step < warmup) lr.push((peak * (step + 1)) / warmup);
    else lr.push(floor + 0.5 * (peak - floor) * (1 + Math.cos((Math.PI * (step - warmup)) / (steps - warmup))));
  }
  return {
    uri: 'file:///work/configs/llm-pretrain.optim.yaml',
    version: 3,
    title: 'SequentialLR(LinearLR, CosineAnnealingLR)',
    lr,
    betas: lr.map(() => [0.9, 0.95] as const),
    markers: [{ step: warmup, label: 'warm-up ends', kind: 'warmup-end' }],
    totalSteps: steps,
    errors: [],
  };
}

/** OneCycleLR-like: cosine up to `peak` for 30% of the steps then down, with momentum cycling the other way. */
export function oneCycleSchedule(steps: number, peak = 0.1): ScheduleSnapshot {
  const rise = Math.floor(steps * 0.3);
  const initial = peak / 25;
  const final = initial / 1e4;
  const lr: number[] = [];
  const momentum: number[] = [];
  for (let step = 0; step < steps; step++) {
    const rising = step <= rise;
    const fraction = rising ? step / rise : (step - rise) / (steps - 1 - rise);
    const cosine = (start: number, end: number): number =>
      end + ((start - end) / 2) * (1 + Math.cos(Math.PI * fraction));
    lr.push(rising ? cosine(initial, peak) : cosine(peak, final));
    momentum.push(rising ? cosine(0.95, 0.85) : cosine(0.85, 0.95));
  }
  return {
    uri: 'file:///work/configs/resnet-onecycle.optim.yaml',
    version: 1,
    title: 'OneCycleLR(max_lr=0.1)',
    lr,
    momentum,
    markers: [{ step: rise, label: 'peak', kind: 'peak' }],
    totalSteps: steps,
    errors: [],
  };
}
