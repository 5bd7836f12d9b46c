// Convert between dialects (what carries over, what is listed as lost), and the generated DeepSpeed JSON Schema.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { analyze } from '../../server/src/core/analysis';
import { generateDeepSpeedSchema } from '../../server/src/core/catalog/deepSpeedSchema';
import { convertConfig, type ConvertTarget } from '../../server/src/core/convert/index';
import { deepSpeedSchemaText } from '../../scripts/generateDeepSpeedSchema';

const ROOT = path.resolve(__dirname, '..', '..');

function modelOf(text: string, fileName: string) {
  const model = analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName }).model;
  assert.ok(model, 'not detected');
  return model;
}

/** Converts, then reads the result back in the target dialect. */
function roundTrip(text: string, fileName: string, to: ConvertTarget) {
  const result = convertConfig(modelOf(text, fileName), to);
  const target = to === 'optim' ? 'out.optim.yaml' : to === 'deepspeed' ? 'ds_config.json' : 'config.yaml';
  const analysis = analyze(result.text, { format: result.format, dialect: to, fileName: target });
  return { result, analysis };
}

const HF = 'learning_rate: 3.0e-4\nweight_decay: 0.1\nadam_beta2: 0.95\nlr_scheduler_type: linear\nwarmup_steps: 100\nmax_steps: 1000\n';

describe('convert', () => {
  test('HF linear to DeepSpeed is WarmupDecayLR with a linear warm-up, and reads back without errors', () => {
    const { result, analysis } = roundTrip(HF, 'train.yaml', 'deepspeed');
    const json = JSON.parse(result.text);
    assert.equal(json.optimizer.type, 'AdamW');
    assert.deepEqual(json.optimizer.params.betas, [0.9, 0.95]);
    assert.deepEqual(json.scheduler, { type: 'WarmupDecayLR', params: { total_num_steps: 1000, warmup_min_lr: 0, warmup_max_lr: 3e-4, warmup_num_steps: 100, warmup_type: 'linear' } });
    assert.deepEqual(analysis.problems.filter((p) => p.severity === 'error'), []);
    assert.ok(result.lost.some((line) => /lag/.test(line)));
  });
  test('HF to native keeps the same schedule, exactly', () => {
    const native = roundTrip(HF, 'train.yaml', 'optim');
    const original = analyze(HF, { format: 'yaml', dialect: 'auto', fileName: 'train.yaml' });
    assert.deepEqual(native.result.lost, []);
    assert.deepEqual([...native.analysis.schedule!.series.lr], [...original.schedule!.series.lr]);
  });
  test('DeepSpeed WarmupDecayLR maps to hf linear only when its warm-up is linear', () => {
    const ds = (type: string) => `{"optimizer": {"type": "AdamW", "params": {"lr": 0.001}}, "scheduler": {"type": "WarmupDecayLR", "params": {"total_num_steps": 500, "warmup_num_steps": 50, "warmup_max_lr": 0.001${type}}}}`;
    const linear = convertConfig(modelOf(ds(', "warmup_type": "linear"'), 'ds.json'), 'hf');
    assert.match(linear.text, /lr_scheduler_type: linear/);
    assert.deepEqual(linear.lost, []);
    const log = convertConfig(modelOf(ds(''), 'ds.json'), 'hf');
    assert.ok(log.lost.some((line) => /logarithmically/.test(line)));
  });
  test('SequentialLR cannot be a DeepSpeed scheduler; StepLR has no HF schedule', () => {
    const native = 'optimizer:\n  type: SGD\n  lr: 0.1\nscheduler:\n  type: SequentialLR\n  milestones: [10]\n  schedulers:\n    - type: LinearLR\n      total_iters: 10\n    - type: StepLR\n      step_size: 30\ntraining:\n  steps: 100\n';
    const ds = convertConfig(modelOf(native, 'a.optim.yaml'), 'deepspeed');
    assert.ok(ds.lost.some((line) => /SequentialLR cannot be a DeepSpeed scheduler/.test(line)));
    assert.equal(JSON.parse(ds.text).scheduler, undefined);
    const step = convertConfig(modelOf('optimizer:\n  type: SGD\n  lr: 0.1\nscheduler:\n  type: StepLR\n  step_size: 30\n', 'a.optim.yaml'), 'hf');
    assert.ok(step.lost.some((line) => /Hugging Face has no StepLR/.test(line)));
  });
  test('to Lightning: torch classes carry over; hf schedules and per-step sizing are listed as lost', () => {
    const torch = convertConfig(modelOf('optimizer:\n  type: AdamW\n  lr: 0.001\nscheduler:\n  type: CosineAnnealingLR\n  T_max: 100\ntraining:\n  steps: 100\n', 'a.optim.yaml'), 'lightning');
    assert.match(torch.text, /class_path: torch.optim.lr_scheduler.CosineAnnealingLR/);
    assert.ok(torch.lost.some((line) => /once per epoch/.test(line)));
    const hf = convertConfig(modelOf(HF, 'train.yaml'), 'lightning');
    assert.ok(hf.lost.some((line) => /hf.linear is not a torch.optim.lr_scheduler class/.test(line)));
  });
  test('"auto" values are listed as lost, not invented', () => {
    const text = readFileSync(path.join(ROOT, 'test/fixtures/corpus/deepspeed/transformers_tests_ds_config_zero2.json'), 'utf8');
    const result = convertConfig(modelOf(text, 'ds_config_zero2.json'), 'optim');
    assert.ok(result.lost.some((line) => /`lr` is only known at run time/.test(line)));
    assert.doesNotMatch(result.text, /auto/);
  });
});

describe('DeepSpeed JSON Schema', () => {
  test('schemas/deepspeed.schema.json matches the catalog', () => {
    const onDisk = readFileSync(path.join(ROOT, 'schemas', 'deepspeed.schema.json'), 'utf8');
    assert.ok(onDisk === deepSpeedSchemaText(), 'schemas/deepspeed.schema.json is stale: run `node --import tsx scripts/generateDeepSpeedSchema.ts`');
  });
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validate = ajv.compile(generateDeepSpeedSchema());
  const dir = path.join(ROOT, 'test/fixtures/corpus/deepspeed');
  for (const file of readdirSync(dir).filter((name) => !name.includes('_temp'))) {
    test(`accepts the corpus file ${file}`, () => {
      const ok = validate(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
      assert.ok(ok, JSON.stringify(validate.errors));
    });
  }
  test('rejects a misspelt parameter and a wrong type, accepts "auto" anywhere', () => {
    assert.equal(validate({ optimizer: { type: 'adamw', params: { lr: 0.001, weight_decy: 0.1 } } }), false);
    assert.equal(validate({ scheduler: { type: 'WarmupLR', params: { warmup_num_steps: 'many' } } }), false);
    assert.equal(validate({ train_batch_size: 'auto', scheduler: { type: 'WarmupCosineLR', params: { total_num_steps: 'auto', warmup_num_steps: 'auto' } } }), true);
  });
});
