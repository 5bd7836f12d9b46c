// Feature tests that read like the features: quick fixes shown as the document after the edit, hovers and
// completion lists written out inline. The helpers (featureHelpers.ts) use the pure core, as the language server does.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCompletion, checkCompletionEdit, checkFix, checkHover, cursorAfter } from './featureHelpers';

describe('quick fixes', () => {
  test('OL207: Adam with weight decay becomes AdamW', () => {
    checkFix(
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        weight_d$0ecay: 0.01
    `,
      'Switch to AdamW (decoupled weight decay)',
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
        weight_decay: 0.01
    `,
    );
  });
  test('OL207: the torch.optim. prefix is kept', () => {
    checkFix(
      `
      optimizer:
        type: torch.optim.Adam
        lr: 1.0e-3
        $0weight_decay: 0.01
    `,
      'Switch to AdamW (decoupled weight decay)',
      `
      optimizer:
        type: torch.optim.AdamW
        lr: 1.0e-3
        weight_decay: 0.01
    `,
    );
  });
  test('OL004: 2e-5 is written 2.0e-5, a float for PyYAML too', () => {
    checkFix(
      `
      optimizer:
        type: AdamW
        lr: 2e$0-5
    `,
      'Write `2.0e-5` (a float for every YAML loader)',
      `
      optimizer:
        type: AdamW
        lr: 2.0e-5
    `,
    );
  });
  test('OL006: a YAML 1.1 boolean word is quoted', () => {
    checkFix(
      `
      optimizer:
        type: SGD
        lr: 0.1
        momentum: 0.9
        nesterov: y$0es
    `,
      'Quote as "yes"',
      `
      optimizer:
        type: SGD
        lr: 0.1
        momentum: 0.9
        nesterov: "yes"
    `,
    );
  });
  test('OL100: did you mean, for a misspelt section', () => {
    checkFix(
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      tra$0ning:
        steps: 10
    `,
      'Rename to `training`',
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      training:
        steps: 10
    `,
    );
  });
  test('OL100: did you mean, for a misspelt key of training:', () => {
    checkFix(
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      training:
        step$0z: 10
    `,
      'Rename to `steps`',
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      training:
        steps: 10
    `,
    );
  });
  test('OL103: did you mean, for a misspelt parameter, in JSON with its quotes', () => {
    checkFix(
      `
      //- config.optim.json
      {"optimizer": {"type": "AdamW", "lr": 0.001, "weight_de$0cy": 0.01}}
    `,
      'Rename to `weight_decay`',
      `
      {"optimizer": {"type": "AdamW", "lr": 0.001, "weight_decay": 0.01}}
    `,
    );
  });
  test('OL101: did you mean, for an optimizer name, keeping the torch.optim. prefix', () => {
    checkFix(
      `
      optimizer:
        type: torch.optim.Adam$0m
        lr: 1.0e-3
    `,
      'Change to `torch.optim.Adam`',
      `
      optimizer:
        type: torch.optim.Adam
        lr: 1.0e-3
    `,
    );
  });
  test('OL102: did you mean, for a scheduler name', () => {
    checkFix(
      `
      scheduler:
        type: CosineAnea$0lingLR
        T_max: 10
    `,
      'Change to `CosineAnnealingLR`',
      `
      scheduler:
        type: CosineAnnealingLR
        T_max: 10
    `,
    );
  });
  // The scheduler fixes below differ only in the scheduler block: the file around it is built here.
  const SGD = 'type: SGD\nlr: 0.1\nmomentum: 0.9';
  const ADAMW = 'type: AdamW\nlr: 1.0e-3';
  const configFile = (optimizer: string, scheduler: string, steps: number): string => `
      optimizer:
        ${optimizer.replace(/\n/g, '\n        ')}
      scheduler:
        ${scheduler.replace(/\n/g, '\n        ')}
      training:
        steps: ${steps}
    `;
  const schedulerFixes: readonly {
    name: string;
    optimizer: string;
    steps: number;
    before: string;
    title: string;
    after: string;
  }[] = [
    {
      name: 'OL104: did you mean, for an enum value',
      optimizer: SGD,
      steps: 100,
      before: 'type: OneCycleLR\nmax_lr: 0.1\ntotal_steps: 100\nanneal_strategy: co$0ss',
      title: "Change to 'cos'",
      after: 'type: OneCycleLR\nmax_lr: 0.1\ntotal_steps: 100\nanneal_strategy: cos',
    },
    {
      name: 'OL201: a milestone past the run is clamped to the run length',
      optimizer: ADAMW,
      steps: 1000,
      before: 'type: MultiStepLR\nmilestones: [300, 12$000]',
      title: 'Clamp to 1000 (the run length)',
      after: 'type: MultiStepLR\nmilestones: [300, 1000]',
    },
    {
      name: 'OL201: so is a total_iters past the run',
      optimizer: ADAMW,
      steps: 1000,
      before: 'type: PolynomialLR\ntotal_iters: $01200',
      title: 'Clamp to 1000 (the run length)',
      after: 'type: PolynomialLR\ntotal_iters: 1000',
    },
    {
      name: 'OL206: T_max shorter than the run is set to the run length',
      optimizer: ADAMW,
      steps: 1000,
      before: 'type: CosineAnnealingLR\nT_max: 2$00',
      title: 'Set `T_max` to 1000',
      after: 'type: CosineAnnealingLR\nT_max: 1000',
    },
    {
      name: 'OL215: so is a T_max longer than the run',
      optimizer: ADAMW,
      steps: 1000,
      before: 'type: CosineAnnealingLR\nT_max: 5000$0',
      title: 'Set `T_max` to 1000',
      after: 'type: CosineAnnealingLR\nT_max: 1000',
    },
    {
      name: 'OL203: OneCycleLR total_steps shorter than the run is set to the run length',
      optimizer: SGD,
      steps: 1000,
      before: 'type: OneCycleLR\nmax_lr: 0.1\ntotal_steps: $0500',
      title: 'Set `total_steps` to 1000',
      after: 'type: OneCycleLR\nmax_lr: 0.1\ntotal_steps: 1000',
    },
    {
      name: 'OL215: a Hugging Face schedule sized for another run is set to the run length',
      optimizer: ADAMW,
      steps: 1000,
      before: 'type: hf.linear\nnum_warmup_steps: 10\nnum_training_steps: 5$000',
      title: 'Set `num_training_steps` to 1000',
      after: 'type: hf.linear\nnum_warmup_steps: 10\nnum_training_steps: 1000',
    },
  ];
  for (const { name, optimizer, steps, before, title, after } of schedulerFixes)
    test(name, () => checkFix(configFile(optimizer, before, steps), title, configFile(optimizer, after, steps)));
  test('OL210: cycle_momentum: false is added to a CyclicLR block under Adam', () => {
    checkFix(
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      scheduler:
        type: Cyclic$0LR
        base_lr: 1.0e-4
        max_lr: 1.0e-3
    `,
      'Set `cycle_momentum: false`',
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      scheduler:
        type: CyclicLR
        base_lr: 1.0e-4
        max_lr: 1.0e-3
        cycle_momentum: false
    `,
    );
  });
  test('OL210: an explicit cycle_momentum: true is turned off, in JSON', () => {
    checkFix(
      `
      //- config.optim.json
      {
        "optimizer": {"type": "AdamW", "lr": 0.001},
        "scheduler": {"type": "CyclicLR", "base_lr": 0.0001, "max_lr": 0.001, "cycle_momentum": tr$0ue}
      }
    `,
      'Set `cycle_momentum: false`',
      `
      {
        "optimizer": {"type": "AdamW", "lr": 0.001},
        "scheduler": {"type": "CyclicLR", "base_lr": 0.0001, "max_lr": 0.001, "cycle_momentum": false}
      }
    `,
    );
  });
  test('suppress on this line: a YAML comment', () => {
    checkFix(
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        weight_decay$0: 0.01
    `,
      'Suppress OL207 on this line',
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        weight_decay: 0.01 # optlens-disable-line OL207
    `,
    );
  });
  test('suppress on this line: an existing suppression comment is extended', () => {
    checkFix(
      `
      optimizer:
        type: Adam
        lr: 0.5 # optlens-disable-line OL208
        weight_decay: 0.01
        momentum$0: 0.9 # optlens-disable-line OL208
    `,
      'Suppress OL209 on this line',
      `
      optimizer:
        type: Adam
        lr: 0.5 # optlens-disable-line OL208
        weight_decay: 0.01
        momentum: 0.9 # optlens-disable-line OL208 OL209
    `,
    );
  });
  test('suppress on this line: a // comment in JSON', () => {
    checkFix(
      `
      //- config.optim.json
      {
        "optimizer": {"type": "AdamW", "lr": 0$0.5}
      }
    `,
      'Suppress OL208 on this line',
      `
      {
        "optimizer": {"type": "AdamW", "lr": 0.5} // optlens-disable-line OL208
      }
    `,
    );
  });
});

