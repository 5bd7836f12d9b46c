// Tests of the generated JSON Schema: it matches schemas/optim.schema.json, compiles, and accepts and rejects the right configs.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { findOptimizer, findScheduler, OPTIMIZERS, SCHEDULERS } from '../../server/src/core/catalog/index';
import {
  buildOptimSchema,
  generateOptimSchema,
  OPTIM_SCHEMA_COMMAND,
  OPTIM_SCHEMA_PATH,
  optimizerTypeSpellings,
  schedulerTypeSpellings,
  serializeSchema,
} from '../../server/src/core/catalog/jsonSchema';
import type { OptimizerEntry, SchedulerEntry, SectionEntry } from '../../server/src/core/catalog/types';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'format');

/** Ajv in strict mode, so a keyword it does not know or a type it cannot apply fails the test instead of a warning. */
function compile(schema: object): ValidateFunction {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  // VS Code's own annotations: meaningful to the editor, inert for validation.
  ajv.addVocabulary(['markdownDescription', 'markdownEnumDescriptions', 'deprecationMessage']);
  return ajv.compile(schema);
}

const validate = compile(generateOptimSchema());

function errorsOf(config: unknown): string {
  return validate(config) ? '' : JSON.stringify(validate.errors);
}

function assertValid(config: unknown): void {
  assert.equal(validate(config), true, `expected valid, got ${JSON.stringify(validate.errors, null, 1)}`);
}

function assertInvalid(config: unknown, expected: RegExp): void {
  assert.equal(validate(config), false, `expected ${JSON.stringify(config)} to be rejected`);
  assert.match(errorsOf(config), expected);
}

const ADAMW = { type: 'AdamW', lr: 3e-4, betas: [0.9, 0.999], weight_decay: 0.05 };

describe('optim JSON Schema', () => {
  test('schemas/optim.schema.json is up to date with the catalog', () => {
    const onDisk = readFileSync(join(ROOT, OPTIM_SCHEMA_PATH), 'utf8');
    assert.ok(
      serializeSchema(generateOptimSchema()) === onDisk,
      `${OPTIM_SCHEMA_PATH} is stale: the catalog or jsonSchema.ts changed. Regenerate it with \`${OPTIM_SCHEMA_COMMAND}\`.`,
    );
  });

  test('is draft-07 with an $id, and generating it twice gives the same text', () => {
    const schema = generateOptimSchema() as Record<string, unknown>;
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(typeof schema.$id, 'string');
    assert.equal(serializeSchema(generateOptimSchema()), serializeSchema(schema));
    assert.ok(serializeSchema(schema).endsWith('}\n'));
  });

  test('the example configs of docs/format.md validate (YAML and JSON forms)', () => {
    assertValid(parseYaml(readFileSync(join(FIXTURES, 'example.optim.yaml'), 'utf8')));
    assertValid(JSON.parse(readFileSync(join(FIXTURES, 'example.optim.json'), 'utf8')));
  });

  test('accepts torch-prefixed names, aliases, Hugging Face and DeepSpeed schedules, None defaults', () => {
    assertValid({ optimizer: { ...ADAMW, type: 'torch.optim.AdamW' } });
    assertValid({ scheduler: { type: 'torch.optim.lr_scheduler.StepLR', step_size: 10 } });
    assertValid({ scheduler: { type: 'hf.cosine', num_warmup_steps: 100, num_training_steps: 1000 } });
    assertValid({ scheduler: { type: 'WarmupLR', warmup_min_lr: 0, warmup_max_lr: 1e-3, warmup_num_steps: 100 } });
    assertValid({
      scheduler: { type: 'OneCycleLR', max_lr: [0.1, 0.01], total_steps: null, epochs: 10, steps_per_epoch: 100 },
    });
    assertValid({ optimizer: ADAMW, range_test: {}, simulate: { anything: 1 }, 'x-anchors': { lr: 1 } });
  });

  test('rejects an unknown optimizer type and a lower-case or misspelt scheduler', () => {
    assertInvalid({ optimizer: { type: 'AdamWW', lr: 1e-3 } }, /must be equal to one of the allowed values/);
    assertInvalid({ scheduler: { type: 'cosineannealinglr', T_max: 10 } }, /\/scheduler\/type/);
    assertInvalid({ optimizer: { lr: 1e-3 } }, /must have required property 'type'/);
  });

  test('rejects out-of-range values: negative lr, betas outside [0, 1), a pair of three, eps of 0', () => {
    assertInvalid({ optimizer: { ...ADAMW, lr: -1e-3 } }, /\/optimizer\/lr.*must be >= 0/);
    assertInvalid({ optimizer: { ...ADAMW, betas: [0.9, 1.0] } }, /\/optimizer\/betas\/1.*must be < 1/);
    assertInvalid(
      { optimizer: { ...ADAMW, betas: [0.9, 0.99, 0.999] } },
      /\/optimizer\/betas.*must NOT have more than 2 items/,
    );
    assertInvalid({ optimizer: { ...ADAMW, eps: 0 } }, /\/optimizer\/eps.*must be > 0/);
    assertInvalid({ optimizer: { ...ADAMW, amsgrad: 'yes' } }, /\/optimizer\/amsgrad.*must be boolean/);
    assertInvalid({ training: { steps: 0 } }, /\/training\/steps.*must be >= 1/);
  });

  test('rejects unknown keyword arguments, also inside a composite scheduler', () => {
    assertInvalid({ optimizer: { ...ADAMW, momentum: 0.9 } }, /"additionalProperty":"momentum"/);
    assertInvalid({ scheduler: { type: 'StepLR', step_size: 10, warmup: 5 } }, /"additionalProperty":"warmup"/);
    const sequential = {
      type: 'SequentialLR',
      schedulers: [
        { type: 'LinearLR', start_factor: 0.1, total_iters: 5 },
        { type: 'CosineAnnealingLR', T_max: 95, eta_minimum: 0 },
      ],
      milestones: [5],
    };
    assertInvalid({ scheduler: sequential }, /\/scheduler\/schedulers\/1.*eta_minimum/);
  });

  test('rejects a missing required argument', () => {
    assertInvalid({ scheduler: { type: 'StepLR' } }, /must have required property 'step_size'/);
    // SGD without lr used to be the optimizer example; PyTorch 2.2 gave SGD's lr a default, so it is valid now.
    assertInvalid({ scheduler: { type: 'ExponentialLR' } }, /must have required property 'gamma'/);
  });

  test('every accepted type spelling resolves to its own entry through the catalog look-ups', () => {
    for (const entry of OPTIMIZERS) {
      for (const spelling of optimizerTypeSpellings(entry)) assert.equal(findOptimizer(spelling), entry, spelling);
    }
    for (const entry of SCHEDULERS) {
      for (const spelling of schedulerTypeSpellings(entry)) assert.equal(findScheduler(spelling), entry, spelling);
    }
  });
});

