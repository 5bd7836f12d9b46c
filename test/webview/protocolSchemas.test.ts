// The webview boundary's schemas (webview/src/protocol.ts) against real views: the recorded range-test and
// simulation results pass, JSON's nulls pass where a value may be non-finite, and malformed messages do not.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  isLandscapeHostMessage,
  isLandscapeWebviewMessage,
  isLandscapeWebviewState,
  isRangeTestHostMessage,
  isRangeTestSnapshot,
  isRangeTestWebviewMessage,
  isRangeTestWebviewState,
  isSimulationSnapshot,
  type RangeTestSnapshot,
  type SimulationSnapshot,
} from '../../webview/src/protocol';
import { exportMessage } from './messageFixtures';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/webview');

function fixturesNamed(prefix: string): { name: string; value: unknown }[] {
  const names = readdirSync(fixtures).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  assert.ok(names.length > 0, `no ${prefix} fixtures in ${fixtures}`);
  return names.map((name) => ({ name, value: JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as unknown }));
}

const rangeTests = fixturesNamed('rangeTest.');
const simulations = fixturesNamed('landscape.');
const firstRangeTest = rangeTests[0]!.value as RangeTestSnapshot;
const firstSimulation = simulations.find((fixture) =>
  (fixture.value as SimulationSnapshot).runs.some((run) => run.stepSize),
)?.value as SimulationSnapshot;

describe('range-test schemas', () => {
  it('accept every recorded result, alone, in a snapshot message and in the saved state', () => {
    for (const { name, value } of rangeTests) {
      assert.ok(isRangeTestSnapshot(value), name);
      assert.ok(isRangeTestHostMessage({ type: 'snapshot', snapshot: { view: value, applied: null } }), name);
      assert.ok(isRangeTestWebviewState({ stateVersion: 1, snapshot: { view: value, applied: null } }), name);
    }
  });

  it('accept a diverged loss as JSON delivers it (null) and a running test', () => {
    const transported = JSON.parse(
      JSON.stringify({ ...firstRangeTest, losses: [1, Number.NaN, Infinity], smoothed: [1, 2, Number.NaN] }),
    ) as unknown;
    assert.ok(isRangeTestSnapshot(transported));
    assert.ok(isRangeTestSnapshot({ ...firstRangeTest, running: { total: 100 } }));
  });

  it('reject a view with a field missing or of the wrong kind', () => {
    const { fileName: _fileName, ...withoutFileName } = firstRangeTest;
    assert.equal(isRangeTestSnapshot(withoutFileName), false, 'fileName is required');
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, stopped: 'exploded' }), false);
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, measuredOn: 'guess' }), false);
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, lrs: [1, null] }), false, 'learning rates are never null');
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, suggestions: { steepest: null, valley: null } }), false);
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, runtime: { python: '3.11' } }), false);
    assert.equal(isRangeTestSnapshot({ ...firstRangeTest, running: { total: '100' } }), false);
    assert.equal(
      isRangeTestHostMessage({ type: 'applied', applied: { lr: 1e-3, target: 'momentum', ok: true, message: '' } }),
      false,
    );
  });

  it('accept an apply of a positive finite lr only', () => {
    assert.ok(isRangeTestWebviewMessage({ type: 'apply', lr: 1e-3, target: 'max_lr' }));
    for (const lr of [0, -1e-3, Number.NaN, Infinity, '1e-3'])
      assert.equal(isRangeTestWebviewMessage({ type: 'apply', lr, target: 'lr' }), false, String(lr));
    assert.equal(
      isRangeTestWebviewMessage({ type: 'snapshot', snapshot: { view: null, applied: null } }),
      false,
      'a host message is not a webview message',
    );
  });
});

describe('landscape schemas', () => {
  it('accept every recorded simulation, alone, in a snapshot message and in the saved state', () => {
    for (const { name, value } of simulations) {
      assert.ok(isSimulationSnapshot(value), name);
      assert.ok(isLandscapeHostMessage({ type: 'snapshot', snapshot: { view: value } }), name);
      assert.ok(isLandscapeWebviewState({ stateVersion: 1, snapshot: { view: value }, step: 3 }), name);
    }
  });

  it('reject a malformed run, statement or heatmap', () => {
    const run = firstSimulation.runs[0]!;
    assert.equal(isSimulationSnapshot({ ...firstSimulation, runs: [{ ...run, stepSize: [['0.1']] }] }), false);
    assert.equal(
      isSimulationSnapshot({ ...firstSimulation, runs: [{ ...run, x: [[0, null]] }] }),
      false,
      'positions are never null',
    );
    assert.equal(
      isSimulationSnapshot({
        ...firstSimulation,
        stability: [{ run: run.label, basis: 'measured', verdict: 'fine', text: '' }],
      }),
      false,
    );
    assert.equal(
      isSimulationSnapshot({
        ...firstSimulation,
        heatmap: { xLabel: 'lr', yLabel: 'momentum', xs: [1], ys: [1], values: [1] },
      }),
      false,
      'metric is required',
    );
    assert.equal(isLandscapeWebviewState({ stateVersion: 2, snapshot: { view: null }, step: 0 }), false);
  });

  it('accept the two messages the webview sends and nothing else', () => {
    assert.ok(isLandscapeWebviewMessage({ type: 'ready' }));
    assert.ok(isLandscapeWebviewMessage(exportMessage('svg')));
    assert.equal(isLandscapeWebviewMessage({ type: 'apply', lr: 1, target: 'lr' }), false);
    assert.equal(
      isLandscapeWebviewMessage({ type: 'export', format: 'svg', suggestedName: 'a.svg', encoding: 'utf8' }),
      false,
    );
  });
});
