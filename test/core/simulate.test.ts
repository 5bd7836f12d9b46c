// The simulator: trajectories, noise determinism, dormant features, grids, size limits, cancellation, the section parser.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  classify,
  GaussianSource,
  parseSimulateSection,
  runStatements,
  simulate,
  type RunStatement,
  type SimulateRequest,
  type SimulateRun,
} from '../../server/src/core/simulate/index';
import { createOptimizer } from '../../server/src/core/optim/index';
import { builtinLandscape } from '../../server/src/core/landscape/index';
import { SIMULATE_SECTION } from '../../server/src/core/catalog/simulateSection';

const ADAM = { type: 'Adam', params: { lr: 0.01 } };

test('a single run equals driving the optimizer by hand', () => {
  const result = simulate({ function: 'rosenbrock', steps: 50, optimizers: [ADAM] });
  assert.deepEqual(result.issues, []);
  assert.equal(result.runs.length, 1);
  const run = result.runs[0]!;
  assert.equal(run.x.length, 51);
  assert.deepEqual(run.x[0], [-1.5, 2]);
  const optimizer = createOptimizer(ADAM, 2).optimizer!;
  const landscape = builtinLandscape('rosenbrock').landscape!;
  const x = Float64Array.from([-1.5, 2]);
  const g = new Float64Array(2);
  for (let k = 0; k < 50; k++) {
    landscape.gradient(x, g);
    optimizer.step(x, g);
    assert.deepEqual(run.x[k + 1], Array.from(x));
    assert.equal(run.loss[k + 1], landscape.value(x));
  }
  assert.equal(run.stepSize!.length, 50);
  assert.ok(result.surface && result.surface.values.length === 64);
});

test('the configured optimizer runs first, compare entries follow, with labels', () => {
  const result = simulate({
    function: 'quadratic_ill',
    steps: 20,
    optimizers: [
      ADAM,
      { type: 'SGD', params: { lr: 0.01, momentum: 0.9 } },
      { type: 'SignGD', params: { lr: 0.01 }, label: 'sign' },
    ],
  });
  assert.deepEqual(
    result.runs.map((run) => run.label),
    ['Adam lr=0.01', 'SGD lr=0.01 momentum=0.9', 'sign'],
  );
});

test('recorded points are thinned for long runs', () => {
  const result = simulate({ function: 'quadratic_ill', steps: 10000, optimizers: [ADAM], maxRecordedPoints: 101 });
  const run = result.runs[0]!;
  assert.equal(run.x.length, 101);
  assert.equal(run.steps.at(-1), 10000);
  assert.equal(run.steps[1], 100);
});

/** Whether `simulate` reports an issue under the request's top-level key `key`. */
function flagsAt(request: Parameters<typeof simulate>[0], key: string): boolean {
  return simulate(request).issues.some((issue) => issue.path[0] === key);
}
describe('noise', () => {
  test('the same seed gives the same Gaussian stream; another seed does not', () => {
    const a = new GaussianSource(42);
    const b = new GaussianSource(42);
    const c = new GaussianSource(43);
    const sa = Array.from({ length: 100 }, () => a.nextGaussian());
    const sb = Array.from({ length: 100 }, () => b.nextGaussian());
    const sc = Array.from({ length: 100 }, () => c.nextGaussian());
    assert.deepEqual(sa, sb);
    assert.notDeepEqual(sa, sc);
  });
  test('the Gaussian stream has mean 0 and variance 1', () => {
    const source = new GaussianSource(7);
    let sum = 0;
    let squares = 0;
    const n = 200000;
    for (let i = 0; i < n; i++) {
      const value = source.nextGaussian();
      sum += value;
      squares += value * value;
    }
    assert.ok(Math.abs(sum / n) < 0.01, String(sum / n));
    assert.ok(Math.abs(squares / n - 1) < 0.01, String(squares / n));
  });
  test('noisy simulations are reproducible with a seed and differ from the noiseless one', () => {
    const request: SimulateRequest = {
      function: 'quadratic_ill',
      steps: 100,
      optimizers: [ADAM],
      noise: { std: 0.5, seed: 3 },
    };
    const first = simulate(request).runs[0]!;
    const second = simulate(request).runs[0]!;
    assert.deepEqual(first.x, second.x);
    const clean = simulate({ ...request, noise: { std: 0 } }).runs[0]!;
    assert.notDeepEqual(first.x, clean.x);
    const other = simulate({ ...request, noise: { std: 0.5, seed: 4 } }).runs[0]!;
    assert.notDeepEqual(first.x, other.x);
  });
  test('gradient-proportional noise vanishes where the gradient does', () => {
    const result = simulate({
      function: 'quadratic_ill',
      x0: [0, 0],
      steps: 10,
      optimizers: [ADAM],
      noise: { std: 1, seed: 1, mode: 'gradient' },
    });
    for (const point of result.runs[0]!.x) assert.deepEqual(point, [0, 0]);
  });
});