describe('buildOptimSchema on a small catalog', () => {
  const optimizer: OptimizerEntry = {
    kind: 'optimizer',
    name: 'Toy',
    aliases: ['toy_alias'],
    library: 'other',
    summary: 'A toy optimizer.',
    doc: 'Used by the tests.',
    references: [{ title: 'Nowhere', url: 'https://example.org/toy' }],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: false,
    typicalLr: [1e-3, 1],
    params: [
      {
        name: 'lr',
        type: 'number',
        required: true,
        min: { value: 0, exclusive: true },
        max: { value: 10 },
        doc: 'Step size.',
      },
      { name: 'limit', type: 'number', default: Number.POSITIVE_INFINITY, doc: 'A default JSON cannot hold.' },
      { name: 'mode', type: 'enum', values: ['a', 'b'], default: null, doc: 'Mode or `None`.' },
      { name: 'old', type: 'boolean', default: false, deprecated: 'Ignored since 2.0.', doc: 'Old flag.' },
    ],
  };
  const scheduler: SchedulerEntry = {
    kind: 'scheduler',
    name: 'Chain',
    family: 'torch',
    summary: 'Composite.',
    doc: '',
    references: [],
    decays: false,
    cyclesMomentum: false,
    composite: true,
    needsMetric: false,
    overridesLr: false,
    params: [{ name: 'schedulers', type: 'schedulerList', required: true, doc: 'Children.' }],
  };
  const training: SectionEntry = {
    kind: 'section',
    name: 'training',
    summary: 'Run.',
    doc: '',
    references: [],
    params: [{ name: 'steps', type: 'integer', min: { value: 1 }, doc: 'Steps.' }],
  };
  const schema = buildOptimSchema({ optimizers: [optimizer], schedulers: [scheduler], sections: { training } });
  const check = compile(schema);
  const definitions = schema.definitions as Record<string, { properties: Record<string, Record<string, unknown>> }>;

  test('exclusive and inclusive bounds, dropped non-JSON defaults, nullable None defaults, deprecations', () => {
    const lr = definitions['optimizer.Toy']?.properties.lr;
    assert.deepEqual([lr?.exclusiveMinimum, lr?.minimum, lr?.maximum], [0, undefined, 10]);
    assert.equal('default' in (definitions['optimizer.Toy']?.properties.limit ?? {}), false);
    assert.deepEqual(definitions['optimizer.Toy']?.properties.mode?.enum, ['a', 'b', null]);
    assert.equal(definitions['optimizer.Toy']?.properties.old?.deprecationMessage, 'Ignored since 2.0.');
    assert.equal(check({ optimizer: { type: 'Toy', lr: 0 } }), false);
    assert.equal(check({ optimizer: { type: 'toy_alias', lr: 10, mode: null } }), true);
    assert.equal(check({ optimizer: { type: 'Toy', lr: 10.5 } }), false);
  });

  test('composite schedulers nest recursively; torch schedulers also take their module path', () => {
    const nested = {
      type: 'Chain',
      schedulers: [{ type: 'torch.optim.lr_scheduler.Chain', schedulers: [{ type: 'Nope' }] }],
    };
    assert.equal(check({ scheduler: nested }), false);
    assert.equal(check({ scheduler: { type: 'Chain', schedulers: [{ type: 'Chain', schedulers: [] }] } }), true);
  });

  test('sections without a catalog entry accept any object; sections with one check their keys', () => {
    assert.equal(check({ range_test: { whatever: [1, 2] }, simulate: {} }), true);
    assert.equal(check({ range_test: 3 }), false);
    assert.equal(check({ training: { steps: 0 } }), false);
  });

  test('an empty catalog gives a schema that still compiles and only asks for a string type', () => {
    const empty = compile(buildOptimSchema({ optimizers: [], schedulers: [], sections: {} }));
    assert.equal(empty({ optimizer: { type: 'Anything', lr: -1 } }), true);
    assert.equal(empty({ optimizer: { type: 3 } }), false);
  });
});