describe("quick fixes in other tools' files", () => {
  test('OL301: DeepSpeed, did you mean, for a top-level key', () => {
    checkFix(
      `
      //- ds_config.json
      {
        "train_batch_size": 32,
        "gradient_acumulation_$0steps": 4,
        "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}}
      }
    `,
      'Rename to `gradient_accumulation_steps`',
      `
      {
        "train_batch_size": 32,
        "gradient_accumulation_steps": 4,
        "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}}
      }
    `,
    );
  });
  test('OL107: DeepSpeed, a deprecated ZeRO key is replaced by its successor', () => {
    checkFix(
      `
      //- ds_config.json
      {
        "train_batch_size": 32,
        "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}},
        "zero_optimization": {"stage": 2, "cpu_off$0load": true}
      }
    `,
      'Replace with `offload_optimizer: {"device": "cpu"}`',
      `
      {
        "train_batch_size": 32,
        "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}},
        "zero_optimization": {"stage": 2, "offload_optimizer": {"device": "cpu"}}
      }
    `,
    );
  });
  test('OL304: DeepSpeed, "Adam" with weight decay is written "AdamW"', () => {
    checkFix(
      `
      //- ds_config.json
      {"train_batch_size": 32, "optimizer": {"type": "Ad$0am", "params": {"lr": 0.001, "weight_decay": 0.01}}}
    `,
      'Write "AdamW"',
      `
      {"train_batch_size": 32, "optimizer": {"type": "AdamW", "params": {"lr": 0.001, "weight_decay": 0.01}}}
    `,
    );
  });
  test('OL311: Lightning, ReduceLROnPlateau gets a monitor', () => {
    checkFix(
      `
      //- config.yaml
      optimizer:
        class_path: torch.optim.AdamW
        init_args:
          lr: 0.001
      lr_scheduler:
        class_path: ReduceLR$0OnPlateau
        init_args:
          patience: 5
    `,
      'Add `monitor: val_loss`',
      `
      optimizer:
        class_path: torch.optim.AdamW
        init_args:
          lr: 0.001
      lr_scheduler:
        class_path: ReduceLROnPlateau
        init_args:
          patience: 5
          monitor: val_loss
    `,
    );
  });
  test('OL323: Hugging Face, did you mean, for lr_scheduler_type', () => {
    checkFix(
      `
      //- train.yaml
      learning_rate: 1.0e-4
      lr_scheduler_type: cos$0in
      max_steps: 10
    `,
      "Change to 'cosine'",
      `
      learning_rate: 1.0e-4
      lr_scheduler_type: cosine
      max_steps: 10
    `,
    );
  });
  test('OL320: Hugging Face, constant with a warm-up becomes constant_with_warmup', () => {
    checkFix(
      `
      //- train.yaml
      learning_rate: 1.0e-4
      lr_scheduler_type: constant
      warmup_$0steps: 100
    `,
      'Use constant_with_warmup',
      `
      learning_rate: 1.0e-4
      lr_scheduler_type: constant_with_warmup
      warmup_steps: 100
    `,
    );
  });
  test('OL330: Hydra, an optimizer without its parameters gets _partial_: true', () => {
    checkFix(
      `
      //- optimizer.yaml
      optimizer:
        _target_: torch.optim.Ada$0mW
        lr: 0.001
    `,
      'Add `_partial_: true`',
      `
      optimizer:
        _target_: torch.optim.AdamW
        lr: 0.001
        _partial_: true
    `,
    );
  });
});

