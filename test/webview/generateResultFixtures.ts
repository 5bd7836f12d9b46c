// Writes the range-test and landscape fixtures the webview tests read, from the pure core (smoothing, suggestions,
// landscapes and the optimizer engine) and the product's own view mapping, so that they are what the server sends.
// Run: node --import tsx test/webview/generateResultFixtures.ts

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RangeTestView, SimulationView } from '../../server/src/protocol';
import { rangeTestLearningRates, smoothLosses, suggestLearningRates } from '../../server/src/core/rangeTest/index';
import type { SimulateRequest } from '../../server/src/core/simulate/index';
import { runSimulation, toSimulationView } from '../../server/src/core/features/simulation';
// mulberry32 straight from the seed: the fixture noise is the same on every run (the committed fixtures use it).
import { uniformSource } from '../../server/src/core/util/random';
import { cpuTorchRuntime } from '../rangeTestFixtures';

const fixtureFolder = join(import.meta.dirname, '..', 'fixtures', 'webview');

/**
 * A range-test curve shaped like a real one (a small CNN with AdamW): flat at ln(10) for tiny lrs, a descent
 * over about two decades, a minimum near 3e-3, then a blow-up that trips the divergence rule (4x the best loss).
 */
function rangeTestView(): RangeTestView {
  // As configured with `num_iter: 300, smooth: 0.95`: long enough that the smoothed curve does not lag far behind.
  const numIter = 300;
  const planned = rangeTestLearningRates(1e-7, 10, numIter, 'exp');
  const random = uniformSource(7);
  const lrs: number[] = [];
  const losses: number[] = [];
  let best = Infinity;
  let smoothedSoFar: number[] = [];
  for (const lr of planned) {
    const position = Math.log10(lr);
    const descent = 1 / (1 + Math.exp(-(position + 4) * 2.2));
    const blowUp = Math.exp((position + 2.3) * 2.6);
    const loss = 2.303 - 1.55 * descent + 0.35 * blowUp + (random() - 0.5) * 0.22 * (0.4 + descent);
    lrs.push(lr);
    losses.push(loss);
    smoothedSoFar = smoothLosses(losses, 0.95);
    const smoothed = smoothedSoFar[smoothedSoFar.length - 1]!;
    best = Math.min(best, smoothed);
    if (smoothed > 4 * best) break;
  }
  const stopped = lrs.length < planned.length ? 'diverged' : 'completed';
  const { suggestions, notes } = suggestLearningRates({ lrs, smoothed: smoothedSoFar, stopped, numIter });
  return {
    uri: 'file:///work/configs/resnet18-cifar.optim.yaml',
    fileName: 'resnet18-cifar.optim.yaml',
    measuredOn: 'proxy',
    backend: 'wasm',
    backendAttempts: [
      {
        name: 'tfjs-node-gpu',
        loaded: false,
        reason: 'not installed (npm i @tensorflow/tfjs-node-gpu to use a CUDA GPU)',
      },
      { name: 'tfjs-node', loaded: false, reason: 'not installed' },
      { name: 'wasm', loaded: true },
    ],
    task: 'cnn (CIFAR-10-sized synthetic images, batch 64)',
    optimizerLabel: 'AdamW(weight_decay=0.05, betas=[0.9, 0.999])',
    lrs,
    losses,
    smoothed: smoothedSoFar,
    stopped,
    suggestions: {
      valley: suggestions.valley
        ? { lr: suggestions.valley.lr, index: suggestions.valley.index, explanation: suggestions.valley.explanation }
        : null,
      steepest: suggestions.steepest
        ? {
            lr: suggestions.steepest.lr,
            index: suggestions.steepest.index,
            explanation: suggestions.steepest.explanation,
          }
        : null,
      minimum: suggestions.minimum
        ? { lr: suggestions.minimum.lr, index: suggestions.minimum.index, explanation: suggestions.minimum.explanation }
        : null,
    },
    notes,
    seconds: 14.2,
    applyTarget: 'lr',
    currentLr: 1e-3,
  };
}

/** The same test cut short at lr = 2e-4 by a too-small end_lr: still falling, so there is no minimum / 10. */
function stillFallingView(full: RangeTestView): RangeTestView {
  const end = full.lrs.findIndex((lr) => lr > 2e-4);
  const lrs = full.lrs.slice(0, end);
  const smoothed = full.smoothed.slice(0, end);
  const { suggestions, notes } = suggestLearningRates({ lrs, smoothed, stopped: 'completed', numIter: end });
  const strip = (suggestion: (typeof suggestions)['steepest']) =>
    suggestion ? { lr: suggestion.lr, index: suggestion.index, explanation: suggestion.explanation } : null;
  return {
    ...full,
    uri: 'file:///work/configs/onecycle.optim.yaml',
    fileName: 'onecycle.optim.yaml',
    lrs,
    losses: full.losses.slice(0, end),
    smoothed,
    stopped: 'completed',
    suggestions: {
      valley: strip(suggestions.valley),
      steepest: strip(suggestions.steepest),
      minimum: strip(suggestions.minimum),
    },
    notes,
    applyTarget: 'max_lr',
    backend: 'cpu',
    backendAttempts: [{ name: 'cpu', loaded: true }],
    seconds: 3.4,
  };
}

