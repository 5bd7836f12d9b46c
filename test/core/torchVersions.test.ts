// The PyTorch version table of the catalog, checked fact by fact against the release that added (or removed) each
// keyword and class. Every row says where the fact was checked; the lint test shows OL108 one release too early,
// naming the release, and silence from that release on.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { OPTIMIZERS } from '../../server/src/core/catalog/optimizers';
import { SCHEDULERS } from '../../server/src/core/catalog/schedulers';
import {
  TORCH_VERSIONS,
  LATEST_TORCH_VERSION,
  availability,
  compareTorchVersions,
  normalizeTorchVersion,
} from '../../server/src/core/catalog/torchVersions';

interface KeywordFact {
  readonly owner: string;
  readonly keyword: string;
  /** The first release that accepts the keyword. */
  readonly since: string;
  /** Where it was checked. */
  readonly source: string;
}

const KEYWORD_FACTS: readonly KeywordFact[] = [
  {
    owner: 'SGD',
    keyword: 'fused',
    since: '2.3',
    source: 'pytorch.org/docs/2.3/_modules/torch/optim/sgd.html; pytorch/pytorch#116585 (Jan 2024)',
  },
  {
    owner: 'Adagrad',
    keyword: 'fused',
    since: '2.4',
    source: 'pytorch/pytorch#124905 (May 2024); pytorch.org/docs/2.1 has no fused',
  },
  {
    owner: 'Adagrad',
    keyword: 'differentiable',
    since: '2.0',
    source: 'torch 1.13.1 signature; pytorch.org/docs/2.0/_modules/torch/optim/adagrad.html',
  },
  {
    owner: 'AdamW',
    keyword: 'fused',
    since: '2.0',
    source: 'torch 1.13.1 signature; pytorch.org/docs/2.0/_modules/torch/optim/adamw.html',
  },
  {
    owner: 'AdamW',
    keyword: 'differentiable',
    since: '2.0',
    source: 'torch 1.13.1 signature; pytorch.org/docs/2.0/_modules/torch/optim/adamw.html',
  },
  {
    owner: 'Adam',
    keyword: 'decoupled_weight_decay',
    since: '2.7',
    source: 'pytorch/pytorch#118857 merged Dec 2024 (after the 2.6 cut); pytorch.org/docs/2.4 has none',
  },
  {
    owner: 'NAdam',
    keyword: 'decoupled_weight_decay',
    since: '2.1',
    source: 'pytorch/pytorch#103881, #107706 (Aug 2023); docs/2.0 has none, docs/2.2 has it',
  },
  { owner: 'RAdam', keyword: 'decoupled_weight_decay', since: '2.1', source: 'pytorch/pytorch#107507 (Aug 2023)' },
  {
    owner: 'NAdam',
    keyword: 'capturable',
    since: '2.1',
    source: 'pytorch/pytorch#106615 (Aug 2023); docs/2.0 has none, docs/2.2 has it',
  },
  {
    owner: 'RAdam',
    keyword: 'capturable',
    since: '2.3',
    source: 'pytorch/pytorch#117912 (Jan 2024); pytorch.org/docs/2.3/_modules/torch/optim/radam.html',
  },
  { owner: 'Adamax', keyword: 'capturable', since: '2.3', source: 'pytorch/pytorch#117835 (Jan 2024)' },
  { owner: 'ASGD', keyword: 'capturable', since: '2.2', source: 'pytorch/pytorch#107857 (merged Sep 2023)' },
  {
    owner: 'RMSprop',
    keyword: 'capturable',
    since: '2.4',
    source: 'pytorch/pytorch#122264 (Mar 2024, after the 2.3 cut)',
  },
  {
    owner: 'Rprop',
    keyword: 'capturable',
    since: '2.4',
    source: 'pytorch/pytorch#122261 (Mar 2024, after the 2.3 cut)',
  },
  { owner: 'Adadelta', keyword: 'capturable', since: '2.4', source: 'pytorch/pytorch#122252 (merged 2024-03-21)' },
  {
    owner: 'NAdam',
    keyword: 'maximize',
    since: '2.4',
    source: 'pytorch/pytorch#127214 (May 2024); docs/2.2 NAdam has none',
  },
  {
    owner: 'RAdam',
    keyword: 'maximize',
    since: '2.4',
    source: 'pytorch/pytorch#126765 (May 2024); pytorch.org/docs/2.3 RAdam has none',
  },
];

