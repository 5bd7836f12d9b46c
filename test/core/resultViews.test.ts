// "Config to job, result to view" has one home: the simulation view and the schedule data come from
// core/features, and the CLI prints the same view the panel gets (with the product's labels).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/core/analysis';
import { runSimulation, simulationRequest, toSimulationView } from '../../server/src/core/features/simulation';
import {
  scheduleForQuery,
  scheduleSeriesJson,
  scheduleView,
  toScheduleData,
} from '../../server/src/core/features/scheduleView';
import { scheduleMarkers } from '../../server/src/core/plot/scheduleSpec';
import { formatStepCount } from '../../server/src/core/util/numberFormat';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from '../cli/fakeIo';

const cli = (files: Record<string, string>) => fakeIo(files);

const analysisOf = (text: string) => analyze(text, { format: 'yaml', dialect: 'auto', fileName: 'a.optim.yaml' });

describe('simulation view', () => {
  const SWEEP =
    'optimizer: {type: Adam, lr: 0.01}\nsimulate:\n  function: rosenbrock\n  steps: 40\n  grid: {lr: [0.001, 0.01, 3.0], beta1: [0.5, 0.9]}\n';

  test('the heatmap carries the metric as the file names it, and a diverged run says at which step', () => {
    const { request } = simulationRequest(analysisOf(SWEEP).model!);
    const view = toSimulationView('file:///a.optim.yaml', runSimulation(request!), 0.5);
    assert.deepEqual(
      { ...view.heatmap!, values: [] },
      { xLabel: 'lr', yLabel: 'beta1', xs: [0.001, 0.01, 3], ys: [0.5, 0.9], values: [], metric: 'final_loss' },
    );
    assert.equal(view.stability, undefined, 'a sweep has no per-run statements');
    const diverging = analysisOf(
      'optimizer: {type: SGD, lr: 0.5}\nsimulate: {function: quadratic_ill, steps: 200}\n',
    ).model!;
    const runs = toSimulationView('file:///b.optim.yaml', runSimulation(simulationRequest(diverging).request!), 0).runs;
    assert.match(runs[0]!.stoppedEarly ?? '', /^diverged at step \d+$/);
  });

  test("optlens simulate --json prints the panel's view, plus each run's optimizer", async () => {
    const io = cli({ 's.optim.yaml': SWEEP });
    assert.equal(await run(['simulate', 's.optim.yaml', '--json'], io), 0);
    const printed = JSON.parse(io.out) as Record<string, unknown> & {
      heatmap: { metric: string };
      backend: string;
      functionLabel: string;
    };
    const { request } = simulationRequest(analysisOf(SWEEP).model!);
    const view = JSON.parse(JSON.stringify(toSimulationView('s.optim.yaml', runSimulation(request!), 0))) as Record<
      string,
      unknown
    >;
    assert.deepEqual({ ...printed, seconds: 0 }, { ...view, seconds: 0 });
    assert.equal(printed.heatmap.metric, 'final_loss');
    const paths =
      'optimizer: {type: Adam, lr: 0.05}\nsimulate:\n  function: rosenbrock\n  steps: 30\n  compare:\n    - {type: SGD, lr: 0.0002}\n';
    const pathsIo = cli({ 'p.optim.yaml': paths });
    assert.equal(await run(['simulate', 'p.optim.yaml', '--json'], pathsIo), 0);
    const printedRuns = (JSON.parse(pathsIo.out) as { runs: { optimizer: { type: string } }[] }).runs;
    const viewRuns = JSON.parse(
      JSON.stringify(
        toSimulationView('p.optim.yaml', runSimulation(simulationRequest(analysisOf(paths).model!).request!), 0).runs,
      ),
    ) as unknown[];
    assert.deepEqual(
      printedRuns.map((printedRun) => printedRun.optimizer.type),
      ['Adam', 'SGD'],
    );
    assert.deepEqual(
      printedRuns.map(({ optimizer: _optimizer, ...rest }) => rest),
      viewRuns,
    );
  });
});

