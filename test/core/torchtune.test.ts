// The torchtune dialect (issue 14): detection, the model its reader builds (with the user's spans), how the recipe's
// own arguments and OmegaConf's number reading are honoured, and hover and completion on `_component_` blocks.
// The rule cases (OL340..OL343, and OL101/OL102 on misspelt components) are in dialects.test.ts with the other dialects'.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { checkCompletion, checkHover, cursorAfter } from './featureHelpers';

function analyseYaml(text: string, fileName = 'config.yaml') {
  return analyze(text, { format: 'yaml', dialect: 'auto', fileName });
}

const LORA = [
  'model:',
  '  _component_: torchtune.models.llama3_2.lora_llama3_2_1b',
  'optimizer:',
  '  _component_: torch.optim.AdamW',
  '  fused: True',
  '  weight_decay: 0.01',
  '  lr: 3e-4',
  'lr_scheduler:',
  '  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup',
  '  num_warmup_steps: 100',
  'epochs: 1',
  'max_steps_per_epoch: null',
  'gradient_accumulation_steps: 8',
  '',
].join('\n');

describe('torchtune detection', () => {
  test('an optimizer: or lr_scheduler: block with _component_ is torchtune', () => {
    assert.equal(analyseYaml(LORA).model?.dialect, 'torchtune');
    const schedulerOnly = 'lr_scheduler:\n  _component_: torchtune.training.get_cosine_schedule_with_warmup\n';
    assert.equal(analyseYaml(schedulerOnly).model?.dialect, 'torchtune');
  });
  test('a torchtune generation or evaluation config (components, no optimizer) is not an optimizer config', () => {
    const generation =
      'model:\n  _component_: torchtune.models.llama3_2.llama3_2_1b\ntokenizer:\n  _component_: torchtune.models.llama3.llama3_tokenizer\n  path: /tmp/tokenizer.model\nmax_new_tokens: 300\ntemperature: 0.6\n';
    const analysis = analyseYaml(generation);
    assert.equal(analysis.model, null);
    assert.deepEqual(analysis.problems, []);
  });
  test('the same blocks in JSON are not torchtune (it reads YAML only), and Hydra _target_ files stay Hydra', () => {
    const json = '{"optimizer": {"_component_": "torch.optim.AdamW", "lr": 0.001}}';
    assert.equal(analyze(json, { format: 'json', dialect: 'auto', fileName: 'c.json' }).model, null);
    assert.equal(analyseYaml('optimizer:\n  _target_: torch.optim.AdamW\n  _partial_: true\n').model?.dialect, 'hydra');
  });
});

describe('the torchtune reader', () => {
  test('optimizer and scheduler components map onto the catalog with the spans as written', () => {
    const model = analyseYaml(LORA).model!;
    assert.equal(model.optimizer?.entry?.name, 'AdamW');
    assert.equal(model.optimizer?.typeName, 'torch.optim.AdamW');
    assert.equal(LORA.slice(model.optimizer!.typeSpan.start, model.optimizer!.typeSpan.end), 'torch.optim.AdamW');
    assert.deepEqual([...model.optimizer!.params.keys()], ['fused', 'weight_decay', 'lr']);
    const lr = model.optimizer!.params.get('lr')!;
    assert.equal(LORA.slice(lr.keySpan.start, lr.keySpan.end), 'lr');
    assert.equal(
      model.scheduler?.entry?.name,
      'hf.cosine',
      'the same shape as transformers get_cosine_schedule_with_warmup',
    );
    assert.equal(model.scheduler?.params.get('num_warmup_steps')?.value, 100);
    assert.equal(model.reader, 'torchtune.config.instantiate');
  });
  test('the recipe passes num_training_steps and last_epoch: both given, both known only at run time', () => {
    const analysis = analyseYaml(LORA);
    const scheduler = analysis.model!.scheduler!;
    assert.equal(scheduler.params.get('num_training_steps')?.opaque, 'derived');
    assert.equal(scheduler.params.get('last_epoch')?.opaque, 'derived');
    assert.equal(analysis.model!.training, null, 'no run length: it depends on the dataset size');
    assert.equal(analysis.schedule?.summary, undefined, 'no curve is guessed');
    assert.deepEqual(
      analysis.problems.map((problem) => problem.code),
      ['OL343'],
    );
  });
  test('OmegaConf reads 3e-4 as a float: no PyYAML warning, and the value is a number', () => {
    const analysis = analyseYaml(LORA);
    assert.equal(analysis.model!.optimizer!.params.get('lr')?.value, 3e-4);
    assert.ok(!analysis.problems.some((problem) => problem.code === 'OL004'));
  });
  test('interpolations stay opaque and are not type-checked', () => {
    const text = 'lr: 2.0e-5\noptimizer:\n  _component_: torch.optim.AdamW\n  lr: ${lr}\n  weight_decay: ???\n';
    const analysis = analyseYaml(text);
    assert.equal(analysis.model!.optimizer!.params.get('lr')?.opaque, 'interpolation');
    assert.equal(analysis.model!.optimizer!.params.get('weight_decay')?.opaque, 'missing');
    assert.deepEqual(analysis.problems, []);
  });
  test('a bitsandbytes optimizer is real but not modelled: its lr is kept, its own arguments are not judged', () => {
    const text =
      'optimizer:\n  _component_: bitsandbytes.optim.PagedAdamW8bit\n  lr: 2e-5\n  optim_bits: 8\n  min_8bit_size: 4096\noptimizer_in_bwd: True\ngradient_accumulation_steps: 1\nclip_grad_norm: null\n';
    const analysis = analyseYaml(text);
    assert.equal(analysis.model!.optimizer?.entry, undefined);
    assert.equal(analysis.model!.optimizer?.typeName, '');
    assert.deepEqual([...analysis.model!.optimizer!.params.keys()], ['lr']);
    assert.deepEqual(analysis.problems, []);
  });
  test('torchao low-bit optimizers and the older prototype path are real too', () => {
    for (const path of ['torchao.optim.AdamW8bit', 'torchao.prototype.low_bit_optim.CPUOffloadOptimizer']) {
      const analysis = analyseYaml(`optimizer:\n  _component_: ${path}\n  lr: 4e-5\n`);
      assert.equal(analysis.model?.dialect, 'torchtune');
      assert.deepEqual(analysis.problems, [], path);
    }
    const typo = analyseYaml('optimizer:\n  _component_: torchao.optim.AdamW8Bit\n  lr: 4e-5\n');
    assert.deepEqual(
      typo.problems.map((problem) => problem.code),
      ['OL101'],
    );
  });
  test('arguments are checked against the catalog as for any dialect (a misspelt keyword)', () => {
    const analysis = analyseYaml('optimizer:\n  _component_: torch.optim.AdamW\n  lr: 3e-4\n  weight_decy: 0.01\n');
    assert.deepEqual(
      analysis.problems.map((problem) => `${problem.code} ${problem.message}`),
      ['OL103 AdamW has no parameter `weight_decy`; did you mean `weight_decay`?'],
    );
  });
});

