// Node tests of the landscape view's pure seams: the map scene (window, frame, contours, paths, markers, ticks), the
// heatmap scene, the map's SVG writer, and the live axes' core ticks. No DOM.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SimulationView } from '../../server/src/protocol';
import { formatTick, linearTicks, logScale } from '../../server/src/core/plot/ticks';
import { linePlotScene } from '../../server/src/core/plot/linePlot';
import { lineChartSpec } from '../../webview/src/common/lineChartSvg';
import { liveAxis, positionTicks, tickLabels, valueScale } from '../../webview/src/common/liveAxis';
import { tickTarget } from '../../server/src/core/plot/ticks';
import type uPlot from 'uplot';
import type { PlotTheme } from '../../webview/src/common/theme';
import {
  currentPoints,
  fitMapFrame,
  heatmapScene,
  mapBounds,
  mapContours,
  mapMargin,
  mapScene,
  toPlot,
} from '../../webview/src/landscape/landscapeScene';
import { mapSvgElements } from '../../webview/src/landscape/landscapeSvg';
import { repositoryRoot } from './webviewHarness';

function fixture(name: string): SimulationView {
  return JSON.parse(readFileSync(join(repositoryRoot, 'test', 'fixtures', 'webview', name), 'utf8')) as SimulationView;
}

const quadratic = fixture('landscape.quadratic.json');
const rosenbrock = fixture('landscape.rosenbrock.json');
const sweep = fixture('landscape.sweep.json');

/** A map view with no grid: two short runs and a minimum, one run with a non-finite point. */
const gridless: SimulationView = {
  uri: 'file:///tmp/paths.optim.yaml',
  functionLabel: 'paths',
  dim: 2,
  minima: [[0, 0]],
  runs: [
    {
      label: 'A',
      x: [
        [-1, 1],
        [Number.NaN, 0],
        [0, 0.5],
        [0, 0],
      ],
      loss: [2, 1, 0.5, 0],
    },
    { label: 'B', x: [[1, -1]], loss: [2] },
  ] as unknown as SimulationView['runs'],
  notes: [],
  backend: 'cpu',
  seconds: 0.01,
};

