// Catalog entry for the `range_test:` section: the LR range test's task, ramp, smoothing and stop rule.

import { BUILT_IN_LOSSES, RANGE_TEST_TASKS, type RangeTestTaskName } from '../rangeTest/types';
import type { SectionEntry } from './types';

/** One built-in range-test task: what `task:` documents for it, and what it trains in the words the plan and the result use. */
export interface RangeTestTaskEntry {
  /** The parenthesis after the task's name in the `task` parameter's documentation. */
  readonly doc: string;
  /** What it trains, e.g. in "a proxy: a synthetic 2-64-64-3 MLP on a 3-arm spiral". */
  readonly description: string;
}

/** Every task of `range_test.task`, in one record each so that its documentation and its description stay together. */
export const RANGE_TEST_TASK_ENTRIES: Readonly<Record<RangeTestTaskName, RangeTestTaskEntry>> = {
  pytorch: {
    doc: 'your own model and data, `model`/`data`/`loss` below, in your Python',
    description: 'your PyTorch model',
  },
  spiral: {
    doc: 'MLP on a 3-arm spiral, the default when the file has no `task`',
    description: 'a synthetic 2-64-64-3 MLP on a 3-arm spiral',
  },
  mnist_mlp: {
    doc: 'MLP 784-256-10 on an MNIST-sized problem',
    description: 'a synthetic 784-256-10 MLP on random MNIST-sized data',
  },
  cnn: { doc: 'small CNN on 28x28 images', description: 'a small synthetic CNN on 28x28 images of oriented bars' },
  user: {
    doc: 'a TensorFlow.js model.json and a CSV from the workspace',
    description: 'a TensorFlow.js model.json and a CSV from the workspace',
  },
};

/** What a task trains, in words the warning and the result use. */
export function rangeTestTaskDescription(task: RangeTestTaskName): string {
  return RANGE_TEST_TASK_ENTRIES[task].description;
}

/** The `task` parameter's documentation, written from the task records: your model first, then the proxies, then `user`. */
function taskParamDoc(): string {
  const named = (task: RangeTestTaskName) => `\`${task}\` (${RANGE_TEST_TASK_ENTRIES[task].doc})`;
  const others = RANGE_TEST_TASKS.filter((task) => task !== 'pytorch');
  return (
    `What to train: ${named('pytorch')}, or a synthetic proxy whose result says nothing about your model: ` +
    `${others.slice(0, -1).map(named).join(', ')}, or ${named(others[others.length - 1]!)}.`
  );
}