describe('the torchtune reader on odd shapes', () => {
  const shapes: readonly string[] = [
    'optimizer:\n  _component_: torch.optim.AdamW\nlr_scheduler:\n  _component_: 3\n',
    'optimizer:\n  _component_: torch.optim.SGD\n  lr: 0.1\nlr_scheduler: null\n',
    'optimizer:\n  _component_: torch.optim.AdamW\n  lr: [1, 2]\nlr_scheduler:\n  _component_: ${sched}\n',
    'optimizer:\n  _component_: torch.optim.AdamW\nlr_scheduler:\n  _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup\n  num_warmup_steps: ${warmup}\n  last_epoch: 3\n',
    'optimizer:\n  _component_: torch.optim.AdamW\noptimizer_in_bwd: ${bwd}\ngradient_accumulation_steps: ${acc}\nclip_grad_norm: ${clip}\n',
    'optimizer:\n  _component_: torch.optim.AdamW\n  lr: 1.0e-3\n  - broken\n',
  ];
  for (const text of shapes) {
    test(`no internal error: ${JSON.stringify(text.slice(0, 60))}`, () => {
      const analysis = analyseYaml(text);
      assert.equal(analysis.model?.dialect, 'torchtune');
      assert.ok(!analysis.problems.some((problem) => problem.code === 'OL000'), JSON.stringify(analysis.problems));
      assert.ok(!analysis.problems.some((problem) => problem.code === 'OL340'), 'interpolations are not judged');
    });
  }
});

const TORCHTUNE = `
  //- lora.yaml
  optimizer:
    _component_: torch.optim.AdamW
    fused: True
    lr: 3e-4
  lr_scheduler:
    _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
    num_warmup_steps: 100
  epochs: 1
`;

const at = (before: string, text = TORCHTUNE): string => cursorAfter(before, text);

describe('hover and completion on torchtune components, as on Hydra _target_', () => {
  test('hover on the optimizer component: the catalog entry, read by torchtune', () => {
    checkHover(
      at('torch.optim.Ada'),
      `
      «torch.optim.AdamW»

      ### AdamW
      …
      *Read as torchtune.config.instantiate.*
    `,
    );
  });
  test('hover on the scheduler component: the shared entry, and why the schedule is not drawn', () => {
    checkHover(
      at('lr_schedulers.get_cos'),
      `
      «torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup»

      **Schedule:** … values only known at run time (\`num_training_steps\`, \`last_epoch\`), …
      …
      ### hf.cosine
      …
      torchtune's \`torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup\` is the same schedule; …
      …
    `,
    );
  });
  test('hover on a keyword argument of a component', () => {
    checkHover(
      at('num_warmup'),
      `
      «num_warmup_steps»

      **num_warmup_steps** of hf.cosine: *an integer* · required · >= 0
      …
      Effective value: \`100\`
    `,
    );
  });
  test('completion of the optimizer keywords not yet written', () => {
    checkCompletion(
      `
      //- lora.yaml
      optimizer:
        _component_: torch.optim.AdamW
        lr: 3e-4
        $0
    `,
      `
      param betas (…)
      param eps (…)
      param weight_decay (…)
      param amsgrad (…)
      param maximize (…)
      param foreach (…)
      param capturable (…)
      param differentiable (…)
      param fused (…)
    `,
    );
  });
  test('completion in the scheduler block leaves out what the recipe passes (num_training_steps, last_epoch)', () => {
    checkCompletion(
      `
      //- lora.yaml
      optimizer:
        _component_: torch.optim.AdamW
      lr_scheduler:
        _component_: torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup
        num_warmup_steps: 100
        num_c$0
    `,
      `
      param num_cycles (…)
    `,
    );
  });
  test('completion of optimizer names on the component value', () => {
    checkCompletion(
      `
      //- lora.yaml
      optimizer:
        _component_: torch.optim.Ada$0
    `,
      `
      …
      optimizer AdamW
      …
    `,
    );
  });
});
