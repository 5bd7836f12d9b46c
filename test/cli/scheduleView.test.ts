// `optlens schedule` shows the core's schedule view (`scheduleView`, which the LSP handler answers the panel with):
// the same series, plot and notes for the same file and metrics, never a series the CLI computes on its own (issue 14).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/analysis';
import { scheduleSeriesJson, scheduleView } from '../../server/src/core/features/scheduleView';
import { scheduleSvg } from '../../server/src/core/plot/svg';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from './fakeIo';

const analysisOf = (text: string) => analyze(text, { format: 'yaml', dialect: 'auto', fileName: 'p.optim.yaml' });

/** ReduceLROnPlateau in a six-step run, so three metrics draw fewer steps than the run. */
const PLATEAU =
  'optimizer: {type: SGD, lr: 0.1}\nscheduler: {type: ReduceLROnPlateau, patience: 0, factor: 0.5}\ntraining: {steps: 6}\n';

describe('optlens schedule --metrics is the panel view', () => {
  for (const [name, metrics, extra] of [
    ['fewer metrics than the run', '1,1,1', []],
    ['as many metrics as the run', '1,1,1,0.5,0.5', []],
    ['more metrics than the run', '1,1,1,0.5,0.5,0.5,0.5,0.5', []],
    ['metrics and --steps', '1,1,1,0.5', ['--steps', '3']],
  ] as const) {
    test(name, async () => {
      const values = metrics.split(',').map(Number);
      const steps = extra.length > 0 ? Number(extra[1]) : undefined;
      const query = { metrics: values, ...(steps !== undefined ? { steps } : {}) };
      const cliView = scheduleView(analysisOf(PLATEAU), query, { uri: 'p.optim.yaml', version: 0, withNotes: false });
      const panelView = scheduleView(analysisOf(PLATEAU), query, { uri: 'file:///w/p.optim.yaml', version: 4 });
      assert.ok(cliView.data && panelView.data && cliView.facts);

      const json = fakeIo({ 'p.optim.yaml': PLATEAU });
      assert.equal(await run(['schedule', 'p.optim.yaml', '--json', '--metrics', metrics, ...extra], json), 0);
      assert.deepEqual(JSON.parse(json.out), JSON.parse(JSON.stringify(scheduleSeriesJson(panelView.data))));
      // What stderr says is the view's issues and notes, not the engine's complaints about a length it chose itself.
      assert.equal(
        json.err,
        [
          ...cliView.facts.located.map((issue) => `optlens: ${issue.severity}: ${issue.message}\n`),
          ...cliView.notes.map((note) => `optlens: note: ${note}\n`),
        ].join(''),
      );
      assert.doesNotMatch(json.err, /needs one metric per step/);
      // The panel shows the same notes, with the errors.
      assert.deepEqual(panelView.data.errors, [...cliView.notes]);

      const plot = fakeIo({ 'p.optim.yaml': PLATEAU });
      assert.equal(await run(['schedule', 'p.optim.yaml', '--out', 'p.svg', '--metrics', metrics, ...extra], plot), 0);
      assert.equal(plot.written['p.svg'], scheduleSvg(cliView.data, { logY: false }));
      // Apart from where it goes and the notes the CLI prints on stderr, it is the panel's data.
      const { uri: _u, version: _v, errors: _e, ...cliData } = cliView.data;
      const { uri: _pu, version: _pv, errors: _pe, ...panelData } = panelView.data;
      assert.deepEqual(cliData, panelData);
      assert.match(plot.out, new RegExp(`ReduceLROnPlateau, ${cliView.data.lr.length} steps`));
    });
  }

  test('fewer metrics than the run: drawn as far as they go, with the note the panel shows', () => {
    const view = scheduleView(analysisOf(PLATEAU), { metrics: [1, 1, 1] }, { uri: 'u', version: 1 });
    assert.deepEqual(view.data?.lr, [0.1, 0.1, 0.05, 0.025]);
    assert.deepEqual(view.notes, ['Drawn for the 3 metric values given (4 steps); the run is 6 steps.']);
    assert.deepEqual(view.facts?.located, []);
  });
});