test('dormant feature: no gradient during [start, end); plain GD freezes, Adam returns with an oversized step', () => {
  const base = { function: { type: 'quadratic', diag: [1, 1] }, x0: [1, 1] } as const;
  const gd = simulate({
    ...base,
    steps: 60,
    optimizers: [{ type: 'GD', params: { lr: 0.01 } }],
    dormant: { coordinate: 1, start: 10, end: 50 },
  }).runs[0]!.x;
  for (let k = 10; k <= 50; k++) assert.equal(gd[k]![1], gd[10]![1], `coordinate 1 moved at update ${k}`);
  assert.notEqual(gd[51]![1], gd[50]![1]);
  assert.notEqual(gd[30]![0], gd[29]![0]);
  // Adam: while the feature is dormant its second moment decays (0.999^20000 ~ 2e-9), so the first gradient back
  // is divided by almost nothing: a step of about lr * 0.1 / sqrt(0.001) ~ 3 lr instead of about lr.
  const adam = simulate({
    ...base,
    steps: 20102,
    maxRecordedPoints: 30000,
    optimizers: [ADAM],
    dormant: { coordinate: 1, start: 100, end: 20100 },
  }).runs[0]!.x;
  const before = Math.abs(adam[100]![1]! - adam[99]![1]!);
  const returning = Math.abs(adam[20101]![1]! - adam[20100]![1]!);
  assert.ok(before <= 0.0101, String(before));
  assert.ok(returning > 2.5 * 0.01, `returning step ${returning}`);
});

describe('grids and batches', () => {
  test('a grid over lr and beta1 gives a heatmap whose cells equal single runs', () => {
    const result = simulate({
      function: 'rosenbrock',
      steps: 100,
      optimizers: [ADAM],
      grid: { lr: [0.001, 0.01, 0.1], beta1: [0.5, 0.9] },
    });
    assert.deepEqual(result.issues, []);
    const heatmap = result.heatmap!;
    assert.equal(heatmap.yAxis.name, 'beta1');
    assert.equal(heatmap.values.length, 2);
    assert.equal(heatmap.values[0]!.length, 3);
    const single = simulate({
      function: 'rosenbrock',
      steps: 100,
      optimizers: [{ type: 'Adam', params: { lr: 0.1, betas: [0.9, 0.999] } }],
    });
    assert.equal(heatmap.values[1]![2], single.runs[0]!.loss.at(-1));
    assert.ok(heatmap.best);
  });
  test('SGD grids use momentum as the second axis and mark diverged cells as null', () => {
    const result = simulate({
      function: 'quadratic_ill',
      steps: 200,
      optimizers: [{ type: 'SGD', params: { lr: 0.01 } }],
      grid: { lr: [0.001, 0.05], beta1: [0, 0.9] },
    });
    assert.equal(result.heatmap!.yAxis.name, 'momentum');
    assert.equal(result.heatmap!.values[0]![1], null);
    assert.equal(typeof result.heatmap!.values[0]![0], 'number');
  });
  test('steps to tolerance', () => {
    const result = simulate({
      function: 'quadratic_ill',
      steps: 500,
      optimizers: [{ type: 'SGD', params: { lr: 0.01 } }],
      grid: { lr: [0.001, 0.015], metric: 'steps_to_tolerance', tolerance: 1e-3 },
    });
    const [slow, fast] = result.heatmap!.values[0]!;
    assert.equal(slow, null);
    assert.ok(typeof fast === 'number' && fast > 0 && fast < 500);
  });
  test('several starts run as one batch and match separate runs', () => {
    const result = simulate({
      function: 'himmelblau',
      steps: 100,
      optimizers: [ADAM],
      starts: [
        [0, 0],
        [-1, -1],
      ],
    });
    assert.equal(result.runs.length, 2);
    const alone = simulate({ function: 'himmelblau', steps: 100, optimizers: [ADAM], x0: [-1, -1] });
    assert.deepEqual(result.runs[1]!.x, alone.runs[0]!.x);
    assert.match(result.runs[1]!.label, /from \(-1, -1\)/);
  });
  test('LAMB on a multi-block toy', () => {
    const result = simulate({
      function: { type: 'quadratic', diag: [1, 2, 100, 200] },
      x0: [1, 1, 1, 1],
      steps: 100,
      optimizers: [{ type: 'Lamb', params: { lr: 0.05 } }],
      blocks: [2, 2],
    });
    assert.deepEqual(result.issues, []);
    assert.ok(result.runs[0]!.loss.at(-1)! < result.runs[0]!.loss[0]!);
  });
});