/** Keywords every release from 1.13 on accepts (checked with inspect.signature on torch 1.13.1). */
const IN_1_13: readonly KeywordFact[] = [
  { owner: 'Adam', keyword: 'fused', since: '1.13', source: 'torch 1.13.1' },
  { owner: 'Adam', keyword: 'capturable', since: '1.13', source: 'torch 1.13.1' },
  { owner: 'AdamW', keyword: 'capturable', since: '1.13', source: 'torch 1.13.1' },
  { owner: 'SGD', keyword: 'differentiable', since: '1.13', source: 'torch 1.13.1' },
  { owner: 'RMSprop', keyword: 'differentiable', since: '1.13', source: 'torch 1.13.1' },
  { owner: 'SparseAdam', keyword: 'maximize', since: '1.13', source: 'torch 1.13.1' },
];

function previous(version: string): string {
  const index = TORCH_VERSIONS.indexOf(version);
  assert.ok(index > 0, `${version} has a predecessor in TORCH_VERSIONS`);
  return TORCH_VERSIONS[index - 1];
}

function lint(text: string, torchVersion: string) {
  return analyze(text, { format: 'yaml', dialect: 'auto', fileName: 'config.optim.yaml', torchVersion }).problems;
}

function optimizerConfig(owner: string, keyword: string): string {
  return `optimizer:\n  type: ${owner}\n  lr: 1.0e-3\n  ${keyword}: true\n`;
}

describe('catalog keyword lifetimes match the verified PyTorch releases', () => {
  for (const fact of [...KEYWORD_FACTS, ...IN_1_13]) {
    test(`${fact.owner}.${fact.keyword}: ${fact.since === '1.13' ? 'in 1.13 already' : `since ${fact.since}`} (${fact.source})`, () => {
      const entry = OPTIMIZERS.find((candidate) => candidate.name === fact.owner && candidate.library === 'torch');
      assert.ok(entry, `${fact.owner} is catalogued`);
      const spec = entry.params.find((param) => param.name === fact.keyword);
      assert.ok(spec, `${fact.owner} has ${fact.keyword}`);
      assert.equal(spec.since, fact.since === '1.13' ? undefined : fact.since);
      assert.equal(spec.removedIn, undefined);
    });
  }
});

describe('OL108 one release too early, silence from the release that added the keyword', () => {
  for (const fact of KEYWORD_FACTS) {
    test(`${fact.owner}(${fact.keyword}=True) with torchVersion ${previous(fact.since)} and ${fact.since}`, () => {
      const text = optimizerConfig(fact.owner, fact.keyword);
      const early = lint(text, previous(fact.since)).filter((problem) => problem.code === 'OL108');
      assert.equal(early.length, 1, JSON.stringify(early));
      assert.match(early[0].message, new RegExp(`added in PyTorch ${fact.since.replace('.', '\\.')}`));
      assert.equal(text.slice(early[0].start, early[0].end), fact.keyword);
      const onTime = lint(text, fact.since);
      assert.deepEqual(
        onTime.filter((problem) => problem.code === 'OL108' || problem.severity === 'error'),
        [],
      );
    });
  }

  test('1.13 keywords are never OL108', () => {
    for (const fact of IN_1_13) {
      assert.deepEqual(
        lint(optimizerConfig(fact.owner, fact.keyword), '1.13').filter((problem) => problem.code === 'OL108'),
        [],
        fact.owner,
      );
    }
  });
});

describe('SGD lr: required up to 2.1, default 1e-3 from 2.2 (pytorch/pytorch#114467, merged 2023-11-23)', () => {
  test('the catalog says so', () => {
    const lr = OPTIMIZERS.find((entry) => entry.name === 'SGD')?.params.find((param) => param.name === 'lr');
    assert.equal(lr?.requiredUntil, '2.2');
    assert.equal(lr?.default, 1e-3);
  });

  test('an SGD without lr is an error with 2.1 and not with 2.2', () => {
    const text = 'optimizer:\n  type: SGD\n  momentum: 0.9\n';
    assert.ok(lint(text, '2.1').some((problem) => problem.severity === 'error' && /\blr\b/.test(problem.message)));
    assert.deepEqual(
      lint(text, '2.2').filter((problem) => problem.severity === 'error'),
      [],
    );
  });
});