/** A native config with every section, for the hover cases below. */
const NATIVE = `
  optimizer:
    type: AdamW
    lr: 3.0e-4
    weight_decay: 0.01
  scheduler:
    type: SequentialLR
    schedulers:
      - {type: LinearLR, start_factor: 0.01, total_iters: 500}
      - {type: CosineAnnealingLR, T_max: 9500, eta_min: 1.0e-6}
    milestones: [500]
  training:
    steps: 10000
  range_test:
    task: pytorch
    model: train.models:build_model
    data: train.data:train_loader
    loss: cross_entropy
    device: cuda:1
    start_lr: 1.0e-7
  simulate:
    function: rosenbrock
`;

/** NATIVE with the cursor after the first occurrence of `before`. */
function at(before: string, text = NATIVE): string {
  return cursorAfter(before, text);
}

describe('hover', () => {
  test('optimizer name: the catalog entry, its defaults and references', () => {
    checkHover(
      at('type: Ada'),
      `
      «AdamW»

      ### AdamW

      *torch.optim optimizer*: Adam with decoupled weight decay.

      **Update rule** (PyTorch 1.13):
      …
      | parameter | default |
      | --- | --- |
      | \`lr\` | \`0.001\` |
      | \`betas\` | \`[0.9, 0.999]\` |
      …
      References: [torch.optim.AdamW (PyTorch 1.13)](https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html) · …
    `,
    );
  });
  test('scheduler name: the computed schedule comes first, then the reference text', () => {
    checkHover(
      at('type: Sequen'),
      `
      «SequentialLR»

      **Schedule** over 10000 steps: starts at \`3e-6\`, peaks at \`3e-4\` at step 500, ends at \`1e-6\`.

      ### SequentialLR

      *torch.optim.lr_scheduler scheduler*: Runs schedulers one after another, switching at the milestones.
      …
    `,
    );
  });
  test("a nested scheduler: its reference text only (the summary is the whole schedule's)", () => {
    checkHover(
      at('type: CosineAnn'),
      `
      «CosineAnnealingLR»

      ### CosineAnnealingLR

      *torch.optim.lr_scheduler scheduler*: Anneals the lr along a half cosine from the base lr to eta_min over T_max steps.
      …
    `,
    );
  });
  test('scheduler without a run length: the summary says it is a preview', () => {
    checkHover(
      `
      optimizer:
        type: SGD
        lr: 0.1
      scheduler:
        type: Step$0LR
        step_size: 10
        gamma: 0.5
    `,
      `
      «StepLR»

      **Schedule** over 1000 steps (preview): starts at \`0.1\`, peaks at \`0.1\` at step 0, ends at \`…\`.

      *The file gives no run length…: showing 1000 steps.*

      ### StepLR
      …
    `,
    );
  });
  test('parameter key: type, default, range, documentation and the effective value', () => {
    checkHover(
      at('weight_de'),
      `
      «weight_decay»

      **weight_decay** of AdamW: *a number* · default \`0.01\` · >= 0

      Decoupled weight decay: the weights shrink by \`lr * weight_decay\` each step, outside the adaptive update.

      Effective value: \`0.01\`
    `,
    );
  });
  test('parameter value: the same card, anchored on the value', () => {
    checkHover(
      at('lr: 3.0'),
      `
      «3.0e-4»

      **lr** of AdamW: *a number* · default \`0.001\` · >= 0

      …

      Effective value: \`3e-4\`
    `,
    );
  });
  test("a nested scheduler's parameter", () => {
    checkHover(
      at('T_ma'),
      `
      «T_max»

      **T_max** of CosineAnnealingLR: *an integer* · required · >= 1

      Half period: steps from the base lr down to \`eta_min\`.

      Effective value: \`9500\`
    `,
    );
  });
  test('section key optimizer: the section and the chosen optimizer', () => {
    checkHover(
      at('optim'),
      `
      «optimizer»

      **optimizer**: A PyTorch optimizer: \`type:\` (class name or \`torch.optim.<Name>\`) plus its keyword arguments, verbatim.

      **AdamW**: Adam with decoupled weight decay.
    `,
    );
  });
  test('section key scheduler: the computed schedule first', () => {
    checkHover(
      at('sched'),
      `
      «scheduler»

      **Schedule** over 10000 steps: starts at \`3e-6\`, peaks at \`3e-4\` at step 500, ends at \`1e-6\`.

      **scheduler**: A learning-rate scheduler: \`type:\` (PyTorch class, \`hf.<type>\` or a DeepSpeed schedule) plus its keyword arguments.
    `,
    );
  });
  test('section key training: the run length', () => {
    checkHover(
      at('train'),
      `
      «training»

      **training**: The run the schedule is checked against: its length in optimizer updates, batch size and clipping.

      Run length: **10000** optimizer updates.
    `,
    );
  });
  test('section keys range_test and simulate', () => {
    checkHover(at('range_'), '«range_test»\n\n**range_test**: An LR range test …');
    checkHover(at('simu'), '«simulate»\n\n**simulate**: …');
  });
  test('training key', () => {
    checkHover(
      at('  ste'),
      `
      «steps»

      **steps** of \`training:\`: *an integer* · >= 1

      Total optimizer updates in the run (scheduler steps).

      Effective value: \`10000\`
    `,
    );
  });
  test('range_test task: pytorch, with the value written in the file as the effective value', () => {
    checkHover(
      at('task: py'),
      `
      «pytorch»

      **task** of \`range_test:\`: *one of 'pytorch', 'spiral', 'mnist_mlp', 'cnn', 'user'* · default \`spiral\`

      What to train: \`pytorch\` (your own model and data, \`model\`/\`data\`/\`loss\` below, in your Python), or a synthetic proxy …

      Effective value: \`pytorch\`
    `,
    );
  });
  test('range_test model, data and loss: Python entry points for task pytorch', () => {
    checkHover(
      at('  mod'),
      `
      «model»

      **model** of \`range_test:\`: *a string*

      Task \`pytorch\`: a Python entry point \`module:callable\` (e.g. \`train.models:build_model\`) returning a \`torch.nn.Module\`, …

      Effective value: \`train.models:build_model\`
    `,
    );
    checkHover(
      at('  dat'),
      `
      «data»

      **data** of \`range_test:\`: *a string*

      Task \`pytorch\`: a Python entry point \`module:callable\` (e.g. \`train.data:train_loader\`) returning an iterable of batches …

      Effective value: \`train.data:train_loader\`
    `,
    );
    checkHover(
      at('  los'),
      `
      «loss»

      **loss** of \`range_test:\`: *a string*

      Task \`pytorch\`: \`cross_entropy\`, \`mse\`, or a Python entry point \`module:callable(outputs, targets)\` returning a scalar tensor. …

      Effective value: \`cross_entropy\`
    `,
    );
  });
  test('range_test device, and a numeric range_test key', () => {
    checkHover(
      at('  dev'),
      `
      «device»

      **device** of \`range_test:\`: *a string* · default \`auto\`

      Task \`pytorch\`: \`auto\` (cuda, then mps, then cpu, as torch reports them) or a torch device string such as \`cpu\`, \`cuda\` or \`cuda:1\`.

      Effective value: \`cuda:1\`
    `,
    );
    checkHover(
      at('start_l'),
      `
      «start_lr»

      **start_lr** of \`range_test:\`: *a number* · default \`1e-7\` · > 0

      Learning rate of the first iteration.

      Effective value: \`1e-7\`
    `,
    );
  });
  test('simulate key', () => {
    checkHover(
      at('funct'),
      `
      «function»

      **function** of \`simulate:\`: *a value* · default \`rosenbrock\`

      The landscape: a built-in name (\`rosenbrock\`, …

      Effective value: \`rosenbrock\`
    `,
    );
  });
  test('nothing under the cursor, and a file that is not a config', () => {
    checkHover(
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      $0
    `,
      '(no hover)',
    );
    checkHover(
      `
      //- compose.yaml
      services:
        we$0b:
          image: nginx
    `,
      '(no hover)',
    );
  });
});

const DEEPSPEED = `
  //- ds_config.json
  {
    "train_batch_size": 32,
    "optimizer": {"type": "AdamW", "params": {"lr": 3e-4, "weight_decay": 0.01}},
    "scheduler": {"type": "WarmupDecayLR", "params": {"warmup_num_steps": 100, "total_num_steps": 1000}}
  }
`;
const HUGGING_FACE = `
  //- train.yaml
  learning_rate: 2.0e-5
  lr_scheduler_type: cosine
  warmup_steps: 100
  max_steps: 1000
  per_device_train_batch_size: 8
`;
const LIGHTNING = `
  //- config.yaml
  optimizer:
    class_path: torch.optim.AdamW
    init_args:
      lr: 1.0e-3
  lr_scheduler:
    class_path: torch.optim.lr_scheduler.StepLR
    init_args:
      step_size: 10
  trainer:
    max_epochs: 3
`;
const HYDRA = `
  //- optimizer.yaml
  optimizer:
    _target_: torch.optim.SGD
    _partial_: true
    lr: 0.1
    momentum: 0.9
`;
const AXOLOTL = `
  //- axolotl.yaml
  base_model: meta-llama/Llama-2-7b-hf
  optimizer: adamw_torch
  learning_rate: 2.0e-4
  lr_scheduler: cosine
  num_epochs: 1
  micro_batch_size: 2
`;

describe("hover in other tools' files: their keys, PyTorch's documentation", () => {
  test("DeepSpeed: the optimizer type is DeepSpeed's FusedAdam", () => {
    checkHover(
      at('"Ada', DEEPSPEED),
      `
      «"AdamW"»

      ### FusedAdam

      *…*: DeepSpeed's Adam (ds_config \`"type": "Adam"\` or \`"AdamW"\`): decoupled weight decay by default.
      …
    `,
    );
  });
  test("DeepSpeed: a key inside params is the optimizer's parameter", () => {
    checkHover(
      at('"l', DEEPSPEED),
      `
      «"lr"»

      **lr** of FusedAdam: *a number* · default \`0.001\` · >= 0

      Learning rate (default \`0.001\`).

      Effective value: \`3e-4\`
    `,
    );
  });
  test('DeepSpeed: a scheduler, with its computed schedule first, and one of its params', () => {
    checkHover(
      at('"WarmupDec', DEEPSPEED),
      `
      «"WarmupDecayLR"»

      **Schedule** over 1000 steps: starts at \`0\`, peaks at \`0.001\` at step 101, ends at \`2.222e-6\`; lowest \`0\` at step 0.

      ### WarmupDecayLR

      *DeepSpeed scheduler*: DeepSpeed: WarmupLR followed by a linear decay to warmup_min_lr at total_num_steps.
      …
    `,
    );
    checkHover(
      at('"warmup_num', DEEPSPEED),
      `
      «"warmup_num_steps"»

      **warmup_num_steps** of WarmupDecayLR: *an integer* · default \`1000\` · >= 1

      Length of the warm-up (at least 2 is used).

      Effective value: \`100\`
    `,
    );
  });
  test("Hugging Face: TrainingArguments keys are PyTorch's and transformers' parameters", () => {
    checkHover(
      at('learning_r', HUGGING_FACE),
      `
      «learning_rate»

      **lr** of AdamW: *a number* · default \`0.001\` · >= 0

      Learning rate (default \`0.001\`).

      Effective value: \`2e-5\`
    `,
    );
    checkHover(
      at('max_st', HUGGING_FACE),
      `
      «max_steps»

      **num_training_steps** of hf.cosine: *an integer* · required · >= 1

      Total number of optimizer steps of the run; the decay ends here.

      Effective value: \`1000\`
    `,
    );
    checkHover(
      at('lr_scheduler_type: cos', HUGGING_FACE),
      `
      «cosine»

      **Schedule** over 1000 steps: starts at \`0\`, peaks at \`2e-5\` at step 100, ends at \`6.092e-11\`; lowest \`0\` at step 0.

      ### hf.cosine

      *Hugging Face scheduler*: Linear warm-up from 0, then cosine decay to 0.
      …
    `,
    );
  });
  test('axolotl: the optimizer name says which program reads the file', () => {
    checkHover(
      at('adamw_t', AXOLOTL),
      `
      «adamw_torch»

      ### AdamW
      …
      *Read as axolotl config (pydantic schema).*
    `,
    );
  });
  test('Lightning: class_path and init_args', () => {
    checkHover(
      at('torch.optim.Ada', LIGHTNING),
      `
      «torch.optim.AdamW»

      ### AdamW
      …
      *Read as LightningCLI (jsonargparse).*
    `,
    );
    checkHover(
      at('step_si', LIGHTNING),
      `
      «step_size»

      **step_size** of StepLR: *an integer* · required · >= 1

      Period of the decay, in scheduler steps.

      Effective value: \`10\`
    `,
    );
  });
  test('Hydra: _target_ and the keyword arguments beside it', () => {
    checkHover(
      at('torch.optim.SG', HYDRA),
      `
      «torch.optim.SGD»

      ### SGD
      …
      *Read as hydra.utils.instantiate.*
    `,
    );
    checkHover(
      at('momen', HYDRA),
      `
      «momentum»

      **momentum** of SGD: *a number* · default \`0\` · >= 0

      Momentum factor (0 turns momentum off; 0.9 is common).

      Effective value: \`0.9\`
    `,
    );
  });
});