/** The same curve as measured on the user's own model by the Python runner (CPU torch, as on these machines). */
function yourModelView(full: RangeTestView): RangeTestView {
  return {
    ...full,
    uri: 'file:///work/project/train.optim.yaml',
    fileName: 'train.optim.yaml',
    measuredOn: 'your-model',
    backend: 'pytorch',
    backendAttempts: [],
    runtime: cpuTorchRuntime(),
    task: 'pytorch: train.models:build_model on train.data:train_loader (cross_entropy)',
  };
}

/**
 * A simulation as the server sends it: the file's request run through the same core functions as the language
 * server's job (`runSimulation`) and mapped by the product's own `toSimulationView`, so the fixtures carry the
 * product's labels. `seconds` is fixed so that a regeneration gives the same file.
 */
function simulationView(request: SimulateRequest, uri: string): SimulationView {
  const summary = runSimulation(request);
  if (summary.result.issues.length > 0) throw new Error(summary.result.issues.map((issue) => issue.message).join('\n'));
  return toSimulationView(uri, summary, 0.04);
}

const rosenbrock = simulationView(
  {
    function: 'rosenbrock',
    x0: [-1.5, 2],
    steps: 600,
    optimizers: [
      { type: 'Adam', label: 'Adam lr=0.05', params: { lr: 0.05 } },
      { type: 'SGD', label: 'SGD momentum=0.9', params: { lr: 1e-4, momentum: 0.9 } },
    ],
    surfaceResolution: 96,
    maxRecordedPoints: 601,
  },
  'file:///work/configs/rosenbrock.optim.yaml',
);

// SGD past GD's limit (a bound, unstable) beside Adam at the same lr (no bound: measured).
const quadratic = simulationView(
  {
    function: 'quadratic_ill',
    x0: [1.8, 1.2],
    steps: 60,
    optimizers: [
      { type: 'SGD', label: 'SGD lr=0.0205', params: { lr: 0.0205 } },
      { type: 'Adam', label: 'Adam lr=0.0205', params: { lr: 0.0205 } },
    ],
    surfaceResolution: 64,
  },
  'file:///work/configs/ill-conditioned.optim.yaml',
);

const dormant = simulationView(
  {
    function: { type: 'quadratic', diag: [1, 1, 1, 1, 1, 1] },
    x0: [1, 1, 1, 1, 1, 1],
    steps: 300,
    optimizers: [
      { type: 'Adagrad', label: 'Adagrad lr=0.1', params: { lr: 0.1 } },
      { type: 'Adam', label: 'Adam lr=0.01', params: { lr: 0.01 } },
    ],
    dormant: { coordinate: 5, start: 0, end: 150 },
    noise: { std: 0.05, seed: 3 },
  },
  'file:///work/configs/dormant.optim.yaml',
);

const sweep = simulationView(
  {
    function: 'rosenbrock',
    x0: [-1.5, 2],
    steps: 300,
    optimizers: [{ type: 'Adam', params: { lr: 0.01 } }],
    grid: { lr: [1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1, 2e-1, 5e-1, 1, 2], beta1: [0, 0.5, 0.8, 0.9, 0.95, 0.99] },
    surfaceResolution: 0,
  },
  'file:///work/configs/sweep.optim.yaml',
);

const full = rangeTestView();
const fixtures: Record<string, unknown> = {
  'rangeTest.diverged.json': full,
  'rangeTest.stillFalling.json': stillFallingView(full),
  'rangeTest.yourModel.json': yourModelView(full),
  'landscape.rosenbrock.json': rosenbrock,
  'landscape.quadratic.json': quadratic,
  'landscape.dormant.json': dormant,
  'landscape.sweep.json': sweep,
};
for (const [name, value] of Object.entries(fixtures)) {
  // Eight significant digits keep the files small; the tests compare against these same numbers.
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'number' && Number.isFinite(item) ? Number(item.toPrecision(8)) : item,
  );
  writeFileSync(join(fixtureFolder, name), text + '\n');
  console.log(`${name}: ${text.length} bytes`);
}
