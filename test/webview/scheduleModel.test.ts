// Node tests of the webview's pure parts: min/max decimation, number formatting, CSV, SVG and the message guards.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isHostToWebviewMessage, isScheduleWebviewState, isWebviewToHostMessage } from '../../webview/src/protocol';
import { decimateMinMax } from '../../webview/src/schedule/decimate';
import { formatValue, linearTicks, logTicks } from '../../webview/src/common/format';
import { formatNumber } from '../../server/src/core/util/numberFormat';
import { layoutMarkerLabels } from '../../webview/src/schedule/markerLayout';
import { parseMetricList } from '../../webview/src/protocol';
import { exportBaseName, plottedSeriesOf, scheduleCsv } from '../../webview/src/schedule/seriesModel';
import { oneCycleSchedule, warmupCosineSchedule } from './scheduleFixtures';
import { exportMessage } from './messageFixtures';

describe('decimateMinMax', () => {
  it('keeps every sample when there are few per pixel', () => {
    const result = decimateMinMax([[5, 4, 3, 2, 1]], { fromStep: 0, toStep: 4, buckets: 100 });
    assert.deepEqual(result, { steps: [0, 1, 2, 3, 4], columns: [[5, 4, 3, 2, 1]] });
  });

  it('keeps the minimum and maximum of every column in every pixel, as exact samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 50, maxLength: 600 }),
        fc.integer({ min: 1, max: 12 }),
        (values, buckets) => {
          const momentum = values.map((value) => -value / 2);
          const { steps, columns } = decimateMinMax([values, momentum], {
            fromStep: 0,
            toStep: values.length - 1,
            buckets,
          });
          assert.ok(
            steps.every((step, index) => index === 0 || step > steps[index - 1]!),
            'steps increase',
          );
          steps.forEach((step, index) => {
            assert.equal(columns[0]![index], values[step]);
            assert.equal(columns[1]![index], momentum[step]);
          });
          if (values.length > buckets * 4) {
            for (let bucket = 0; bucket < buckets; bucket++) {
              const first = Math.floor((bucket * values.length) / buckets);
              const last = Math.floor(((bucket + 1) * values.length) / buckets) - 1;
              const slice = values.slice(first, last + 1);
              const kept = steps.filter((step) => step >= first && step <= last).map((step) => values[step]!);
              assert.equal(Math.min(...kept), Math.min(...slice));
              assert.equal(Math.max(...kept), Math.max(...slice));
              assert.ok(kept.length <= 6, 'first, last and the extremes of two columns at most');
            }
          }
        },
      ),
    );
  });

  it('covers a zoomed window with its neighbours and the whole range ends', () => {
    const values = Array.from({ length: 1000 }, (_, step) => step);
    const { steps } = decimateMinMax([values], { fromStep: 400.3, toStep: 420.7, buckets: 50 });
    assert.deepEqual(steps, [0, 399, ...Array.from({ length: 22 }, (_, index) => 400 + index), 422, 999]);
  });

  it('pads shorter columns with null and drops non-finite samples', () => {
    const { columns } = decimateMinMax(
      [
        [1, NaN, 3, Infinity],
        [7, 8],
      ],
      { fromStep: 0, toStep: 3, buckets: 10 },
    );
    assert.deepEqual(columns, [
      [1, null, 3, null],
      [7, 8, null, null],
    ]);
  });

  it('returns nothing for no data and survives nonsense windows', () => {
    assert.deepEqual(decimateMinMax([[]], { fromStep: 0, toStep: 10, buckets: 10 }), { steps: [], columns: [[]] });
    const result = decimateMinMax([[1, 2, 3]], { fromStep: Number.NaN, toStep: -Infinity, buckets: Number.NaN });
    assert.deepEqual(
      result.steps,
      [0, 1, 2].filter((step) => result.steps.includes(step)),
    );
    assert.ok(result.steps.includes(0) && result.steps.includes(2));
  });
});