describe('completion, in every context completionContext tells apart', () => {
  test('top level of an empty file: the sections, then the setup snippets', () => {
    checkCompletion(
      '$0',
      `
      section optimizer
      section scheduler
      section training
      section range_test
      section simulate
      snippet AdamW + linear warmup + cosine decay
      snippet SGD + momentum + OneCycleLR
      snippet AdamW + Hugging Face cosine with warmup
      snippet SGD + step decay (MultiStepLR)
    `,
    );
  });
  test('top level beside an optimizer: the missing sections, no snippets', () => {
    checkCompletion(
      `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      $0
    `,
      `
      section scheduler
      section training
      section range_test
      section simulate
    `,
    );
  });
  test('top level of a JSON file, and what a section inserts there', () => {
    checkCompletion(
      `
      //- config.optim.json
      {$0}
    `,
      `
      section optimizer
      section scheduler
      section training
      section range_test
      section simulate
      …
    `,
    );
    checkCompletionEdit(
      `
      //- config.optim.json
      {$0}
    `,
      'scheduler',
      '{"scheduler": {}}',
    );
  });
  test('a top-level value: nothing', () => {
    checkCompletion('optimizer: $0', '(none)');
  });
  test('optimizer type value: the optimizer names', () => {
    checkCompletion(
      `
      optimizer:
        type: $0
    `,
      `
      optimizer SGD
      optimizer Adagrad
      optimizer RMSprop
      optimizer Adadelta
      optimizer Adam
      optimizer AdamW
      …
      optimizer LARS
    `,
    );
  });
  test('optimizer key: the parameters not written yet, with their defaults', () => {
    checkCompletion(
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        $0
    `,
      `
      param betas (default [0.9, 0.999])
      param eps (default 1.0e-8)
      param weight_decay (default 0)
      param amsgrad (default false)
      …
    `,
    );
    checkCompletionEdit(
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        be$0
    `,
      'betas',
      `
      optimizer:
        type: Adam
        lr: 1.0e-3
        betas: [0.9, 0.999]
    `,
    );
  });
  test('optimizer key in JSON: quoted keys, JSON literals', () => {
    checkCompletion(
      `
      //- config.optim.json
      {"optimizer": {"type": "AdamW", "weight_decay": 0.05, $0}}
    `,
      `
      param lr (default 0.001)
      param betas (default [0.9, 0.999])
      param eps (default 1e-8)
      param amsgrad (default false)
      …
    `,
    );
    checkCompletionEdit(
      `
      //- config.optim.json
      {"optimizer": {"type": "AdamW", $0}}
    `,
      'eps',
      '{"optimizer": {"type": "AdamW", "eps": 1e-8}}',
    );
  });
  test('optimizer type value in JSON', () => {
    checkCompletion(
      `
      //- config.optim.json
      {"optimizer": {"type": "$0"}}
    `,
      `
      optimizer SGD
      …
      optimizer AdamW
      …
    `,
    );
  });
  test("a boolean parameter's value: true and false, the default marked", () => {
    checkCompletion(
      `
      optimizer:
        type: SGD
        lr: 0.1
        nesterov: $0
    `,
      `
      value true
      value false (default)
    `,
    );
  });
  test('scheduler type value: the torch, Hugging Face and DeepSpeed schedulers', () => {
    checkCompletion(
      `
      scheduler:
        type: Cos$0
    `,
      `
      scheduler StepLR
      …
      scheduler CosineAnnealingLR
      …
      scheduler hf.cosine
      …
      scheduler WarmupDecayLR
      …
    `,
    );
  });
  test('scheduler key: required parameters first', () => {
    checkCompletion(
      `
      scheduler:
        type: StepLR
        $0
    `,
      `
      param step_size (required)
      param gamma (default 0.1)
      param last_epoch (default -1)
      param verbose (default false)
    `,
    );
  });
  test("an enum parameter's value", () => {
    checkCompletion(
      `
      scheduler:
        type: OneCycleLR
        max_lr: 0.1
        anneal_strategy: $0
    `,
      `
      value cos (default)
      value linear
    `,
    );
  });
  test("a list item's type value: scheduler names", () => {
    checkCompletion(
      `
      scheduler:
        type: SequentialLR
        schedulers:
          - type: $0
    `,
      `
      scheduler StepLR
      …
    `,
    );
  });
  test("a key line below a block-style list item: that scheduler's parameters", () => {
    checkCompletion(
      `
      scheduler:
        type: SequentialLR
        schedulers:
          - type: LinearLR
            $0
          - type: CosineAnnealingLR
            T_max: 900
        milestones: [100]
    `,
      `
      param start_factor (default …)
      param end_factor (default 1)
      param total_iters (default 5)
      param last_epoch (default -1)
      param verbose (default false)
    `,
    );
  });
  test('a key inside a flow mapping in a list', () => {
    checkCompletion(
      `
      scheduler:
        type: SequentialLR
        schedulers:
          - {type: LinearLR, total_iters: 10, sta$0}
    `,
      `
      param start_factor (default …)
      param end_factor (default 1)
      param last_epoch (default -1)
      param verbose (default false)
    `,
    );
  });
  test('training key', () => {
    checkCompletion(
      `
      training:
        steps: 1000
        $0
    `,
      `
      param epochs
      param steps_per_epoch
      param batch_size
      param grad_clip
    `,
    );
  });
  test('range_test task value, task pytorch first', () => {
    checkCompletion(
      `
      range_test:
        task: $0
    `,
      `
      value pytorch
      value spiral (default)
      value mnist_mlp
      value cnn
      value user
    `,
    );
  });
  test("range_test keys, among them task pytorch's model, data, loss and device", () => {
    checkCompletion(
      `
      range_test:
        task: pytorch
        $0
    `,
      `
      param start_lr (default 1.0e-7)
      param end_lr (default 10)
      param num_iter (default 100)
      param step_mode (default exp)
      param smooth (default 0.98)
      param diverge_threshold (default 4)
      param batch_size (default 128)
      param seed (default 0)
      param model
      param data
      param loss
      param device (default auto)
    `,
    );
  });
  test('simulate keys', () => {
    checkCompletion(
      `
      simulate:
        function: rosenbrock
        $0
    `,
      `
      param x0
      param steps (default 200)
      param compare
      …
    `,
    );
  });
  test('under an unknown section: nothing', () => {
    checkCompletion(
      `
      optimizer:
        type: AdamW
      unknown:
        $0
    `,
      '(none)',
    );
  });
});

