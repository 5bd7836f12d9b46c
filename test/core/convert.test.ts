// Convert between dialects (what carries over, what is listed as lost), and the generated DeepSpeed JSON Schema.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { analyze } from '../../server/src/core/analysis';
import { generateDeepSpeedSchema } from '../../server/src/core/catalog/deepSpeedSchema';
import { convertConfig, RECIPE_TOLERANCE, type ConvertTarget } from '../../server/src/core/convert/index';
import { computeSchedule } from '../../server/src/core/features/scheduleFacts';
import type { ConfigModel } from '../../server/src/core/model';
import { deepSpeedSchemaText } from '../../scripts/generateDeepSpeedSchema';

const ROOT = path.resolve(__dirname, '..', '..');

function modelOf(text: string, fileName: string) {
  const model = analyze(text, {
    format: fileName.endsWith('.json') ? 'json' : 'yaml',
    dialect: 'auto',
    fileName,
  }).model;
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

const HF =
  'learning_rate: 3.0e-4\nweight_decay: 0.1\nadam_beta2: 0.95\nlr_scheduler_type: linear\nwarmup_steps: 100\nmax_steps: 1000\n';

describe('convert', () => {
  test('HF linear to DeepSpeed is WarmupDecayLR with a linear warm-up, and reads back without errors', () => {
    const { result, analysis } = roundTrip(HF, 'train.yaml', 'deepspeed');
    const json = JSON.parse(result.text);
    assert.equal(json.optimizer.type, 'AdamW');
    assert.deepEqual(json.optimizer.params.betas, [0.9, 0.95]);
    assert.deepEqual(json.scheduler, {
      type: 'WarmupDecayLR',
      params: {
        total_num_steps: 1000,
        warmup_min_lr: 0,
        warmup_max_lr: 3e-4,
        warmup_num_steps: 100,
        warmup_type: 'linear',
      },
    });
    assert.deepEqual(
      analysis.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.ok(result.lost.some((line) => /lag/.test(line)));
  });
  test('HF to native keeps the same schedule, exactly', () => {
    const native = roundTrip(HF, 'train.yaml', 'optim');
    const original = analyze(HF, { format: 'yaml', dialect: 'auto', fileName: 'train.yaml' });
    assert.deepEqual(native.result.lost, []);
    assert.deepEqual([...native.analysis.schedule!.series.lr], [...original.schedule!.series.lr]);
  });
  test('DeepSpeed WarmupDecayLR maps to hf linear only when its warm-up is linear', () => {
    const ds = (type: string) =>
      `{"optimizer": {"type": "AdamW", "params": {"lr": 0.001}}, "scheduler": {"type": "WarmupDecayLR", "params": {"total_num_steps": 500, "warmup_num_steps": 50, "warmup_max_lr": 0.001${type}}}}`;
    const linear = convertConfig(modelOf(ds(', "warmup_type": "linear"'), 'ds.json'), 'hf');
    assert.match(linear.text, /lr_scheduler_type: linear/);
    // DeepSpeed's warm-up lags Hugging Face's by one step: 1/50 of the peak lr, stated, not hidden.
    assert.deepEqual(linear.lost, [
      'The schedule differs from the original by at most 2% of the peak lr (at step 16 of 500, as the engine computes both).',
    ]);
    assert.ok(Math.abs(linear.scheduleDifference!.relative - 1 / 50) < 1e-12);
    const log = convertConfig(modelOf(ds(''), 'ds.json'), 'hf');
    assert.ok(log.lost.some((line) => /logarithmically/.test(line)));
  });
  test('SequentialLR cannot be a DeepSpeed scheduler; StepLR has no HF schedule', () => {
    const native =
      'optimizer:\n  type: SGD\n  lr: 0.1\nscheduler:\n  type: SequentialLR\n  milestones: [10]\n  schedulers:\n    - type: LinearLR\n      total_iters: 10\n    - type: StepLR\n      step_size: 30\ntraining:\n  steps: 100\n';
    const ds = convertConfig(modelOf(native, 'a.optim.yaml'), 'deepspeed');
    assert.ok(ds.lost.some((line) => /SequentialLR cannot be a DeepSpeed scheduler/.test(line)));
    assert.equal(JSON.parse(ds.text).scheduler, undefined);
    const step = convertConfig(
      modelOf('optimizer:\n  type: SGD\n  lr: 0.1\nscheduler:\n  type: StepLR\n  step_size: 30\n', 'a.optim.yaml'),
      'hf',
    );
    assert.ok(step.lost.some((line) => /Hugging Face has no StepLR/.test(line)));
  });
  test('to Lightning: torch classes carry over; hf schedules and per-step sizing are listed as lost', () => {
    const torch = convertConfig(
      modelOf(
        'optimizer:\n  type: AdamW\n  lr: 0.001\nscheduler:\n  type: CosineAnnealingLR\n  T_max: 100\ntraining:\n  steps: 100\n',
        'a.optim.yaml',
      ),
      'lightning',
    );
    assert.match(torch.text, /class_path: torch.optim.lr_scheduler.CosineAnnealingLR/);
    assert.ok(torch.lost.some((line) => /once per epoch/.test(line)));
    const hf = convertConfig(modelOf(HF, 'train.yaml'), 'lightning');
    assert.ok(hf.lost.some((line) => /hf.linear is not a torch.optim.lr_scheduler class/.test(line)));
  });
  test('"auto" values are listed as lost, not invented', () => {
    const text = readFileSync(
      path.join(ROOT, 'test/fixtures/corpus/deepspeed/transformers_tests_ds_config_zero2.json'),
      'utf8',
    );
    const result = convertConfig(modelOf(text, 'ds_config_zero2.json'), 'optim');
    assert.ok(result.lost.some((line) => /`lr` is only known at run time/.test(line)));
    // The lost list opens the file as comments; the settings themselves invent nothing.
    assert.match(result.text, /^# - `lr` is only known at run time/m);
    assert.doesNotMatch(result.text.replace(/^#.*$/gm, ''), /auto/);
  });
  test("DeepSpeed's Adam becomes the torch class with its arithmetic, without DeepSpeed's own keywords", () => {
    const config = (params: string) =>
      `{"train_batch_size": 8, "optimizer": {"type": "Adam", "params": {"lr": 0.001, "weight_decay": 0.01${params}}}}`;
    const coupled = convertConfig(
      modelOf(config(', "adam_w_mode": false, "bias_correction": false, "torch_adam": true'), 'ds_config.json'),
      'optim',
    );
    assert.match(coupled.text, /^optimizer:\n {2}type: Adam\n {2}lr: 0.001\n {2}weight_decay: 0.01\n$/m);
    assert.deepEqual(coupled.lost, ['`bias_correction: false` has no torch.optim equivalent.']);
    const decoupled = convertConfig(modelOf(config(', "set_grad_none": true'), 'ds_config.json'), 'lightning');
    assert.match(decoupled.text, /class_path: torch\.optim\.AdamW\n/);
    assert.doesNotMatch(decoupled.text, /set_grad_none/);
    assert.deepEqual(decoupled.lost, []);
  });
});

/**
 * Each example with a scheduler, per target: the largest lr difference the converted schedule may have, as a
 * fraction of the original's peak lr, or 'lost' where the target cannot express the schedule within
 * RECIPE_TOLERANCE (then it must say so). The figures come from the formulas:
 * - warm-up + cosine to Hugging Face: HF warm-ups start at 0, LinearLR at start_factor x lr: start_factor (0.01).
 * - warm-up + cosine to DeepSpeed: WarmupCosineLR starts at warmup_min_ratio but lags one step (lr 0 at step 0):
 *   max(start_factor, (1 - start_factor) / warmup) = 0.01.
 * - hf.linear to DeepSpeed WarmupDecayLR: the one-step lag of a 300-step warm-up, 1/300.
 */
const EXPECTED: Readonly<Record<string, Readonly<Record<'deepspeed' | 'hf', number | 'lost'>>>> = {
  'transformer-warmup-cosine.optim.yaml': { deepspeed: 0.01, hf: 0.01 },
  'finetune-hf-linear.optim.yaml': { deepspeed: 1 / 300, hf: 0 },
  'plateau.optim.yaml': { deepspeed: 'lost', hf: 0 },
  // OneCycleLR anneals with a cosine; DeepSpeed's OneCycle is a triangle, and Hugging Face has none.
  'resnet-onecycle.optim.json': { deepspeed: 'lost', hf: 'lost' },
  // Its CosineAnnealingLR is shorter than its part of the run, so the lr climbs again: no target has that.
  'common-mistakes.optim.yaml': { deepspeed: 'lost', hf: 'lost' },
};

function exampleModel(fileName: string): ConfigModel | null {
  const text = readFileSync(path.join(ROOT, 'examples', fileName), 'utf8');
  return analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName }).model;
}

/** The engine's lr over `steps` steps; ReduceLROnPlateau gets a metric that improves and then stalls. */
function lrOf(model: ConfigModel, steps: number): Float64Array {
  const metrics = model.scheduler?.entry?.needsMetric
    ? Array.from(
        { length: steps },
        (_, step) => [1, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7][step % 7]! / (1 + Math.floor(step / 7)),
      )
    : undefined;
  const series = computeSchedule(model, { steps, ...(metrics ? { metrics } : {}) })?.series.lr;
  assert.ok(series && series.length === steps, `no full schedule for ${model.dialect}`);
  return series;
}

function largestDifference(before: Float64Array, after: Float64Array): number {
  assert.equal(after.length, before.length);
  const peak = Math.max(...before.map(Math.abs));
  let largest = 0;
  for (let step = 0; step < before.length; step++)
    largest = Math.max(largest, Math.abs(before[step]! - after[step]!) / peak);
  return largest;
}

describe('convert keeps the schedules of the examples', () => {
  const examples = readdirSync(path.join(ROOT, 'examples')).filter(
    (name) => /\.optim\.(ya?ml|json)$/.test(name) && exampleModel(name)?.scheduler,
  );
  test('every example with a scheduler has an expectation', () => {
    assert.deepEqual([...examples].sort(), Object.keys(EXPECTED).sort());
  });
  for (const fileName of examples) {
    for (const to of ['deepspeed', 'hf'] as const) {
      const expected = EXPECTED[fileName]?.[to];
      test(`${fileName} to ${to} and back to native: ${expected === 'lost' ? 'listed as not carried' : `within ${expected} of the peak lr`}`, () => {
        const model = exampleModel(fileName)!;
        const steps = model.training?.totalSteps ?? 1000;
        const before = lrOf(model, steps);
        const result = convertConfig(model, to);
        const converted = analyze(result.text, {
          format: result.format,
          dialect: to,
          fileName: to === 'deepspeed' ? 'ds_config.json' : 'config.yaml',
        });
        assert.deepEqual(
          converted.problems.filter((problem) => problem.severity === 'error'),
          [],
          result.text,
        );
        if (expected === 'lost') {
          assert.equal(converted.model?.scheduler ?? null, null, `a schedule was written:\n${result.text}`);
          assert.ok(
            result.lost.some((line) => /schedul|has no|cannot be/i.test(line)),
            result.lost.join('\n'),
          );
          return;
        }
        const after = lrOf(converted.model!, steps);
        const difference = largestDifference(before, after);
        assert.ok(Math.abs(difference - expected) < 1e-9, `${to}: measured ${difference}, expected ${expected}`);
        assert.ok(difference <= RECIPE_TOLERANCE);
        // The converter states the same figure, in the result and in its message.
        assert.ok(Math.abs((result.scheduleDifference?.relative ?? NaN) - difference) < 1e-12);
        if (difference > 0)
          assert.ok(
            result.lost.some((line) => line.startsWith('The schedule differs from the original by at most')),
            result.lost.join('\n'),
          );
        // Back to native: the target's schedule is written as itself, exactly.
        const back = convertConfig(converted.model!, 'optim');
        const native = analyze(back.text, { format: 'yaml', dialect: 'optim', fileName: 'back.optim.yaml' }).model!;
        assert.equal(largestDifference(after, lrOf(native, steps)), 0, back.text);
        assert.ok(largestDifference(before, lrOf(native, steps)) <= expected + 1e-12);
      });
    }
  }
  test('the README recipe becomes WarmupCosineLR and cosine_with_min_lr', () => {
    const model = exampleModel('transformer-warmup-cosine.optim.yaml')!;
    assert.deepEqual(JSON.parse(convertConfig(model, 'deepspeed').text).scheduler, {
      type: 'WarmupCosineLR',
      params: {
        total_num_steps: 10000,
        warmup_min_ratio: 0.01,
        warmup_num_steps: 500,
        cos_min_ratio: 0.00333333333333,
        warmup_type: 'linear',
      },
    });
    const hf = convertConfig(model, 'hf').text;
    assert.match(hf, /^lr_scheduler_type: cosine_with_min_lr$/m);
    assert.match(hf, /^warmup_steps: 500$/m);
    assert.match(hf, /^ {2}min_lr: 0.000001$/m);
    assert.match(hf, /^# - The schedule differs from the original by at most 1% of the peak lr/m);
  });
  test('warm-up + linear decay and constant with warm-up are carried too', () => {
    const native = (scheduler: string) =>
      modelOf(
        `optimizer:\n  type: AdamW\n  lr: 0.001\nscheduler:\n${scheduler}training:\n  steps: 1000\n`,
        'a.optim.yaml',
      );
    const decay = native(
      '  type: SequentialLR\n  milestones: [100]\n  schedulers:\n    - {type: LinearLR, start_factor: 0.001, total_iters: 100}\n    - {type: LinearLR, start_factor: 1.0, end_factor: 0.0, total_iters: 900}\n',
    );
    assert.equal(JSON.parse(convertConfig(decay, 'deepspeed').text).scheduler.type, 'WarmupDecayLR');
    assert.match(convertConfig(decay, 'hf').text, /lr_scheduler_type: linear/);
    assert.ok(convertConfig(decay, 'hf').scheduleDifference!.relative <= 0.001 + 1e-12);
    const constant = native('  type: LinearLR\n  start_factor: 0.02\n  total_iters: 50\n');
    assert.equal(JSON.parse(convertConfig(constant, 'deepspeed').text).scheduler.type, 'WarmupLR');
    assert.ok(convertConfig(constant, 'deepspeed').scheduleDifference!.relative <= 0.98 / 50 + 1e-12);
    const hfConstant = convertConfig(constant, 'hf');
    assert.match(hfConstant.text, /lr_scheduler_type: constant_with_warmup/);
    assert.ok(Math.abs(hfConstant.scheduleDifference!.relative - 0.02) < 1e-12);
    // A warm-up from 10% of the lr is 10% away from Hugging Face's warm-up from 0: refused, with the figure.
    const far = convertConfig(native('  type: LinearLR\n  start_factor: 0.1\n  total_iters: 50\n'), 'hf');
    assert.doesNotMatch(far.text, /lr_scheduler_type/);
    assert.ok(
      far.lost.some((line) => /within 5% of the peak lr \(the closest differs by 10% at step 0\)/.test(line)),
      far.lost.join('\n'),
    );
  });
});

describe('DeepSpeed JSON Schema', () => {
  test('schemas/deepspeed.schema.json matches the catalog', () => {
    const onDisk = readFileSync(path.join(ROOT, 'schemas', 'deepspeed.schema.json'), 'utf8');
    assert.ok(
      onDisk === deepSpeedSchemaText(),
      'schemas/deepspeed.schema.json is stale: run `node --import tsx scripts/generateDeepSpeedSchema.ts`',
    );
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
    assert.equal(
      validate({
        train_batch_size: 'auto',
        scheduler: { type: 'WarmupCosineLR', params: { total_num_steps: 'auto', warmup_num_steps: 'auto' } },
      }),
      true,
    );
  });
});