describe('formatting', () => {
  it('writes learning rates short and exact enough', () => {
    const cases: [number | null, string][] = [
      [3e-4, '3e-4'],
      [0.00012346, '1.235e-4'],
      [0.9, '0.9'],
      [0.95, '0.95'],
      [1, '1'],
      [0, '0'],
      // The one format of the product (server/src/core/util/numberFormat.ts): plain below 1e6.
      [123456, '123500'],
      [2.5e6, '2.5e6'],
      [null, '—'],
      [Infinity, '∞'],
    ];
    for (const [value, expected] of cases) assert.equal(formatValue(value), expected, String(value));
    // The readout, the markers and the code lens agree because they call the same function.
    for (const value of [3e-4, 0.00012346, 0.9, 1234.5678, 2.5e6, -1e-5])
      assert.equal(formatValue(value), formatNumber(value));
  });

  it('picks round ticks', () => {
    assert.deepEqual(linearTicks(0, 1e-3, 5), [0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3]);
    assert.deepEqual(logTicks(3e-6, 2e-3), [1e-5, 1e-4, 1e-3]);
    assert.deepEqual(logTicks(0, 1), []);
  });
});

describe('series and CSV', () => {
  it('lists the current series then the pinned ones', () => {
    const labels = plottedSeriesOf(oneCycleSchedule(10), warmupCosineSchedule(10, 2)).map(
      (series) => `${series.label}@${series.axis}`,
    );
    assert.deepEqual(labels, [
      'lr@lr',
      'momentum@momentum',
      'lr (pinned: llm-pretrain.optim.yaml)@lr',
      'β1 (pinned: llm-pretrain.optim.yaml)@momentum',
    ]);
  });

  it('writes step,lr,momentum and step,lr,beta1,beta2 rows at full precision', () => {
    const oneCycle = oneCycleSchedule(4);
    assert.equal(
      scheduleCsv(oneCycle),
      ['step,lr,momentum', ...oneCycle.lr.map((lr, step) => `${step},${lr},${oneCycle.momentum![step]}`)].join('\n') +
        '\n',
    );
    assert.equal(scheduleCsv(warmupCosineSchedule(3, 1, 0.1, 0.01)).split('\n')[1], '0,0.1,0.9,0.95');
  });

  it('names exports after the document', () => {
    assert.equal(exportBaseName(oneCycleSchedule(2)), 'resnet-onecycle.optim.schedule');
    assert.equal(
      exportBaseName({ ...oneCycleSchedule(2), uri: 'untitled:Untitled-1' }),
      'untitled-Untitled-1.schedule',
    );
  });
});

describe('marker label layout', () => {
  const bounds = { left: 0, right: 300 };
  /** Lays out labels of `markers` inside `bounds`, 3 px apart, and compares where they go with `expected`. */
  const check = (markers: { anchor: number; width: number }[], expected: { x: number; row: number }[]): void =>
    assert.deepEqual(layoutMarkerLabels(markers, bounds, 3), expected);
  it('keeps labels inside the bounds at both ends', () => {
    // The last label would start right of its line, past the edge: it is moved in, to end at the edge.
    check(
      [
        { anchor: 0, width: 80 },
        { anchor: 300, width: 80 },
      ],
      [
        { x: 3, row: 0 },
        { x: 220, row: 0 },
      ],
    );
  });
  it('puts labels of close markers on further rows instead of over each other', () => {
    // Each fits on neither side of its line in the rows above it (3 px apart), so each opens a row.
    check(
      [
        { anchor: 100, width: 60 },
        { anchor: 104, width: 60 },
        { anchor: 108, width: 60 },
      ],
      [
        { x: 103, row: 0 },
        { x: 107, row: 1 },
        { x: 111, row: 2 },
      ],
    );
    // A label that does not fit right of its line goes left of it, in the same row when that is free.
    check(
      [
        { anchor: 100, width: 60 },
        { anchor: 103, width: 40 },
      ],
      [
        { x: 103, row: 0 },
        { x: 60, row: 0 },
      ],
    );
  });
  it('never overlaps, never leaves the bounds, never drops a label (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ anchor: fc.integer({ min: 0, max: 300 }), width: fc.integer({ min: 1, max: 200 }) }), {
          maxLength: 30,
        }),
        (labels) => {
          const sorted = [...labels].sort((first, second) => first.anchor - second.anchor);
          const placed = layoutMarkerLabels(sorted, bounds, 3);
          assert.equal(placed.length, sorted.length);
          placed.forEach((box, index) => {
            assert.ok(box.x >= 0 && box.x + sorted[index]!.width <= 300 + 1e-9);
            for (let other = 0; other < index; other++) {
              if (placed[other]!.row !== box.row) continue;
              const apart =
                box.x >= placed[other]!.x + sorted[other]!.width || box.x + sorted[index]!.width <= placed[other]!.x;
              assert.ok(apart, JSON.stringify({ sorted, placed }));
            }
          });
        },
      ),
    );
  });
});