describe('landscape map scene', () => {
  it('takes the window from the grid, and keeps equal scales on both axes in the frame', () => {
    const bounds = mapBounds(quadratic);
    assert.deepEqual(bounds, { xMin: -2, xMax: 2, yMin: -1.5, yMax: 1.5 });
    const frame = fitMapFrame(bounds, 600, 600, mapMargin);
    assert.equal(frame.left, mapMargin.left);
    assert.equal(frame.top, mapMargin.top);
    assert.equal(frame.width, 600 - mapMargin.left - mapMargin.right);
    assert.ok(Math.abs(frame.height / frame.width - 0.75) < 1e-12, `aspect ${frame.height / frame.width}`);
    // A window ten times wider than tall is not kept to scale: the frame takes the whole room.
    const wide = fitMapFrame({ xMin: 0, xMax: 10, yMin: 0, yMax: 1 }, 400, 300, mapMargin);
    assert.equal(wide.height, 300 - mapMargin.top - mapMargin.bottom);
  });

  it('without a grid, the window is the paths and minima with a 10 % margin, skipping non-finite points', () => {
    const bounds = mapBounds(gridless);
    assert.ok(Math.abs(bounds.xMin - -1.2) < 1e-12 && Math.abs(bounds.xMax - 1.2) < 1e-12, JSON.stringify(bounds));
    assert.ok(Math.abs(bounds.yMin - -1.2) < 1e-12 && Math.abs(bounds.yMax - 1.2) < 1e-12, JSON.stringify(bounds));
  });

  it('places points in plot coordinates with y upwards, and refuses non-finite ones', () => {
    const bounds = { xMin: 0, xMax: 10, yMin: 0, yMax: 5 };
    const frame = { left: 10, top: 20, width: 100, height: 50 };
    assert.deepEqual(toPlot(bounds, frame, [0, 0]), { x: 10, y: 70 });
    assert.deepEqual(toPlot(bounds, frame, [10, 5]), { x: 110, y: 20 });
    assert.deepEqual(toPlot(bounds, frame, [5, 2.5]), { x: 60, y: 45 });
    assert.equal(toPlot(bounds, frame, [Number.NaN, 1]), null);
    assert.equal(toPlot(bounds, frame, [1]), null);
  });

  it('has contour segments inside the frame, one list per level, and shading for every grid sample', () => {
    const bounds = mapBounds(rosenbrock);
    const frame = fitMapFrame(bounds, 500, 420, mapMargin);
    const contours = mapContours(rosenbrock);
    const scene = mapScene(rosenbrock, contours, bounds, frame);
    assert.equal(scene.logarithmicLevels, true);
    assert.equal(scene.contours.length, contours.scale!.levels.length);
    assert.deepEqual(
      scene.contours.map((contour) => contour.level),
      contours.scale!.levels,
    );
    const total = scene.contours.reduce((sum, contour) => sum + contour.segments.length / 4, 0);
    assert.equal(
      total,
      contours.segments.reduce((sum, segments) => sum + segments.length / 4, 0),
      'every data segment is placed',
    );
    for (const { segments } of scene.contours) {
      for (let index = 0; index < segments.length; index += 2) {
        assert.ok(segments[index]! >= frame.left - 1e-9 && segments[index]! <= frame.left + frame.width + 1e-9);
        assert.ok(segments[index + 1]! >= frame.top - 1e-9 && segments[index + 1]! <= frame.top + frame.height + 1e-9);
      }
    }
    const shading = scene.shading!;
    assert.equal(shading.columns * shading.rows, rosenbrock.grid!.values.length);
    // The lowest sample is shaded the strongest.
    const values = rosenbrock.grid!.values.map((value) => value ?? Infinity);
    const lowest = values.indexOf(Math.min(...values));
    const strongest = Math.max(...shading.fractions.map((fraction) => fraction ?? -1));
    assert.equal(shading.fractions[lowest], strongest);
  });

  it('gives each run its path with breaks, a start, and an end only when it moved', () => {
    const bounds = mapBounds(gridless);
    const frame = fitMapFrame(bounds, 300, 300, mapMargin);
    const scene = mapScene(gridless, mapContours(gridless), bounds, frame);
    assert.equal(scene.shading, null);
    assert.deepEqual(scene.contours, []);
    const [a, b] = scene.runs;
    assert.equal(a!.points.length, 4);
    assert.equal(a!.points[1], null, 'the non-finite point breaks the path');
    assert.deepEqual(a!.start, toPlot(bounds, frame, [-1, 1]));
    assert.deepEqual(a!.end, toPlot(bounds, frame, [0, 0]));
    assert.deepEqual(b!.start, toPlot(bounds, frame, [1, -1]));
    assert.equal(b!.end, null, 'a run that never moved has no end mark');
    assert.deepEqual(scene.minima, [toPlot(bounds, frame, [0, 0])]);
    // The scrubber's current points: clamped to each run's length.
    assert.deepEqual(currentPoints(gridless, bounds, frame, 2), [
      toPlot(bounds, frame, [0, 0.5]),
      toPlot(bounds, frame, [1, -1]),
    ]);
  });

  it('labels its axes with the core ticks and labels, one tick about every 80 px across and 60 px up', () => {
    const bounds = mapBounds(quadratic);
    const frame = fitMapFrame(bounds, 500, 400, mapMargin);
    const scene = mapScene(quadratic, mapContours(quadratic), bounds, frame);
    const xTicks = linearTicks(-2, 2, Math.max(2, Math.floor(frame.width / 80)));
    assert.deepEqual(
      scene.xTicks.map((tick) => tick.value),
      xTicks,
    );
    assert.deepEqual(
      scene.xTicks.map((tick) => tick.label),
      xTicks.map((tick) => formatTick(tick)),
    );
    assert.deepEqual(
      scene.yTicks.map((tick) => tick.value),
      linearTicks(-1.5, 1.5, Math.max(2, Math.floor(frame.height / 60))),
    );
    // The tick at 0 is in the middle of the frame.
    const zero = scene.xTicks.find((tick) => tick.value === 0)!;
    assert.ok(Math.abs(zero.position - (frame.left + frame.width / 2)) < 1e-9);
    const yZero = scene.yTicks.find((tick) => tick.value === 0)!;
    assert.ok(Math.abs(yZero.position - (frame.top + frame.height / 2)) < 1e-9);
  });
});