describe("completion in other tools' files", () => {
  test('DeepSpeed: optimizer names on the type value, quoted', () => {
    checkCompletion(
      `
      //- ds_config.json
      {"train_batch_size": 8, "optimizer": {"type": "Ada$0", "params": {"lr": 1e-4}}}
    `,
      `
      optimizer SGD
      …
      optimizer AdamW
      …
    `,
    );
    checkCompletionEdit(
      `
      //- ds_config.json
      {"train_batch_size": 8, "optimizer": {"type": "Ada$0", "params": {"lr": 1e-4}}}
    `,
      'Lamb',
      '{"train_batch_size": 8, "optimizer": {"type": "Lamb", "params": {"lr": 1e-4}}}',
    );
  });
  test('Lightning: init_args offers the class parameters not written yet', () => {
    checkCompletion(
      `
      //- config.yaml
      optimizer:
        class_path: torch.optim.AdamW
        init_args:
          lr: 1.0e-3
          $0
      trainer:
        max_epochs: 3
    `,
      `
      param betas (default [0.9, 0.999])
      param eps (default 1.0e-8)
      param weight_decay (default 0.01)
      …
    `,
    );
  });
  test('Hugging Face: no native sections or snippets at the top level', () => {
    checkCompletion(
      `
      //- train.yaml
      learning_rate: 2.0e-5
      lr_scheduler_type: cosine
      $0
    `,
      '(none)',
    );
  });
});

