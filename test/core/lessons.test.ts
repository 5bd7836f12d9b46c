// The loss-landscape lessons: each examples/lesson-*.optim.yaml is analysed, simulated and its lesson checked in numbers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/analysis';
import {
  parseSimulateSection,
  runStatements,
  simulate,
  type RunStatement,
  type RunVerdict,
  type SimulateResult,
  type SimulateRun,
} from '../../server/src/core/simulate/index';
import { builtinLandscape } from '../../server/src/core/landscape/index';
import type { OptimizerConfig } from '../../server/src/core/optim/index';
import { toPlain } from '../../server/src/core/syntax/tree';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
/**
 * The sleep of lessons 5 and 6. It ends at 23003 so that, with 23100 steps thinned to 2001 recorded points (every
 * 12th update), the panel records the waking update itself and its step-size spike.
 */
const DORMANT_START = 3000;
const DORMANT_END = 23003;

interface Lesson {
  readonly text: string;
  readonly result: SimulateResult;
  /** The eigenvalues when the function is `{type: quadratic, diag}`. */
  readonly diag?: readonly number[];
  /** The panel's statement for each run, as runSimulation makes them. */
  readonly statements: readonly RunStatement[];
}

/** Analyses a lesson file and runs its `simulate:` section, recording every update. */
function runLesson(file: string): Lesson {
  const text = readFileSync(join(EXAMPLES, file), 'utf8');
  const analysis = analyze(text, { format: 'yaml' });
  const errors = analysis.problems.filter((problem) => problem.severity === 'error');
  assert.deepEqual(
    errors.map((problem) => `${problem.code} ${problem.message}`),
    [],
    `${file} has lint errors`,
  );
  const model = analysis.model;
  assert.ok(model?.optimizer?.entry && model.simulate, `${file} needs an optimizer: and a simulate: section`);
  // The configured optimizer as the simulator takes it: catalog name and keyword arguments by their PyTorch names.
  const configured: OptimizerConfig = {
    type: model.optimizer.entry.name,
    params: Object.fromEntries([...model.optimizer.params.values()].map((param) => [param.name, param.value])),
  };
  const section = toPlain(model.simulate.node);
  const { request, issues } = parseSimulateSection(section, configured);
  assert.deepEqual(issues, [], `${file}: simulate section issues`);
  assert.ok(request);
  const result = simulate({ ...request, maxRecordedPoints: request.steps + 1 });
  const diverged = result.runs.filter((run) => run.divergedAt !== undefined).map((run) => run.label);
  const otherIssues = result.issues.filter((issue) => !diverged.some((label) => issue.message.startsWith(label)));
  assert.deepEqual(otherIssues, [], `${file}: simulation issues`);
  assert.equal(result.runs.length, 1 + ((section as { compare?: unknown[] }).compare?.length ?? 0));
  for (const run of result.runs)
    if (run.divergedAt === undefined)
      assert.equal(run.x.length, request.steps + 1, `${file}: ${run.label} recorded every update`);
  const spec = request.function;
  const diag =
    typeof spec === 'object' && 'diag' in spec && Array.isArray(spec.diag) ? (spec.diag as number[]) : undefined;
  const eigenvalues = builtinLandscape(spec).landscape?.eigenvalues;
  const statements = runStatements(result.runs, {
    ...(eigenvalues ? { eigenvalues } : {}),
    noisy: (request.noise?.std ?? 0) > 0,
  });
  return { text, result, ...(diag ? { diag } : {}), statements };
}

function distance(point: readonly number[]): number {
  return Math.hypot(...point);
}