describe('landscape map SVG', () => {
  it("writes one titled path per non-empty contour level and per run, start and end marks, and the scene's tick labels", () => {
    const bounds = mapBounds(quadratic);
    const frame = fitMapFrame(bounds, 720, 478, { left: 140, right: 140, top: 38, bottom: 0 });
    const scene = mapScene(quadratic, mapContours(quadratic), bounds, frame);
    const { elements, bottom } = mapSvgElements(scene, {
      foreground: '#111111',
      background: '#ffffff',
      contour: '#0000ff',
      frame: '#cccccc',
      runColors: ['#ff0000', '#00ff00'],
    });
    const svg = elements.join('\n');
    const levels = scene.contours.filter((contour) => contour.segments.length > 0).length;
    assert.equal((svg.match(/<title>f = /g) ?? []).length, levels);
    assert.ok(svg.includes('<title>SGD lr=0.0205</title>') && svg.includes('<title>Adam lr=0.0205</title>'));
    assert.equal((svg.match(/<circle /g) ?? []).length, 2, 'one start mark per run');
    const xLabels = [...svg.matchAll(/class="map-x-tick">([^<]*)</g)].map((match) => match[1]);
    assert.deepEqual(
      xLabels,
      scene.xTicks.map((tick) => tick.label),
    );
    const yLabels = [...svg.matchAll(/class="map-y-tick">([^<]*)</g)].map((match) => match[1]);
    assert.deepEqual(
      yLabels,
      scene.yTicks.map((tick) => tick.label),
    );
    assert.equal(bottom, frame.top + frame.height + 44);
    assert.ok(!svg.includes('NaN'), 'no NaN coordinates');
  });

  it('breaks a path at a non-finite point instead of joining across it', () => {
    const bounds = mapBounds(gridless);
    const scene = mapScene(gridless, mapContours(gridless), bounds, fitMapFrame(bounds, 300, 300, mapMargin));
    const svg = mapSvgElements(scene, {
      foreground: '#111111',
      background: '#ffffff',
      contour: '#0000ff',
      frame: '#cccccc',
      runColors: ['#ff0000'],
    }).elements.join('\n');
    const path = /<path d="([^"]*)"[^>]*><title>A<\/title>/.exec(svg)![1]!;
    assert.equal((path.match(/M/g) ?? []).length, 2, `two pieces: ${path}`);
  });
});

describe('landscape heatmap scene', () => {
  it('lays cells out bottom row first, marks diverged cells and finds the best one', () => {
    const heatmap = sweep.heatmap!;
    const values = [...heatmap.values];
    values[10] = null;
    const scene = heatmapScene({ ...heatmap, values }, 480, 264, (value, digits) =>
      value === undefined ? '' : value.toPrecision(digits),
    );
    const columns = heatmap.xs.length;
    const rows = heatmap.ys.length;
    assert.equal(scene.cells.length, columns * rows);
    const first = scene.cells[0]!;
    assert.equal(first.x, scene.frame.left);
    assert.ok(
      Math.abs(first.y + first.height - (scene.frame.top + scene.frame.height)) < 1e-9,
      'row 0 sits on the bottom',
    );
    assert.equal(scene.cells[10]!.fraction, null);
    const finite = values.map((value) => value ?? Infinity);
    const bestIndex = finite.indexOf(Math.min(...finite));
    assert.deepEqual(scene.best, {
      row: Math.floor(bestIndex / columns),
      column: bestIndex % columns,
      value: finite[bestIndex],
    });
    assert.equal(
      Math.max(...scene.cells.map((cell) => cell.fraction ?? 0)),
      scene.cells[bestIndex]!.fraction,
      'the best cell is the strongest',
    );
    assert.ok(scene.xLabels.length >= 2 && scene.xLabels.length <= columns);
    assert.equal(scene.xLabels[0]!.text, heatmap.xs[0]!.toPrecision(2));
  });
});