describe('optimizer classes added after 1.13', () => {
  const classes = [
    { name: 'Adafactor', since: '2.5', source: 'pytorch/pytorch docs 2.5+: torch.optim.Adafactor' },
    {
      name: 'Muon',
      since: '2.9',
      source: 'pytorch/pytorch#160213 (Aug 2025); docs.pytorch.org/docs/2.9/generated/torch.optim.Muon.html',
    },
  ];
  for (const item of classes) {
    test(`${item.name} since ${item.since} (${item.source})`, () => {
      assert.equal(OPTIMIZERS.find((entry) => entry.name === item.name)?.since, item.since);
      const text = `optimizer:\n  type: ${item.name}\n  lr: 1.0e-2\n`;
      const early = lint(text, previous(item.since)).filter((problem) => problem.code === 'OL108');
      assert.equal(early.length, 1);
      assert.match(early[0].message, new RegExp(`added in PyTorch ${item.since.replace('.', '\\.')}`));
      assert.deepEqual(
        lint(text, item.since).filter((problem) => problem.code === 'OL108'),
        [],
      );
    });
  }
});

describe('scheduler verbose: deprecated in 2.2 (pytorch/pytorch#111302), removed in 2.7 (pytorch/pytorch#147301)', () => {
  test('every torch scheduler that takes verbose carries the same lifetime', () => {
    const withVerbose = SCHEDULERS.filter((entry) => entry.family === 'torch')
      .map((entry) => entry.params.find((param) => param.name === 'verbose'))
      .filter((spec) => spec !== undefined);
    assert.ok(withVerbose.length >= 10);
    for (const spec of withVerbose) {
      assert.equal(spec.deprecatedIn, '2.2');
      assert.equal(spec.removedIn, '2.7');
    }
  });

  test('ChainedScheduler has no verbose (1.13 signature: schedulers only)', () => {
    assert.equal(
      SCHEDULERS.find((entry) => entry.name === 'ChainedScheduler')?.params.some((param) => param.name === 'verbose'),
      false,
    );
  });

  test('verbose on ReduceLROnPlateau: fine in 2.6, OL108 naming 2.7 from 2.7 on', () => {
    const text = 'optimizer:\n  type: AdamW\n  lr: 1.0e-3\nscheduler:\n  type: ReduceLROnPlateau\n  verbose: false\n';
    assert.deepEqual(
      lint(text, '2.6').filter((problem) => problem.code === 'OL108'),
      [],
    );
    assert.match(
      lint(text, '2.7').find((problem) => problem.code === 'OL108')?.message ?? '',
      /removed in PyTorch 2\.7/,
    );
  });
});

describe('torchVersions helpers', () => {
  test('versions are ordered, the latest is the default', () => {
    for (let index = 1; index < TORCH_VERSIONS.length; index += 1)
      assert.ok(compareTorchVersions(TORCH_VERSIONS[index - 1], TORCH_VERSIONS[index]) < 0);
    assert.equal(TORCH_VERSIONS.at(-1), LATEST_TORCH_VERSION);
    assert.equal(normalizeTorchVersion(undefined), LATEST_TORCH_VERSION);
    assert.equal(normalizeTorchVersion('2.5.1'), '2.5');
    assert.equal(normalizeTorchVersion('nonsense'), LATEST_TORCH_VERSION);
    assert.ok(compareTorchVersions('2.10', '2.9') > 0);
  });

  test('availability: since is inclusive, removedIn is exclusive', () => {
    assert.equal(availability({ since: '2.3' }, '2.2'), 'not-yet');
    assert.equal(availability({ since: '2.3' }, '2.3'), 'ok');
    assert.equal(availability({ removedIn: '2.7' }, '2.6'), 'ok');
    assert.equal(availability({ removedIn: '2.7' }, '2.7'), 'removed');
  });
});

test('ChainedScheduler takes an `optimizer` from 2.3 on (2.4 docs; pytorch/pytorch#121633, March 2024, at the 2.3 cut)', () => {
  const spec = SCHEDULERS.find((entry) => entry.name === 'ChainedScheduler')?.params.find(
    (param) => param.name === 'optimizer',
  );
  assert.equal(spec?.since, '2.3');
  const text =
    'optimizer:\n  type: SGD\n  lr: 0.1\nscheduler:\n  type: ChainedScheduler\n  optimizer: null\n  schedulers:\n    - {type: ConstantLR, factor: 0.5, total_iters: 2}\n    - {type: ExponentialLR, gamma: 0.9}\n';
  const codes = (version: string) =>
    analyze(text, { format: 'yaml', dialect: 'optim', torchVersion: version })
      .problems.filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.code} ${problem.message}`);
  assert.equal(codes('2.2').length, 1);
  assert.match(codes('2.2')[0]!, /^OL108 `optimizer` of ChainedScheduler was added in PyTorch 2\.3/);
  assert.deepEqual(codes('2.3'), []);
});