describe('absurd sizes are refused before any work', () => {
  test('more than 1e6 steps', () => {
    const result = simulate({ function: 'rosenbrock', steps: 2_000_000, optimizers: [ADAM] });
    assert.equal(result.runs.length, 0);
    assert.ok(result.issues.some((issue) => issue.path[0] === 'steps' && /at most 1,000,000/.test(issue.message)));
  });
  test('grid cells x steps over 1e8', () => {
    const lr = Array.from({ length: 1000 }, (_, i) => 1e-4 * (i + 1));
    const started = Date.now();
    const result = simulate({ function: 'rosenbrock', steps: 100_000, optimizers: [ADAM], grid: { lr } });
    assert.ok(Date.now() - started < 1000);
    assert.equal(result.heatmap, undefined);
    assert.ok(
      result.issues.some((issue) => issue.path[0] === 'grid' && /limit is 1e8/.test(issue.message)),
      JSON.stringify(result.issues),
    );
  });
  test('non-integer or zero steps', () => {
    assert.ok(flagsAt({ function: 'rosenbrock', steps: 0, optimizers: [ADAM] }, 'steps'));
    assert.ok(flagsAt({ function: 'rosenbrock', steps: 2.5, optimizers: [ADAM] }, 'steps'));
  });
});

describe('bad configs give issues, never throw', () => {
  test('unknown optimizer in compare', () => {
    const result = simulate({ function: 'rosenbrock', steps: 10, optimizers: [ADAM, { type: 'Adamm', params: {} }] });
    assert.equal(result.runs.length, 1);
    assert.ok(
      result.issues.some((issue) => JSON.stringify(issue.path) === '["compare",0,"type"]'),
      JSON.stringify(result.issues),
    );
  });
  test('negative lr in the configured optimizer', () => {
    const result = simulate({ function: 'rosenbrock', steps: 10, optimizers: [{ type: 'Adam', params: { lr: -1 } }] });
    assert.ok(
      result.issues.some(
        (issue) => JSON.stringify(issue.path) === '["optimizer","lr"]' && /must be >= 0/.test(issue.message),
      ),
      JSON.stringify(result.issues),
    );
  });
  test('bad function, x0 of the wrong size, dormant coordinate out of range', () => {
    assert.ok(flagsAt({ function: 'nope', steps: 10, optimizers: [ADAM] }, 'function'));
    assert.ok(flagsAt({ function: 'rosenbrock', x0: [1], steps: 10, optimizers: [ADAM] }, 'x0'));
    assert.ok(
      simulate({
        function: 'rosenbrock',
        steps: 10,
        optimizers: [ADAM],
        dormant: { coordinate: 5, start: 0, end: 1 },
      }).issues.some((issue) => issue.path[0] === 'dormant'),
    );
  });
  test('divergence stops the run and is reported', () => {
    const result = simulate({
      function: 'quadratic_ill',
      steps: 200,
      optimizers: [{ type: 'SGD', params: { lr: 0.5 } }],
    });
    assert.ok(result.runs[0]!.divergedAt !== undefined && result.runs[0]!.divergedAt < 200);
    assert.ok(result.issues.some((issue) => /diverged at update/.test(issue.message)));
  });
});

test('progress is reported and cancellation stops the job', () => {
  const fractions: number[] = [];
  simulate({ function: 'rosenbrock', steps: 1000, optimizers: [ADAM] }, (fraction) => fractions.push(fraction));
  assert.ok(fractions.length >= 50);
  assert.equal(fractions.at(-1), 1);
  let polls = 0;
  const result = simulate({ function: 'rosenbrock', steps: 100000, optimizers: [ADAM] }, undefined, () => ++polls > 3);
  assert.equal(result.cancelled, true);
  assert.ok(result.runs[0]!.steps.at(-1)! < 1000);
});