describe('live axes on the core ticks', () => {
  it('aims at one tick per 95 px across and 55 px up, at least two', () => {
    assert.equal(tickTarget(600, 'x'), 6);
    assert.equal(tickTarget(110, 'y'), 2);
    assert.equal(tickTarget(40, 'y'), 2);
    assert.equal(tickTarget(Number.NaN, 'x'), 2);
  });

  it('gives a value axis the scale the export derives from the same data and tick target', () => {
    for (const [min, max, log, target] of [
      [3e-7, 2.5, true, 2],
      [1e-86, 10, true, 3],
      [0.2, 7.3, false, 4],
      [0, 0.001, false, 5],
    ] as const) {
      const live = valueScale(min, max, log, target);
      // The export is laid out by the core's line plot from the live axis's domain and tick target.
      const scene = linePlotScene(
        lineChartSpec({
          width: 720,
          height: 220,
          title: 't',
          theme: {
            kind: 'dark',
            background: '#000000',
            foreground: '#ffffff',
            mutedForeground: '#888888',
            gridLines: '#444444',
            lr: '#0000ff',
            momentum: '#ff8800',
            beta1: '#00ff00',
            pinned: '#aa00aa',
            marker: '#ffff00',
            runEnd: '#ff0000',
            fontFamily: 'sans-serif',
            fontSizePx: 13,
            lineWidth: 1.5,
          } satisfies PlotTheme,
          x: { label: 'step', log: false, min: 0, max: 10 },
          y: { label: 'y', log, min: live.domain.min, max: live.domain.max },
          series: [{ label: 's', xs: [0, 10], ys: [min > 0 ? min : 1, max], color: '#ffffff', width: 1 }],
          markers: [],
          yTickCount: target,
        }),
      );
      const exported = scene.items
        .filter((item) => item.kind === 'text' && item.role === 'y-tick')
        .map((item) => (item.kind === 'text' ? item.text : ''));
      assert.deepEqual(tickLabels(live.scale.ticks), exported, `${min}..${max} log=${log}`);
    }
  });

  it('remembers the range, ticks, labels and tick target it chose, and falls back to nice ticks after a zoom', () => {
    const chart = { bbox: { left: 0, top: 0, width: 400, height: 230 } } as unknown as uPlot;
    const axis = liveAxis({ direction: 'y', log: false, kind: 'value', zeroFloor: true, initialLength: () => 100 });
    assert.equal(axis.choice(), null, 'nothing before the first draw');
    const [min, max] = axis.range(chart, 0.0001, 0.0006) as [number, number];
    const expected = valueScale(0.0001, 0.0006, false, tickTarget(230, 'y'), true);
    assert.deepEqual([min, max], [expected.scale.min, expected.scale.max]);
    assert.equal(min, 0, 'a non-negative lr axis starts at zero');
    const ticks = axis.splits(chart, 1, min, max);
    assert.deepEqual(ticks, expected.scale.ticks);
    assert.deepEqual(axis.values(chart, ticks), tickLabels(ticks));
    assert.deepEqual(axis.choice(), { target: 4, domain: expected.domain, ticks, labels: tickLabels(ticks) });
    // A window set from outside (not the range it chose): nice ticks inside it, and that window as the domain.
    const zoomed = axis.splits(chart, 1, 0.0002, 0.0003);
    assert.deepEqual(zoomed, linearTicks(0.0002, 0.0003, 4));
    assert.deepEqual(axis.choice()!.domain, { min: 0.0002, max: 0.0003 });
    assert.deepEqual(axis.filter(chart, [1, 10, 100]), [1, 10, 100], 'no split is blanked');
  });

  it('gives a position axis the nice ticks inside its given ends, as the export does', () => {
    assert.deepEqual(positionTicks(0, 600, false, 6), [0, 100, 200, 300, 400, 500, 600]);
    assert.deepEqual(
      positionTicks(1e-7, 10, true, 4),
      logScale(1e-7, 10, 4).ticks.filter((tick) => tick >= 1e-7 && tick <= 10),
    );
    assert.deepEqual(positionTicks(-1, 1, true, 4), [], 'a log axis needs positive ends');
    assert.deepEqual(tickLabels([0, 0.5, 12500, 1e-5]), ['0', '0.5', '12.5k', '1e-5']);
  });
});