export const RANGE_TEST_SECTION: SectionEntry = {
  kind: 'section',
  name: 'range_test',
  summary:
    "An LR range test (Leslie Smith's method) on your own PyTorch model (`task: pytorch`) or a synthetic proxy, run on demand with the configured optimizer.",
  doc: [
    'Trains a model for `num_iter` steps while the learning rate grows from `start_lr` to `end_lr`,',
    'records the loss at every step, smooths it, and stops once it diverges. The optimizer block is used as',
    'written (type, momentum or betas, weight decay); the scheduler is replaced by the ramp during the test.',
    '',
    'With `task: pytorch` it trains **your** model on **your** data, in your Python (`optimizerLens.python.interpreter`,',
    "else the Python extension's environment, else `python3`) on your device (`device: auto` picks cuda, then mps,",
    'then cpu); the optimizer is built by torch itself from the class and keywords as written. `model`, `data` and `loss`',
    'are Python entry points `module:callable`, imported with the workspace folder first on `sys.path`. It needs a trusted',
    'workspace. The other tasks train a small synthetic proxy: a quick feel for an optimizer, not a number for your model.',
    '',
    "Three suggestions are read from the smoothed curve: the steepest descent against log10(lr), fastai's",
    '"valley", and the lr at the minimum divided by 10. Run it with **Optimizer Lens: Run LR Range Test** or',
    '`optlens range-test FILE`.',
  ].join('\n'),
  references: [
    {
      title: 'L. N. Smith, Cyclical Learning Rates for Training Neural Networks (2017)',
      url: 'https://arxiv.org/abs/1506.01186',
    },
    { title: 'fastai: Learner.lr_find', url: 'https://docs.fast.ai/callback.schedule.html#learner.lr_find' },
    { title: 'pytorch-lr-finder', url: 'https://github.com/davidtvs/pytorch-lr-finder' },
  ],
  params: [
    {
      name: 'task',
      type: 'enum',
      values: [...RANGE_TEST_TASKS],
      default: 'spiral',
      doc: taskParamDoc(),
    },
    {
      name: 'start_lr',
      type: 'number',
      default: 1e-7,
      min: { value: 0, exclusive: true },
      unit: 'lr',
      doc: 'Learning rate of the first iteration.',
    },
    {
      name: 'end_lr',
      type: 'number',
      default: 10,
      min: { value: 0, exclusive: true },
      unit: 'lr',
      doc: 'Learning rate of the last iteration (must be above `start_lr`).',
    },
    {
      name: 'num_iter',
      type: 'integer',
      default: 100,
      min: { value: 2 },
      max: { value: 100000 },
      unit: 'steps',
      doc: 'Number of training steps in the ramp.',
    },
    {
      name: 'step_mode',
      type: 'enum',
      values: ['exp', 'linear'],
      default: 'exp',
      doc: 'How the lr grows: `exp` (evenly spaced on a log scale, the usual choice) or `linear`.',
    },
    {
      name: 'smooth',
      type: 'number',
      default: 0.98,
      min: { value: 0 },
      max: { value: 1, exclusive: true },
      doc: 'Beta of the bias-corrected exponential moving average of the loss (0 turns smoothing off).',
    },
    {
      name: 'diverge_threshold',
      type: 'number',
      default: 4,
      min: { value: 1, exclusive: true },
      doc: 'Stop early once the smoothed loss exceeds this multiple of the best smoothed loss; NaN or Inf always stops.',
    },
    {
      name: 'batch_size',
      type: 'integer',
      default: 128,
      min: { value: 1 },
      max: { value: 65536 },
      doc: 'Samples per training step of the proxy tasks (task `pytorch` takes its batches from your loader).',
    },
    {
      name: 'seed',
      type: 'integer',
      default: 0,
      min: { value: 0 },
      doc: 'Seed for the data, the initial weights and the batch order: the same seed gives the same curve on the same backend.',
    },
    {
      name: 'model',
      type: 'string',
      doc:
        'Task `pytorch`: a Python entry point `module:callable` (e.g. `train.models:build_model`) returning a `torch.nn.Module`, ' +
        'imported with the workspace folder first on `sys.path`; never a file path. Task `user`: workspace-relative path of a TensorFlow.js Layers `model.json`.',
    },
    {
      name: 'data',
      type: 'string',
      doc:
        'Task `pytorch`: a Python entry point `module:callable` (e.g. `train.data:train_loader`) returning an iterable of batches ' +
        '(a DataLoader): `(inputs, targets)` tuples, or dicts passed as `model(**batch)`; it is re-iterated when exhausted. ' +
        'Task `user`: workspace-relative path of a CSV of numeric features with the label in the last column.',
    },
    {
      name: 'loss',
      type: 'string',
      doc:
        `Task \`pytorch\`: ${BUILT_IN_LOSSES.map((name) => `\`${name}\``).join(', ')}, or a Python entry point \`module:callable(outputs, targets)\` returning a scalar tensor. ` +
        'Leave it out when the model returns its loss (a scalar, an output with `.loss`, or a dict with `"loss"`, Hugging Face style).',
    },
    {
      name: 'device',
      type: 'string',
      default: 'auto',
      doc: 'Task `pytorch`: `auto` (cuda, then mps, then cpu, as torch reports them) or a torch device string such as `cpu`, `cuda` or `cuda:1`.',
    },
  ],
};