describe('the helpers fail when the expectation is wrong', () => {
  test('a wrong hover, fix, completion list or missing fix fails with the actual text', () => {
    assert.throws(
      () => checkHover(at('weight_de'), '«weight_decay»\n\n**weight_decay** of Adam: …'),
      /does not match[\s\S]*of AdamW/,
    );
    assert.throws(() => checkCompletion('range_test:\n  task: $0', 'value spiral'), /differs/);
    assert.throws(
      () =>
        checkFix(
          'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_d$0ecay: 0.01',
          'Switch to AdamW (decoupled weight decay)',
          'optimizer:\n  type: Adam\n  lr: 1.0e-3\n  weight_decay: 0.01',
        ),
      /differs/,
    );
    assert.throws(
      () => checkFix('optimizer:\n  type: AdamW\n  lr: 1.0e-3$0', 'Switch to AdamW (decoupled weight decay)', ''),
      /no quick fix "Switch to AdamW/,
    );
  });
  test('a fix that leaves its problem behind fails', () => {
    // Two milestones past the run: clamping one leaves OL201 on the other.
    assert.throws(
      () =>
        checkFix(
          `
      optimizer:
        type: AdamW
        lr: 1.0e-3
      scheduler:
        type: MultiStepLR
        milestones: [1100, 12$000]
      training:
        steps: 1000
    `,
          'Clamp to 1000 (the run length)',
          `
      …
    `,
        ),
      /OL201 is still reported/,
    );
  });
});
