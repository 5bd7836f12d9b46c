// One home for each fact: dialect and backend names, rule codes, the update-rule table and the dialect spellings
// of optimizers and schedulers all come from one list, and what derives from them says the same as before.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { OPTIMIZERS, SCHEDULERS, findOptimizer, stepRole } from '../../server/src/core/catalog/index';
import { CONVERT_TARGETS, DIALECTS, convertTargetNamed, dialectNamed } from '../../server/src/core/catalog/dialects';
import { DEEPSPEED_OPTIMIZER_TYPES, findDeepSpeedOptimizer } from '../../server/src/core/catalog/optimizers';
import { HF_SCHEDULER_TYPE_NAMES } from '../../server/src/core/catalog/schedulers';
import { RULES, isRuleCode, ruleSeverity } from '../../server/src/core/catalog/rules';
import { convertConfig } from '../../server/src/core/convert/index';
import { HF_SCHEDULER_TYPES, hfOptimToCatalog } from '../../server/src/core/dialects/huggingFace';
import { hover } from '../../server/src/core/features/hover';
import type { Problem } from '../../server/src/core/model';
import { resolveOptimizer } from '../../server/src/core/optim/hyperparameters';
import {
  RANGE_TEST_RULES,
  UPDATE_RULES,
  UPDATE_RULE_NAMES,
  isRangeTestRule,
  isUpdateRule,
} from '../../server/src/core/optim/updateRules';
import { RANGE_TEST_UPDATE_RULES } from '../../server/src/core/rangeTest/types';
import { createRuleContext } from '../../server/src/core/rules/context';
import { SETTINGS_CONTRIBUTION } from '../../server/src/lsp/settings';
import { BACKEND_ORDER, backendNamed } from '../../server/src/compute/backends';

describe('names come from one as-const list', () => {
  test('dialects, convert targets and backends', () => {
    assert.deepEqual([...DIALECTS], ['optim', 'deepspeed', 'lightning', 'hf', 'hydra', 'torchtune']);
    assert.deepEqual([...CONVERT_TARGETS], ['optim', 'deepspeed', 'lightning', 'hf']);
    assert.deepEqual([...BACKEND_ORDER], ['tfjs-node-gpu', 'tfjs-node', 'webgpu', 'onnxruntime', 'wasm', 'cpu']);
    assert.equal(dialectNamed('hydra'), 'hydra');
    assert.equal(dialectNamed('Hydra'), undefined);
    assert.equal(convertTargetNamed('hydra'), undefined);
    assert.equal(convertTargetNamed('torchtune'), undefined);
    assert.equal(convertTargetNamed('hf'), 'hf');
    assert.equal(backendNamed('wasm'), 'wasm');
    assert.equal(backendNamed('cuda'), undefined);
  });
  test('the settings enums are the lists', () => {
    const associations = SETTINGS_CONTRIBUTION['optimizerLens.files.associations'] as {
      additionalProperties: { enum: readonly string[] };
    };
    assert.deepEqual(associations.additionalProperties.enum, [...DIALECTS]);
    assert.deepEqual(SETTINGS_CONTRIBUTION['optimizerLens.compute.backend']!.enum, ['auto', ...BACKEND_ORDER]);
  });
  test('every convert target converts', () => {
    const model = analyze('optimizer:\n  type: AdamW\n  lr: 1.0e-3\ntraining:\n  steps: 100\n', {
      format: 'yaml',
      dialect: 'auto',
      fileName: 'a.optim.yaml',
    }).model!;
    for (const target of CONVERT_TARGETS) assert.ok(convertConfig(model, target).text.length > 0, target);
  });
});