describe('the simulate: section', () => {
  test('native form with compare, noise, grid', () => {
    const { request, issues } = parseSimulateSection(
      {
        function: 'x^2 + 10*y^2',
        x0: [1, 1],
        steps: 30,
        compare: [
          { type: 'SGD', lr: 0.01, label: 'sgd' },
          { type: 'Lion', params: { lr: 0.001 } },
        ],
        noise: { std: 0.1, seed: 2 },
      },
      ADAM,
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(request!.function, { expression: 'x^2 + 10*y^2' });
    assert.deepEqual(
      request!.optimizers.map((o) => o.type),
      ['Adam', 'SGD', 'Lion'],
    );
    assert.deepEqual(request!.optimizers[1], { type: 'SGD', params: { lr: 0.01 }, label: 'sgd' });
    const result = simulate(request!);
    assert.deepEqual(result.issues, []);
    assert.equal(result.runs.length, 3);
  });
  test('defaults: rosenbrock, 200 steps', () => {
    const { request } = parseSimulateSection(null, ADAM);
    assert.equal(request!.function, 'rosenbrock');
    assert.equal(request!.steps, 200);
  });
  test('unknown keys and wrong shapes', () => {
    const { request, issues } = parseSimulateSection({ stepz: 10, compare: 'Adam', noise: { seed: 1 } }, ADAM);
    assert.equal(request, null);
    assert.deepEqual(
      issues.map((issue) => issue.path),
      [['stepz'], ['compare'], ['noise']],
    );
    assert.deepEqual(
      parseSimulateSection([1, 2], null).issues.map((issue) => issue.path),
      [[]],
    );
  });
  test('the catalog documents every key the parser accepts', () => {
    const documented = SIMULATE_SECTION.params.map((param) => param.name).sort();
    assert.deepEqual(documented, [
      'blocks',
      'compare',
      'dormant',
      'function',
      'grid',
      'noise',
      'starts',
      'steps',
      'x0',
    ]);
    const { issues } = parseSimulateSection(Object.fromEntries(documented.map((key) => [key, undefined])), ADAM);
    assert.deepEqual(issues, []);
  });
});

describe('stability statements (issue 11: a bound only where it holds for that optimizer)', () => {
  const DIAG = [1, 10, 100];
  /** Runs `optimizer` on the quadratic with eigenvalues DIAG from all ones, and states what it did. */
  function stated(
    type: string,
    params: Record<string, unknown>,
    extra: Partial<SimulateRequest> = {},
  ): { run: SimulateRun; statement: RunStatement } {
    const result = simulate({
      function: { type: 'quadratic', diag: DIAG },
      steps: 3000,
      optimizers: [{ type, params }],
      surfaceResolution: 0,
      ...extra,
    });
    const statements = runStatements(result.runs, {
      eigenvalues: DIAG,
      noisy: (extra.noise?.std ?? 0) > 0,
      ...(extra.lrFactors ? { lrFactors: extra.lrFactors } : {}),
    });
    return { run: result.runs[0]!, statement: statements[0]! };
  }
  const grew = (run: SimulateRun): boolean => run.divergedAt !== undefined || run.loss.at(-1)! > 1e3 * run.loss[0]!;
  const shrank = (run: SimulateRun): boolean => run.divergedAt === undefined && run.loss.at(-1)! < 1e-6 * run.loss[0]!;

  // Each derived limit, checked by running 3% below it (must converge) and 3% above it (must blow up).
  const cases: { name: string; type: string; params: Record<string, unknown>; limit: number; rule: string }[] = [
    { name: 'plain GD', type: 'GD', params: {}, limit: 2 / 100, rule: '2/λmax' },
    { name: 'SGD without momentum', type: 'SGD', params: {}, limit: 2 / 100, rule: '2/λmax' },
    {
      name: 'SGD, heavy ball beta 0.9',
      type: 'SGD',
      params: { momentum: 0.9 },
      limit: (2 * 1.9) / 100,
      rule: '2(1+β)/λmax',
    },
    {
      name: 'SGD, heavy ball beta 0.5 with dampening 0.3',
      type: 'SGD',
      params: { momentum: 0.5, dampening: 0.3 },
      limit: (2 * 1.5) / (0.7 * 100),
      rule: '2(1+β)/((1−τ)λmax)',
    },
    {
      name: 'SGD, Nesterov beta 0.9',
      type: 'SGD',
      params: { momentum: 0.9, nesterov: true },
      limit: (2 * 1.9) / (2.8 * 100),
      rule: '2(1+β)/((1+2β)λmax)',
    },
    {
      name: 'SGD with weight decay 10 (adds 10 to every eigenvalue)',
      type: 'SGD',
      params: { weight_decay: 10 },
      limit: 2 / 110,
      rule: '2/λmax',
    },
  ];
  for (const { name, type, params, limit, rule } of cases) {
    test(`${name}: stable just below ${rule}, unstable just above, as the runs show`, () => {
      const below = stated(type, { ...params, lr: 0.97 * limit });
      assert.equal(below.statement.verdict, 'stable', below.statement.text);
      assert.equal(below.statement.bound!.rule, rule);
      assert.ok(
        Math.abs(below.statement.bound!.limit - limit) < 1e-12 * limit,
        `${below.statement.bound!.limit} vs ${limit}`,
      );
      assert.ok(shrank(below.run), `${name} at 0.97 x limit: ${below.run.loss[0]} -> ${below.run.loss.at(-1)}`);
      const above = stated(type, { ...params, lr: 1.03 * limit });
      assert.equal(above.statement.verdict, 'unstable', above.statement.text);
      assert.ok(grew(above.run), `${name} at 1.03 x limit: ${above.run.loss[0]} -> ${above.run.loss.at(-1)}`);
    });
  }

  test('Adam past 2/lambda_max gets no bound: its measured statement says it converged', () => {
    const { run, statement } = stated('Adam', { lr: 0.05 });
    assert.equal(statement.basis, 'measured');
    assert.equal(statement.bound, undefined);
    assert.equal(statement.verdict, 'converged', statement.text);
    assert.ok(shrank(run));
  });

  test('normalized GD gets no bound: it is measured as oscillating around the minimum', () => {
    const { run, statement } = stated('NormalizedGD', { lr: 0.05 });
    assert.equal(statement.basis, 'measured');
    assert.equal(statement.verdict, 'oscillating', statement.text);
    assert.ok(run.loss.at(-1)! > 1e-6, 'it never settles');
  });

  test('a run that the simulator stops is stated as diverged at its update', () => {
    const result = simulate({
      function: 'rosenbrock',
      steps: 500,
      optimizers: [{ type: 'GD', params: { lr: 0.5 } }],
      surfaceResolution: 0,
    });
    const [statement] = runStatements(result.runs, {});
    assert.equal(statement!.verdict, 'diverged');
    assert.match(statement!.text, new RegExp(`update ${result.runs[0]!.divergedAt}\\b`));
  });

  test('with gradient noise, or a start with nothing along the unstable direction, no bound is claimed', () => {
    const noisy = stated('SGD', { lr: 0.01 }, { noise: { std: 1, seed: 1 } });
    assert.equal(noisy.statement.basis, 'measured', noisy.statement.text);
    const flat = stated('SGD', { lr: 0.021 }, { x0: [1, 1, 0] });
    assert.equal(flat.statement.basis, 'measured', flat.statement.text);
    assert.notEqual(flat.statement.verdict, 'diverged');
  });

  test('a schedule: stable when its largest lr is below the limit; past it the run is measured', () => {
    const decaying = stated('SGD', { lr: 0.019 }, { lrFactors: [1, 0.5, 0.25] });
    assert.equal(decaying.statement.verdict, 'stable', decaying.statement.text);
    const peaking = stated('SGD', { lr: 0.01 }, { lrFactors: [1, 2.2, 1] });
    assert.equal(peaking.statement.basis, 'measured', peaking.statement.text);
  });

  test('the measured criterion on motion summaries', () => {
    const base = {
      updates: 100,
      tailStart: 75,
      tailMiddle: 87,
      reach: 1,
      startLoss: 1,
      finalLoss: 0.5,
      tailFirstLoss: 0.6,
      tailMinLoss: 0.5,
      tailMaxLoss: 0.6,
    };
    assert.equal(
      classify({ ...base, firstHalfPath: 0.02, secondHalfPath: 0.005, tailDisplacement: 0.02 }),
      'converged',
    );
    assert.equal(classify({ ...base, firstHalfPath: 0.5, secondHalfPath: 0.5, tailDisplacement: 0.05 }), 'oscillating');
    assert.equal(classify({ ...base, firstHalfPath: 0.2, secondHalfPath: 0.2, tailDisplacement: 0.39 }), 'descending');
    assert.equal(
      classify({ ...base, firstHalfPath: 0.2, secondHalfPath: 0.2, tailDisplacement: 0.39, finalLoss: 0.7 }),
      'drifting',
    );
    assert.equal(
      classify({
        ...base,
        firstHalfPath: 0.2,
        secondHalfPath: 0.2,
        tailDisplacement: 0.39,
        finalLoss: 50,
        tailFirstLoss: 20,
      }),
      'growing',
    );
  });
});