describe('metric list', () => {
  it('reads commas, spaces and new lines, and names the first item that is not a number', () => {
    assert.deepEqual(parseMetricList('1.0, 0.9, 0.9,0.9\n0.8'), { values: [1, 0.9, 0.9, 0.9, 0.8] });
    assert.deepEqual(parseMetricList('  '), { values: [] });
    assert.deepEqual(parseMetricList('1, NaN'), { error: "Item 2 ('NaN') is not a number." });
    assert.deepEqual(parseMetricList('1e-3; 2'), { values: [1e-3, 2] });
  });
  it('the setMetrics message carries finite numbers only', () => {
    assert.ok(isWebviewToHostMessage({ type: 'setMetrics', metrics: [1, 0.5] }));
    assert.ok(!isWebviewToHostMessage({ type: 'setMetrics', metrics: [1, Infinity] }));
    assert.ok(!isWebviewToHostMessage({ type: 'setMetrics', metrics: '1,2' }));
  });
});

describe('message guards', () => {
  const schedule = warmupCosineSchedule(5, 1);

  it('accepts every well-formed message', () => {
    assert.ok(isHostToWebviewMessage({ type: 'setSchedule', schedule }));
    assert.ok(isHostToWebviewMessage({ type: 'snapshot', snapshot: { schedule, pinned: null, error: null } }));
    assert.ok(isHostToWebviewMessage({ type: 'setError', message: 'bad' }));
    assert.ok(isHostToWebviewMessage({ type: 'pinned', pinned: null }));
    assert.ok(isHostToWebviewMessage({ type: 'exported', format: 'svg', savedTo: null }));
    assert.ok(isWebviewToHostMessage({ type: 'ready' }));
    assert.ok(isWebviewToHostMessage(exportMessage('png')));
    assert.ok(isScheduleWebviewState({ stateVersion: 1, uri: null, logScale: false, view: null, snapshot: null }));
  });

  it('rejects malformed messages', () => {
    assert.equal(isHostToWebviewMessage({ type: 'setSchedule', schedule: { ...schedule, lr: ['1'] } }), false);
    assert.equal(isHostToWebviewMessage({ type: 'setSchedule', schedule: { ...schedule, betas: [[0.9]] } }), false);
    assert.equal(isHostToWebviewMessage({ type: 'pinned' }), false);
    assert.equal(isHostToWebviewMessage({ type: 'exported', format: 'gif', savedTo: null }), false);
    assert.equal(isHostToWebviewMessage(null), false);
    assert.equal(
      isWebviewToHostMessage({ type: 'export', format: 'png', suggestedName: 'a.png', encoding: 'hex', content: '' }),
      false,
    );
    assert.equal(
      isWebviewToHostMessage({ type: 'setSchedule', schedule }),
      false,
      'a host message is not a webview message',
    );
    assert.equal(
      isScheduleWebviewState({ stateVersion: 2, uri: null, logScale: false, view: null, snapshot: null }),
      false,
    );
  });
});