describe("rule codes are the catalog's", () => {
  test('a rule can only report a catalogued code (the @ts-expect-error is checked by tsc -b)', () => {
    const analysis = analyze('optimizer:\n  type: AdamW\n', {
      format: 'yaml',
      dialect: 'auto',
      fileName: 'a.optim.yaml',
    });
    const problems: Problem[] = [];
    const context = createRuleContext(analysis.model!, undefined, problems);
    // @ts-expect-error OL999 is not in the rules table, so a rule reporting it does not compile.
    context.report('OL999', { start: 0, end: 1 }, 'not a code');
    context.report('OL208', { start: 0, end: 1 }, 'a code');
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.severity]),
      [
        ['OL999', 'error'],
        ['OL208', 'warning'],
      ],
    );
  });
  test("codes are unique and each severity is the table's", () => {
    const codes = RULES.map((rule) => rule.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const rule of RULES) assert.equal(ruleSeverity(rule.code), rule.severity);
    assert.ok(isRuleCode('OL101'));
    assert.ok(!isRuleCode('OL999'));
  });
});

describe('adding an optimizer is one recipe', () => {
  test('the update-rule table drives the supported lists', () => {
    assert.deepEqual([...RANGE_TEST_UPDATE_RULES], ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'NAdam']);
    assert.deepEqual([...RANGE_TEST_RULES], [...RANGE_TEST_UPDATE_RULES]);
    assert.equal(UPDATE_RULE_NAMES.length, 17);
    for (const rule of UPDATE_RULE_NAMES) {
      assert.equal(isRangeTestRule(rule), UPDATE_RULES[rule].rangeTest, rule);
      assert.equal(typeof UPDATE_RULES[rule].kernel, 'function', rule);
      // Every rule is a catalog optimizer, so validation, hover and the JSON Schema know it.
      assert.equal(findOptimizer(rule)?.name, rule, rule);
    }
  });
  test('a catalogued optimizer outside the table is refused by the engines, one inside it is run', () => {
    for (const entry of OPTIMIZERS) {
      const lr = { lr: 0.01 };
      const { resolved, issues } = resolveOptimizer({ type: entry.name, params: entry.name === 'LBFGS' ? {} : lr });
      if (isUpdateRule(entry.name))
        assert.ok(resolved, `${entry.name}: ${issues.map((issue) => issue.message).join(' ')}`);
      else
        assert.ok(
          issues.some((issue) => /the simulator does not run it/.test(issue.message)),
          `${entry.name}: ${issues.map((issue) => issue.message).join(' ')}`,
        );
    }
  });
});