/** `|x[k+1][j] - x[k][j]|`: the move of coordinate j in update k. */
function move(run: SimulateRun, k: number, j: number): number {
  return Math.abs(run.x[k + 1]![j]! - run.x[k]![j]!);
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function signChanges(values: readonly number[]): number {
  let changes = 0;
  for (let k = 1; k < values.length; k++) if (Math.sign(values[k]!) !== Math.sign(values[k - 1]!)) changes++;
  return changes;
}

const LESSONS: Readonly<Record<string, (lesson: Lesson) => void>> = {
  'lesson-1-plateau.optim.yaml': ({ result }) => {
    const [adam, gd] = result.runs as [SimulateRun, SimulateRun];
    // On the rim the gradient is about 2k|x| ~ 0.02, so GD at lr 0.04 moves under 1e-3 per update and stays out.
    for (let k = 0; k < gd.x.length - 1; k++)
      assert.ok(Math.hypot(move(gd, k, 0), move(gd, k, 1)) < 1e-3, `GD update ${k} is not a crawl`);
    assert.ok(gd.loss.at(-1)! > 0.99, `GD left the plateau: ${gd.loss.at(-1)}`);
    assert.ok(distance(gd.x.at(-1)!) > 0.8);
    // Adam's steps are about lr whatever the gradient's size, so it reaches the basin and its minimum.
    assert.ok(adam.loss.at(-1)! < 1e-3, `Adam final loss ${adam.loss.at(-1)}`);
    assert.ok(distance(adam.x.at(-1)!) < 0.05);
  },
  'lesson-1-ravine.optim.yaml': ({ result }) => {
    const [adam, gd] = result.runs as [SimulateRun, SimulateRun];
    const gdY = gd.x.map((point) => point[1]!);
    // GD's steep coordinate is multiplied by 1 - 100 lr = -0.9 each update: it changes side every time.
    assert.equal(signChanges(gdY.slice(0, 101)), 100);
    // Along the flat floor it is multiplied by 1 - lr = 0.981: after 200 updates it has not arrived.
    assert.ok(Math.abs(gd.x.at(-1)![0]!) > 0.03, `GD x ${gd.x.at(-1)![0]}`);
    assert.ok(signChanges(adam.x.map((point) => point[1]!).slice(0, 101)) < 50, 'Adam bounces as much as GD');
    assert.ok(adam.loss.at(-1)! < gd.loss.at(-1)! / 100, `Adam ${adam.loss.at(-1)} vs GD ${gd.loss.at(-1)}`);
  },
  'lesson-2-adagrad-decay.optim.yaml': ({ result }) => {
    const [adagrad, rmsprop] = result.runs as [SimulateRun, SimulateRun];
    // AdaGrad's effective step lr / (sqrt(sum g^2) + eps) never grows (up to the rounding of |dx| / |g|).
    for (let j = 0; j < 2; j++) {
      let previous = Infinity;
      for (const sizes of adagrad.stepSize!) {
        const size = sizes[j]!;
        if (size === 0) continue;
        assert.ok(size <= previous * (1 + 1e-9), `AdaGrad's step grew on coordinate ${j}: ${previous} -> ${size}`);
        previous = size;
      }
    }
    // RMSprop forgets: once the gradients are small its effective step grows well past its earlier minimum.
    for (let j = 0; j < 2; j++) {
      const sizes = rmsprop.stepSize!.map((row) => row[j]!);
      const early = Math.min(...sizes.slice(0, 100).filter((size) => size > 0));
      const late = Math.max(...sizes.slice(-100));
      assert.ok(late > 2 * early, `RMSprop coordinate ${j}: early min ${early}, late max ${late}`);
    }
  },
  'lesson-3-adam-sign-descent.optim.yaml': ({ result }) => {
    const [adam, sign] = result.runs as [SimulateRun, SimulateRun];
    // Each update differs by lr * eps / (|g| + eps): the paths agree to 1e-6 (5e-5 lr) over all 300 updates.
    for (let k = 0; k < adam.x.length; k++) {
      for (let j = 0; j < 2; j++)
        assert.ok(Math.abs(adam.x[k]![j]! - sign.x[k]![j]!) < 1e-6, `update ${k}: ${adam.x[k]} vs ${sign.x[k]}`);
    }
    for (let k = 0; k < sign.x.length - 1; k++)
      for (let j = 0; j < 2; j++) assert.ok(Math.abs(move(adam, k, j) - 0.02) < 1e-6, `update ${k}`);
  },
  'lesson-4-normalized-gd-orbit.optim.yaml': ({ result }) => {
    const [normalized, gd] = result.runs as [SimulateRun, SimulateRun];
    const lr = 0.08;
    const distances = normalized.x.map(distance);
    const arrival = distances.findIndex((d) => d < lr);
    assert.ok(arrival > 0 && arrival < 20, `arrived at ${arrival}`);
    // After arriving it keeps jumping by exactly lr: the distance stays between lr/2 - rounding and lr.
    for (let k = arrival; k < distances.length; k++) {
      assert.ok(distances[k]! >= 0.45 * lr && distances[k]! <= lr, `update ${k}: distance ${distances[k]}`);
      if (k > 0) assert.ok(Math.abs(Math.hypot(move(normalized, k - 1, 0), move(normalized, k - 1, 1)) - lr) < 1e-12);
    }
    assert.ok(gd.loss.at(-1)! < 1e-6 && normalized.loss.at(-1)! > 0.5 * (0.45 * lr) ** 2);
  },
  'lesson-5-dormant-wake.optim.yaml': ({ result }) => {
    const [adam, sgd] = result.runs as [SimulateRun, SimulateRun];
    // The file's dormant stretch: updates 3000 <= k < 23003 see no gradient in y. SGD stops dead; Adam coasts on
    // its first moment, which decays by 0.9 per update, so it has stopped long before waking.
    for (let k = DORMANT_START; k < DORMANT_END; k++)
      assert.equal(move(sgd, k, 1), 0, `SGD moved y while dormant at ${k}`);
    for (let k = DORMANT_START + 300; k < DORMANT_END; k++)
      assert.ok(move(adam, k, 1) < 1e-12, `Adam still coasting at ${k}`);
    const before = (run: SimulateRun): number =>
      Math.max(...Array.from({ length: 10 }, (_, k) => move(run, DORMANT_START - 10 + k, 1)));
    const waking = (run: SimulateRun): number => move(run, DORMANT_END, 1);
    // Adam's second moment fell by 0.999^20000 ~ 2e-9, so the first step back is (1 - beta1) g / sqrt((1 - beta2) g^2)
    // ~ 3.2 lr, against steps of at most lr before; SGD steps lr g, no more than before the sleep.
    assert.ok(waking(adam) > 2.5 * before(adam), `Adam: before ${before(adam)}, waking ${waking(adam)}`);
    assert.ok(waking(sgd) <= before(sgd), `SGD: before ${before(sgd)}, waking ${waking(sgd)}`);
  },
  'lesson-6-amsgrad.optim.yaml': ({ result }) => {
    const [amsgrad, adam] = result.runs as [SimulateRun, SimulateRun];
    // y sleeps for updates 3000 <= k < 23003: long enough for Adam's second moment to vanish (0.999^20000 ~ 2e-9),
    // and late enough that the bias correction has warmed up before (1 - 0.999^3000 ~ 0.95).
    const before = (run: SimulateRun): number =>
      Math.max(...Array.from({ length: 10 }, (_, k) => move(run, DORMANT_START - 10 + k, 1)));
    const after = (run: SimulateRun): number =>
      Math.max(...Array.from({ length: 10 }, (_, k) => move(run, DORMANT_END + k, 1)));
    // AMSGrad divides by the largest second moment so far, so no step after waking beats the steps before sleep;
    // Adam divides by almost nothing and steps about (1 - beta1) / sqrt(1 - beta2) ~ 3.2 times its usual size.
    assert.ok(after(amsgrad) <= before(amsgrad), `AMSGrad: before ${before(amsgrad)}, after ${after(amsgrad)}`);
    assert.ok(after(adam) > 2.5 * before(adam), `Adam: before ${before(adam)}, after ${after(adam)}`);
  },
  'lesson-7-noise.optim.yaml': ({ result }) => {
    const [sgd, adam, rmsprop] = result.runs as [SimulateRun, SimulateRun, SimulateRun];
    const band = (run: SimulateRun): number => mean(run.loss.slice(-1000));
    // Same lr, same seeded noise: dividing by the root of the noisy second moment shrinks the jitter.
    assert.ok(band(adam) < band(sgd) / 4, `Adam ${band(adam)} vs SGD ${band(sgd)}`);
    assert.ok(band(rmsprop) < band(sgd) / 4, `RMSprop ${band(rmsprop)} vs SGD ${band(sgd)}`);
  },
  'lesson-8-stability.optim.yaml': ({ result, diag }) => {
    const [below, above] = result.runs as [SimulateRun, SimulateRun];
    const limit = 2 / Math.max(...diag!);
    assert.ok(0.0199 < limit && limit < 0.0201);
    assert.ok(below.loss.at(-1)! < 1e-10 * below.loss[0]!, `lr below 2/lambda_max: ${below.loss.at(-1)}`);
    assert.ok(
      above.divergedAt !== undefined || above.loss.at(-1)! > 1e10 * above.loss[0]!,
      `lr above 2/lambda_max: ${above.loss.at(-1)}`,
    );
    // The steep coordinate changes side at every update in both runs; only its size decides.
    assert.equal(signChanges(below.x.slice(0, 51).map((point) => point[2]!)), 50);
    assert.equal(signChanges(above.x.slice(0, 51).map((point) => point[2]!)), 50);
  },
};

test('every lesson file in examples/ has a check here, and every check a file', () => {
  const files = readdirSync(EXAMPLES)
    .filter((name) => /^lesson-.*\.optim\.yaml$/.test(name))
    .sort();
  assert.deepEqual(files, Object.keys(LESSONS).sort());
});

for (const [file, check] of Object.entries(LESSONS)) {
  test(file, () => {
    const lesson = runLesson(file);
    assert.match(lesson.text, /^# \S/, `${file} opens with a comment saying what to look for`);
    check(lesson);
  });
}

test('the waking update of lessons 5 and 6 is among the points the panel records', () => {
  for (const file of ['lesson-5-dormant-wake.optim.yaml', 'lesson-6-amsgrad.optim.yaml']) {
    const text = readFileSync(join(EXAMPLES, file), 'utf8');
    const analysis = analyze(text, { format: 'yaml' });
    const { request } = parseSimulateSection(toPlain(analysis.model!.simulate!.node), { type: 'Adam', params: {} });
    assert.deepEqual(request!.dormant, { coordinate: 1, start: DORMANT_START, end: DORMANT_END });
    // Default recording: the step size recorded at steps[i] is that of update steps[i] - 1.
    const result = simulate({ ...request!, optimizers: request!.optimizers.slice(0, 1), surfaceResolution: 0 });
    assert.ok(result.runs[0]!.steps.includes(DORMANT_END + 1), `${file}: update ${DORMANT_END} is not recorded`);
  }
});

/**
 * What each lesson's runs do, and so what the panel must say about them (issue 11: the old banner applied GD's
 * 2/lambda_max to Adam and called normalized GD stable). The checks below read the trajectory itself, not the
 * simulator's motion summary, so a statement that contradicts the plot fails here.
 */
const STATEMENTS: Readonly<Record<string, readonly RunVerdict[]>> = {
  'lesson-1-plateau.optim.yaml': ['converged', 'descending'],
  'lesson-1-ravine.optim.yaml': ['converged', 'stable'],
  'lesson-2-adagrad-decay.optim.yaml': ['converged', 'converged'],
  'lesson-3-adam-sign-descent.optim.yaml': ['oscillating', 'oscillating'],
  'lesson-4-normalized-gd-orbit.optim.yaml': ['oscillating', 'stable'],
  'lesson-5-dormant-wake.optim.yaml': ['descending', 'stable'],
  'lesson-6-amsgrad.optim.yaml': ['descending', 'descending'],
  'lesson-7-noise.optim.yaml': ['oscillating', 'oscillating', 'oscillating'],
  'lesson-8-stability.optim.yaml': ['stable', 'unstable'],
};

function pathLength(run: SimulateRun, from: number, to: number): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += Math.hypot(...run.x[k + 1]!.map((value, j) => value - run.x[k]![j]!));
  return sum;
}

/** Share of the updates in [from, to) after which some coordinate moves the other way than in the update before. */
function reversalShare(run: SimulateRun, from: number, to: number): number {
  let reversals = 0;
  for (let k = Math.max(1, from); k < to; k++) {
    if (run.x[k]!.some((value, j) => (run.x[k + 1]![j]! - value) * (value - run.x[k - 1]![j]!) < 0)) reversals++;
  }
  return reversals / (to - Math.max(1, from));
}

/** The trajectory's own evidence for a verdict: throws when the run does not do what the statement says. */
function assertTrajectoryMatches(file: string, run: SimulateRun, verdict: RunVerdict, statement: RunStatement): void {
  const updates = run.x.length - 1;
  const tail = updates - Math.floor(updates / 4);
  const start = run.loss[0]!;
  const final = run.loss.at(-1)!;
  const where = `${file}: ${run.label} (${statement.text})`;
  switch (verdict) {
    case 'converged':
      assert.ok(final <= 1e-6 * start, `${where}: final loss ${final} against ${start}`);
      assert.ok(
        pathLength(run, updates - Math.ceil(updates / 10), updates) < 1e-3 * pathLength(run, 0, updates),
        `${where}: still moving at the end`,
      );
      break;
    case 'oscillating':
      assert.ok(final > 1e-6 * start, `${where}: it converged`);
      assert.ok(reversalShare(run, tail, updates) >= 0.25, `${where}: reversals ${reversalShare(run, tail, updates)}`);
      break;
    case 'descending':
      assert.ok(final < run.loss[tail]! && final > 1e-3 * start, `${where}: ${run.loss[tail]} -> ${final}`);
      assert.ok(reversalShare(run, tail, updates) < 0.25, `${where}: it goes back and forth`);
      break;
    case 'stable':
    case 'unstable': {
      assert.equal(statement.basis, 'bound');
      // SGD without momentum on these quadratics: the bound is gradient descent's 2/lambda_max.
      assert.equal(run.optimizer.params['momentum'] ?? 0, 0);
      assert.equal(statement.bound!.limit, 2 / statement.bound!.lambdaMax);
      const lr = run.optimizer.params['lr'] as number;
      if (verdict === 'stable')
        assert.ok(lr < statement.bound!.limit && final < start, `${where}: ${start} -> ${final}`);
      else
        assert.ok(
          lr > statement.bound!.limit && (run.divergedAt !== undefined || final > 1e10 * start),
          `${where}: ${start} -> ${final}`,
        );
      break;
    }
    default:
      assert.fail(`${where}: no trajectory check for ${verdict}`);
  }
}

for (const [file, verdicts] of Object.entries(STATEMENTS)) {
  test(`${file}: each run's stability statement says what its trajectory does`, () => {
    const { result, statements } = runLesson(file);
    assert.deepEqual(
      statements.map((statement) => statement.verdict),
      verdicts,
      statements.map((statement) => statement.text).join('\n'),
    );
    result.runs.forEach((run, index) => {
      const statement = statements[index]!;
      assert.equal(statement.label, run.label);
      // A measured statement never claims a bound, and a bound is only claimed for plain GD / SGD here.
      assert.equal(statement.basis === 'bound', statement.bound !== undefined);
      if (statement.basis === 'bound') assert.match(run.optimizer.type, /^(GD|SGD)$/);
      assertTrajectoryMatches(file, run, verdicts[index]!, statement);
    });
  });
}

test('every lesson file has its expected statements', () => {
  assert.deepEqual(Object.keys(STATEMENTS).sort(), Object.keys(LESSONS).sort());
});