describe('schedule data', () => {
  const ONE_CYCLE =
    'optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\nscheduler: {type: OneCycleLR, max_lr: 1.0, total_steps: 10}\ntraining: {steps: 10}\n';

  test("the panel's data and the CLI's --json come from the same view", async () => {
    const analysis = analysisOf(ONE_CYCLE);
    const { facts, metrics } = scheduleForQuery(analysis, {});
    assert.equal(facts, analysis.schedule, "the analysis's own evaluation is reused");
    const data = toScheduleData(analysis.model!, facts, {
      uri: 'file:///o.optim.yaml',
      version: 3,
      ...(metrics ? { metrics } : {}),
    })!;
    assert.equal(data.lr.length, 10);
    assert.equal(data.momentum?.length, 10);
    assert.equal(data.totalSteps, 10);
    const io = cli({ 'o.optim.yaml': ONE_CYCLE });
    assert.equal(await run(['schedule', 'o.optim.yaml', '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.out), JSON.parse(JSON.stringify(scheduleSeriesJson(data))));
  });

  test("notes join the errors for the panel, not for the CLI's plots; metrics are echoed and measured against the run", () => {
    const plateau = analysisOf(
      'optimizer: {type: SGD, lr: 0.1}\nscheduler: {type: ReduceLROnPlateau, patience: 0, factor: 0.5}\ntraining: {steps: 6}\n',
    );
    const { facts, metrics } = scheduleForQuery(plateau, { metrics: [1, 1, 1] });
    const panel = toScheduleData(plateau.model!, facts, { uri: 'u', version: 1, ...(metrics ? { metrics } : {}) })!;
    assert.deepEqual(panel.lr, [0.1, 0.1, 0.05, 0.025]);
    assert.deepEqual(panel.metrics, [1, 1, 1]);
    assert.equal(panel.needsMetrics, true);
    assert.deepEqual(panel.errors, ['Drawn for the 3 metric values given (4 steps); the run is 6 steps.']);
    assert.deepEqual(toScheduleData(plateau.model!, facts, { uri: 'u', version: 1, withNotes: false })!.errors, []);
  });

  test('the view carries the run end, labelled by the core once, and drawing it again adds nothing (issue 14)', () => {
    const analysis = analysisOf(
      'optimizer: {type: AdamW, lr: 3.0e-4}\nscheduler: {type: LinearLR, start_factor: 0.1, total_iters: 2000}\ntraining: {steps: 12500}\n',
    );
    const data = scheduleView(analysis, {}, { uri: 'u', version: 1 }).data!;
    assert.deepEqual(data.markers.at(-1), { step: 12500, label: 'run end 12.5K', kind: 'run-end' });
    assert.deepEqual(scheduleMarkers(data), data.markers, 'the plots add no second run end');
    assert.equal(formatStepCount(1000), '1,000');
    assert.equal(formatStepCount(12_500), '12.5K');
    assert.deepEqual(
      scheduleMarkers({ markers: [{ step: 10, label: 'num_training_steps reached', kind: 'end' }], totalSteps: 10 }),
      [{ step: 10, label: 'num_training_steps reached', kind: 'end' }],
      'a schedule that ends where the run ends is not marked twice',
    );
  });

  test('no scheduler is null; an unknown one is an empty curve with one error', () => {
    const none = analysisOf('optimizer: {type: SGD, lr: 0.1}\n');
    assert.equal(toScheduleData(none.model!, undefined, { uri: 'u', version: 1 }), null);
    const unknown = analysisOf('optimizer: {type: SGD, lr: 0.1}\nscheduler: {type: WarpLR}\n');
    assert.deepEqual(toScheduleData(unknown.model!, scheduleForQuery(unknown, {}).facts, { uri: 'u', version: 1 }), {
      uri: 'u',
      version: 1,
      title: 'WarpLR',
      lr: [],
      markers: [],
      errors: ['Unknown scheduler `WarpLR`.'],
    });
  });
});