describe('dialect spellings are catalog fields', () => {
  test('DeepSpeed optimizer types (the table they replace, kept as the expectation)', () => {
    assert.deepEqual(
      Object.fromEntries(Object.entries(DEEPSPEED_OPTIMIZER_TYPES).sort()),
      Object.fromEntries(
        Object.entries({
          adam: 'FusedAdam',
          adamw: 'FusedAdam',
          adagrad: 'Adagrad',
          lamb: 'Lamb',
          onebitadam: 'OneBitAdam',
          zerooneadam: 'ZeroOneAdam',
          onebitlamb: 'OneBitLamb',
          lion: 'Lion',
        }).sort(),
      ),
    );
    assert.equal(findDeepSpeedOptimizer('ONEBITLAMB')?.name, 'OneBitLamb');
    assert.equal(findDeepSpeedOptimizer('Adadelta')?.name, 'Adadelta');
  });
  test("convert writes each optimizer's DeepSpeed type and Hugging Face optim from the catalog", () => {
    const written = (type: string, to: 'deepspeed' | 'hf') => {
      const model = analyze(`optimizer:\n  type: ${type}\n  lr: 1.0e-3\n`, {
        format: 'yaml',
        dialect: 'auto',
        fileName: 'a.optim.yaml',
      }).model!;
      return convertConfig(model, to);
    };
    const deepspeed: Record<string, string | undefined> = {};
    const hf: Record<string, string | undefined> = {};
    for (const entry of OPTIMIZERS) {
      const ds = written(entry.name, 'deepspeed');
      deepspeed[entry.name] = ds.text.includes('"optimizer"')
        ? (JSON.parse(ds.text.replace(/^#.*\n/gm, '')) as { optimizer: { type: string } }).optimizer.type
        : undefined;
      hf[entry.name] = /^optim: (.*)$/m.exec(written(entry.name, 'hf').text)?.[1];
    }
    // The two tables convert/index.ts had before the fields.
    const before = {
      AdamW: 'AdamW',
      Adam: 'Adam',
      Lamb: 'Lamb',
      Lion: 'Lion',
      OneBitAdam: 'OneBitAdam',
      ZeroOneAdam: 'ZeroOneAdam',
      OneBitLamb: 'OneBitLamb',
      SGD: 'SGD',
      Adagrad: 'Adagrad',
      RMSprop: 'RMSprop',
      Adadelta: 'Adadelta',
      Adamax: 'Adamax',
      NAdam: 'NAdam',
      RAdam: 'RAdam',
      // DeepSpeed's own Adam is written as the torch class with the same arithmetic (AdamW, adam_w_mode defaulting to true).
      FusedAdam: 'AdamW',
    };
    assert.deepEqual(Object.fromEntries(Object.entries(deepspeed).filter(([, type]) => type !== undefined)), before);
    assert.deepEqual(Object.fromEntries(Object.entries(hf).filter(([, optim]) => optim !== undefined)), {
      AdamW: 'adamw_torch',
      SGD: 'sgd',
      Adagrad: 'adagrad',
      RMSprop: 'rmsprop',
      Lion: 'lion_32bit',
      FusedAdam: 'adamw_torch',
    });
  });
  test('Hugging Face optim names: the variants that keep the arithmetic, and nothing else', () => {
    const cases: [string, string | undefined][] = [
      ['adamw_torch', 'AdamW'],
      ['adamw_torch_fused', 'AdamW'],
      ['paged_adamw_8bit', 'AdamW'],
      ['adamw_bnb_8bit', 'AdamW'],
      ['adamw_hf', 'AdamW'],
      ['paged_adamw_32bit', 'AdamW'],
      ['lion_8bit', 'Lion'],
      ['paged_lion_32bit', 'Lion'],
      ['lion', undefined],
      ['sgd', 'SGD'],
      ['adagrad', 'Adagrad'],
      ['rmsprop', 'RMSprop'],
      ['rmsprop_bnb_32bit', 'RMSprop'],
      ['adafactor', undefined],
      ['galore_adamw', undefined],
      ['schedule_free_adamw', undefined],
      ['AdamW_torch', undefined],
      ['adamw_torch_16bit', undefined],
    ];
    for (const [optim, expected] of cases) assert.equal(hfOptimToCatalog(optim), expected, optim);
  });
  test('Hugging Face scheduler types (the table they replace, kept as the expectation)', () => {
    assert.deepEqual(HF_SCHEDULER_TYPES, {
      linear: 'hf.linear',
      cosine: 'hf.cosine',
      cosine_with_restarts: 'hf.cosine_with_restarts',
      polynomial: 'hf.polynomial',
      constant: 'hf.constant',
      constant_with_warmup: 'hf.constant_with_warmup',
      inverse_sqrt: 'hf.inverse_sqrt',
      reduce_lr_on_plateau: 'ReduceLROnPlateau',
      cosine_with_min_lr: 'hf.cosine_with_min_lr',
      cosine_warmup_with_min_lr: undefined,
      warmup_stable_decay: 'hf.warmup_stable_decay',
    });
    assert.deepEqual(Object.keys(HF_SCHEDULER_TYPES), [...HF_SCHEDULER_TYPE_NAMES]);
    const names: readonly string[] = HF_SCHEDULER_TYPE_NAMES;
    for (const entry of SCHEDULERS)
      if (entry.hfSchedulerType !== undefined) assert.ok(names.includes(entry.hfSchedulerType), entry.name);
  });
  test('step roles (the names the regexes used to match, kept as the expectation)', () => {
    const roles = SCHEDULERS.flatMap((entry) =>
      entry.params.map((param) => [`${entry.name}.${param.name}`, stepRole(param)] as const),
    ).filter(([, role]) => role !== undefined);
    assert.deepEqual(Object.fromEntries(roles), {
      'StepLR.step_size': 'period',
      'MultiStepLR.milestones': 'milestone',
      'ConstantLR.total_iters': 'milestone',
      'LinearLR.total_iters': 'warmup',
      'PolynomialLR.total_iters': 'milestone',
      'CosineAnnealingLR.T_max': 'total',
      'OneCycleLR.total_steps': 'total',
      'SequentialLR.milestones': 'milestone',
      'hf.linear.num_warmup_steps': 'warmup',
      'hf.linear.num_training_steps': 'total',
      'hf.cosine.num_warmup_steps': 'warmup',
      'hf.cosine.num_training_steps': 'total',
      'hf.cosine_with_restarts.num_warmup_steps': 'warmup',
      'hf.cosine_with_restarts.num_training_steps': 'total',
      'hf.polynomial.num_warmup_steps': 'warmup',
      'hf.polynomial.num_training_steps': 'total',
      'hf.constant_with_warmup.num_warmup_steps': 'warmup',
      'hf.inverse_sqrt.num_warmup_steps': 'warmup',
      'hf.warmup_stable_decay.num_warmup_steps': 'warmup',
      'hf.warmup_stable_decay.num_training_steps': 'total',
      'hf.cosine_with_min_lr.num_warmup_steps': 'warmup',
      'hf.cosine_with_min_lr.num_training_steps': 'total',
      'WarmupLR.warmup_num_steps': 'warmup',
      'WarmupDecayLR.total_num_steps': 'total',
      'WarmupDecayLR.warmup_num_steps': 'warmup',
      'WarmupCosineLR.total_num_steps': 'total',
      'WarmupCosineLR.warmup_num_steps': 'warmup',
      'OneCycle.decay_step_size': 'period',
      'timm.CosineLRScheduler.t_initial': 'total',
      'timm.CosineLRScheduler.warmup_t': 'warmup',
      'timm.TanhLRScheduler.t_initial': 'total',
      'timm.TanhLRScheduler.warmup_t': 'warmup',
      'timm.PolyLRScheduler.t_initial': 'total',
      'timm.PolyLRScheduler.warmup_t': 'warmup',
      'timm.StepLRScheduler.decay_t': 'period',
      'timm.StepLRScheduler.warmup_t': 'warmup',
      'timm.MultiStepLRScheduler.decay_t': 'milestone',
      'timm.MultiStepLRScheduler.warmup_t': 'warmup',
      'timm.PlateauLRScheduler.warmup_t': 'warmup',
    });
  });
});

describe('hover says where an optimizer comes from', () => {
  const origin = (text: string, fileName: string, needle: string): string => {
    const analysis = analyze(text, { format: fileName.endsWith('.json') ? 'json' : 'yaml', dialect: 'auto', fileName });
    const result = hover(analysis, text.indexOf(needle) + 1);
    assert.ok(result, `no hover on ${needle}`);
    return /^\*([^*]+)\*:/m.exec(result.markdown)?.[1] ?? result.markdown;
  };
  test('torch.optim, DeepSpeed and simulator-only', () => {
    assert.equal(origin('optimizer:\n  type: RAdam\n  lr: 1.0e-3\n', 'a.optim.yaml', 'RAdam'), 'torch.optim optimizer');
    assert.match(
      origin(
        '{"optimizer": {"type": "OneBitAdam", "params": {"lr": 1e-4}}, "zero_optimization": {"stage": 1}}',
        'ds_config.json',
        'OneBitAdam',
      ),
      /^DeepSpeed optimizer/,
    );
    assert.match(
      origin('optimizer:\n  type: NormalizedGD\n  lr: 0.1\n', 'a.optim.yaml', 'NormalizedGD'),
      /^simulator-only optimizer/,
    );
  });
});
