// Browser tests of the bundled loss-landscape webview in Chromium: contours and paths on the map, the scrubber and
// playback, the loss plot on log y, step sizes, the per-run stability statements, the layout at 800x900, the heatmap,
// n-D runs, themes, exports, state restore, and one screenshot per theme.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { SimulationView } from '../../server/src/protocol';
import { drawnAxisLabelsOf, exportedTickLabels, repositoryRoot } from './webviewHarness';
import {
  exportCsv,
  exportPng,
  exportSvg,
  loadFixture,
  resultPanelOpeners,
  paintedPixels,
  postToPanel,
  posted,
  type HarnessGlobals,
} from './resultPanelHarness';

interface ChartShape {
  data: (number | null)[][];
  scales: Record<string, { min: number; max: number; distr: number }>;
  series: { label: string }[];
}

interface LandscapeGlobals extends HarnessGlobals {
  optimizerLensLandscape: {
    step(): number;
    lastStep(): number;
    playing(): boolean;
    markerPositions(): ({ x: number; y: number } | null)[];
    contourLevels(): { logarithmic: boolean; levels: number[] } | null;
    contourSegmentCount(): number;
    runColors(): string[];
    lossChart(): ChartShape | null;
    stepSizeChart(): ChartShape | null;
    stepSizeLabels(): string[];
    theme(): { kind: string };
    axisChoices(): Record<'loss' | 'stepSize', { x: AxisChoice | null; y: AxisChoice | null } | null>;
    mapTickLabels(): { x: string[]; y: string[] } | null;
  };
}

interface AxisChoice {
  target: number;
  ticks: number[];
  labels: string[];
}

const rosenbrock = loadFixture<SimulationView>('landscape.rosenbrock.json');
const quadratic = loadFixture<SimulationView>('landscape.quadratic.json');
const dormant = loadFixture<SimulationView>('landscape.dormant.json');
const sweep = loadFixture<SimulationView>('landscape.sweep.json');
const root = '.landscape-panel';
const { withPanel, withView, withThemeSwitches } = resultPanelOpeners<SimulationView>('landscape', show);

function show(page: Page, view: SimulationView): Promise<void> {
  return postToPanel(page, root, { type: 'snapshot', snapshot: { view } });
}

function handle<T>(page: Page, read: (debug: LandscapeGlobals['optimizerLensLandscape']) => T): Promise<T> {
  return page.evaluate(`(${read.toString()})(window.optimizerLensLandscape)`) as Promise<T>;
}

/** The step-size chart, once its series are checked to be `labels`. */
async function stepSizeChartWithLabels(page: Page, labels: string[]): Promise<ChartShape> {
  assert.deepEqual(await handle(page, (debug) => debug.stepSizeLabels()), labels);
  return (await handle(page, (debug) => debug.stepSizeChart()))!;
}

/** The map's plot rectangle in CSS pixels, from the frame the base layer draws (44 px left, 8 px top margins). */
async function mapBox(page: Page): Promise<{ width: number; height: number }> {
  return page.locator('canvas.map').evaluate((canvas) => ({
    width: canvas.getBoundingClientRect().width,
    height: canvas.getBoundingClientRect().height,
  }));
}

describe('landscape webview', () => {
  it('draws log-spaced contours over the Rosenbrock grid and the shading fills the map', async () => {
    await withPanel({}, async (page) => {
      assert.deepEqual((await posted(page))[0], { type: 'ready' });
      await show(page, rosenbrock);
      const levels = (await handle(page, (debug) => debug.contourLevels()))!;
      assert.equal(levels.logarithmic, true, 'Rosenbrock spans many decades, so its levels are log-spaced');
      assert.ok(levels.levels.length >= 10);
      const ratios = levels.levels.slice(1).map((level, index) => level / levels.levels[index]!);
      assert.ok(
        ratios.every((ratio) => ratio > 1.5),
        `levels grow geometrically: ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')}`,
      );
      assert.ok(
        (await handle(page, (debug) => debug.contourSegmentCount())) > 500,
        'marching squares found contour segments',
      );
      const box = await mapBox(page);
      // Inside the map (away from the axes) almost every pixel is shaded or lined; the axis gutter is not.
      const inside = await paintedPixels(
        page,
        'canvas.map',
        { x: 60, y: 20, width: box.width - 90, height: box.height - 80 },
        6,
      );
      assert.ok(inside.painted / inside.total > 0.9, `map interior painted: ${inside.painted}/${inside.total}`);
      const gutter = await paintedPixels(page, 'canvas.map', { x: 0, y: box.height * 0.3, width: 8, height: 40 }, 6);
      assert.ok(gutter.painted / gutter.total < 0.2, `gutter mostly background: ${gutter.painted}/${gutter.total}`);
    });
  });

  it('draws a path for each run with a legend, and the scrubber moves the markers along them', async () => {
    await withView(rosenbrock, {}, async (page) => {
      assert.deepEqual(await page.locator('.legend-item[data-run]').allTextContents(), [
        'Adam lr=0.05',
        'SGD momentum=0.9',
      ]);
      assert.equal(await handle(page, (debug) => debug.lastStep()), 600);
      assert.equal(await handle(page, (debug) => debug.step()), 600, 'a new simulation opens at its last step');
      const atEnd = await handle(page, (debug) => debug.markerPositions());
      const slider = page.getByRole('slider', { name: 'Step' });
      await slider.focus();
      await page.keyboard.press('Home');
      assert.equal(await handle(page, (debug) => debug.step()), 0);
      const atStart = await handle(page, (debug) => debug.markerPositions());
      // Both runs start at (-1.5, 2): their markers coincide at step 0 and separate by the end.
      assert.deepEqual(atStart[0], atStart[1]);
      assert.notDeepEqual(atEnd[0], atEnd[1]);
      assert.notDeepEqual(atStart[0], atEnd[0]);
      // Each run's colour is on the canvas near its end marker.
      const colors = await handle(page, (debug) => debug.runColors());
      assert.equal(colors.length, 2);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      assert.equal(await handle(page, (debug) => debug.step()), 2);
      assert.match((await page.locator('.step-label').textContent())!, /^step 2 \/ 600 · loss Adam lr=0\.05 /);
      const afterTwo = await handle(page, (debug) => debug.markerPositions());
      assert.notDeepEqual(afterTwo[0], atStart[0], 'the Adam marker moved');
    });
  });

  it('plays through the steps and stops at the end', async () => {
    await withView(quadratic, {}, async (page) => {
      await page.getByRole('slider', { name: 'Step' }).focus();
      await page.keyboard.press('Home');
      await page.getByRole('button', { name: 'Play' }).click();
      assert.equal(await page.getByRole('button', { name: 'Pause' }).getAttribute('aria-pressed'), 'true');
      await page.waitForFunction(() => (window as unknown as LandscapeGlobals).optimizerLensLandscape.step() > 0);
      await page.waitForFunction(() => !(window as unknown as LandscapeGlobals).optimizerLensLandscape.playing());
      assert.equal(await handle(page, (debug) => debug.step()), 60);
    });
  });

  it('plots loss against step on a log axis and the step sizes, linked to the scrubber', async () => {
    await withView(rosenbrock, {}, async (page) => {
      const loss = (await handle(page, (debug) => debug.lossChart()))!;
      assert.equal(loss.scales.y!.distr, 3, 'loss is on a log axis');
      assert.deepEqual(
        loss.series.slice(1).map((series) => series.label),
        ['Adam lr=0.05', 'SGD momentum=0.9'],
      );
      assert.equal(loss.data[1]![0], rosenbrock.runs[0]!.loss[0]);
      assert.equal(loss.data[2]![600], rosenbrock.runs[1]!.loss[600]);
      const stepSize = await stepSizeChartWithLabels(page, [
        'Adam lr=0.05 x',
        'Adam lr=0.05 y',
        'SGD momentum=0.9 x',
        'SGD momentum=0.9 y',
      ]);
      assert.equal(stepSize.scales.y!.distr, 3);
      assert.equal(stepSize.data[1]![0], null, 'step 0 has no update');
      assert.equal(stepSize.data[1]![1], rosenbrock.runs[0]!.stepSize![0]![0]);
    });
  });

  it('shows n-D runs as loss and step-size plots only, with mean and max over coordinates', async () => {
    await withView(dormant, {}, async (page) => {
      assert.equal(await page.locator('.map-area').isHidden(), true);
      assert.equal(await page.locator('.loss-plot canvas').count(), 1);
      const stepSize = await stepSizeChartWithLabels(page, [
        'Adagrad lr=0.1 mean',
        'Adagrad lr=0.1 max',
        'Adam lr=0.01 mean',
        'Adam lr=0.01 max',
      ]);
      // AdaGrad's step size decays; the dormant coordinate wakes at update 150 with a fresh, larger step.
      const max = stepSize.data[2]!;
      assert.ok(max[10]! > max[140]!, 'AdaGrad step sizes decay');
      assert.ok(max[152]! > max[148]!, `the dormant coordinate wakes with a spike: ${max[148]} → ${max[152]}`);
    });
  });

  it('states per run what it did: a bound for SGD past 2/lambda_max, a measurement for Adam, none for a sweep', async () => {
    await withView(quadratic, {}, async (page) => {
      const lines = page.locator('.stability .statement');
      assert.equal(await lines.count(), 2, 'one statement per run');
      assert.match(
        (await lines.nth(0).textContent())!,
        /^SGD lr=0\.0205: Unstable: lr 0\.0205 ≥ 2\/λmax = 0\.02 \(λmax = 100\)/,
      );
      assert.equal(await lines.nth(0).getAttribute('data-verdict'), 'unstable');
      assert.equal(
        await page.locator('.stability .statement.unstable').count(),
        1,
        'only the unstable run is in the error colour',
      );
      // Adam gets no 2/lambda_max verdict (issue 11): what it did, measured.
      assert.match((await lines.nth(1).textContent())!, /^Adam lr=0\.0205: Still descending, .*\(measured\)$/);
      assert.equal(await lines.nth(1).evaluate((line) => line.classList.contains('measured')), true);
      // A sweep's view carries no statements (the product's runStatements gives none for a grid).
      assert.equal(sweep.stability, undefined);
      await show(page, sweep);
      assert.equal(await page.locator('.stability').isHidden(), true, 'no statements without them in the view');
    });
  });

  /** Boxes (CSS pixels, viewport coordinates) of the parts the layout test checks. */
  async function layoutOf(
    page: Page,
  ): Promise<Record<string, { top: number; bottom: number; left: number; right: number } | null>> {
    return page.evaluate(`(() => {
      const box = (selector) => {
        const element = document.querySelector(selector);
        if (!element || element.getClientRects().length === 0) return null;
        const rect = element.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right };
      };
      return { legend: box('.legend'), play: box('.scrubber button'), mapArea: box('.map-area'), plots: box('.plots'), lastPlot: box('.plots > :not([hidden]):last-child'), scrubber: box('.scrubber') };
    })()`) as Promise<Record<string, { top: number; bottom: number; left: number; right: number } | null>>;
  }

  it('at 800x900 (the panel beside the editor) the legend and the play control are visible, with no empty band', async () => {
    // Three runs with long statements push the map down the most.
    const crowded: SimulationView = {
      ...quadratic,
      stability: [...quadratic.stability!, { ...quadratic.stability![1]!, run: 'Adam again' }],
    };
    for (const [name, view] of [
      ['rosenbrock', rosenbrock],
      ['quadratic', quadratic],
      ['crowded', crowded],
      ['n-D', dormant],
    ] as const) {
      await withView(view, { width: 800, height: 900 }, async (page) => {
        const layout = await layoutOf(page);
        for (const part of ['legend', 'play'] as const) {
          assert.ok(
            layout[part] && layout[part].top >= 0 && layout[part].bottom <= 900,
            `${name}: ${part} at ${JSON.stringify(layout[part])}`,
          );
        }
        assert.equal(await page.evaluate(() => window.scrollY), 0);
        // No band between the map (or plots) and the scrubber, and the map as tall as the plots beside it.
        const above = layout.mapArea ?? layout.plots!;
        assert.ok(
          layout.scrubber!.top - Math.max(above.bottom, layout.plots!.bottom) < 16,
          `${name}: gap above the scrubber ${JSON.stringify(layout)}`,
        );
        if (layout.mapArea)
          assert.ok(
            Math.abs(layout.mapArea.bottom - layout.lastPlot!.bottom) < 12,
            `${name}: map and plots end together ${JSON.stringify(layout)}`,
          );
        const path = join(repositoryRoot, 'test', 'artifacts', `landscape-800x900-${name}.png`);
        mkdirSync(join(repositoryRoot, 'test', 'artifacts'), { recursive: true });
        await page.screenshot({ path });
      });
    }
  });

  it("draws the map with the landscape's proportions: its frame fills the canvas, no band below it", async () => {
    await withView(quadratic, { width: 800, height: 900 }, async (page) => {
      // quadratic_ill spans x in [-2, 2] and y in [-1.5, 1.5]: the map area is wider than tall, in that ratio.
      const size = await mapBox(page);
      const plotWidth = size.width - 54;
      const plotHeight = size.height - 42;
      assert.ok(Math.abs(plotHeight / plotWidth - 0.75) < 0.03, `plot rectangle ${plotWidth} x ${plotHeight}`);
      // The bottom rows of the canvas hold the x axis, not background: the tick labels and the name are drawn there.
      const bottom = await paintedPixels(
        page,
        'canvas.map',
        { x: 44, y: size.height - 34, width: size.width - 54, height: 34 },
        60,
      );
      assert.ok(bottom.painted > 20, `x axis drawn at the bottom: ${bottom.painted}`);
    });
  });

  it('renders the heatmap of a sweep, with diverged cells marked and the best cell outlined', async () => {
    const values = [...sweep.heatmap!.values];
    values[10] = Number.NaN;
    const withDiverged: SimulationView = { ...sweep, heatmap: { ...sweep.heatmap!, values } };
    await withPanel({}, async (page) => {
      // JSON turns NaN into null on the way, exactly as from the real host.
      await show(page, JSON.parse(JSON.stringify(withDiverged)) as SimulationView);
      assert.equal(await page.locator('.heatmap-section').isVisible(), true);
      assert.equal(await page.locator('.landscape-main').isHidden(), true, 'a sweep has no trajectories to plot');
      const size = await page.locator('canvas.heatmap').evaluate((canvas) => ({
        width: canvas.getBoundingClientRect().width,
        height: canvas.getBoundingClientRect().height,
      }));
      const cells = await paintedPixels(
        page,
        'canvas.heatmap',
        { x: 60, y: 26, width: size.width - 140, height: size.height - 70 },
        6,
      );
      assert.ok(cells.painted / cells.total > 0.6, `heatmap cells painted: ${cells.painted}/${cells.total}`);
      const label = (await page.locator('canvas.heatmap').getAttribute('aria-label'))!;
      assert.match(label, /^Heatmap of final_loss over lr and beta1; best 0\.00338 at lr 2, beta1 0\.95$/);
      const rows = await exportCsv(page);
      assert.equal(rows[0], 'lr,beta1,final_loss', "the product's label: the metric as the file names it");
      assert.equal(rows.length, 1 + 66);
      assert.equal(rows[11], '2,0,', 'the diverged cell is empty');
    });
  });

  it('follows theme switches', async () => {
    await withThemeSwitches(rosenbrock, {
      inLight: async (page) => {
        assert.deepEqual(await handle(page, (debug) => debug.runColors()), ['#d18616', '#388a34']);
        const box = await mapBox(page);
        // Light theme: the map gutter is white again.
        const corner = await page
          .locator('canvas.map')
          .evaluate((canvas: HTMLCanvasElement) => [...canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data]);
        assert.deepEqual(corner, [255, 255, 255, 255]);
        assert.ok(box.width > 200);
      },
    });
  });

  it('exports CSV per run and step, an SVG with contours, paths and plots, and a PNG', async () => {
    await withView(rosenbrock, {}, async (page) => {
      const rows = await exportCsv(page, {
        suggestedName: 'rosenbrock.optim.landscape.csv',
        header: 'run,step,loss,x,y,step_size_x,step_size_y',
        rowCount: 1 + 601 * 2,
      });
      const [x, y] = rosenbrock.runs[0]!.x[1]!;
      assert.equal(
        rows[2],
        `Adam lr=0.05,1,${rosenbrock.runs[0]!.loss[1]},${x},${y},${rosenbrock.runs[0]!.stepSize![0]![0]},${rosenbrock.runs[0]!.stepSize![0]![1]}`,
      );
      const svg = await exportSvg(page);
      assert.ok((svg.match(/<title>f = /g) ?? []).length >= 10, 'one path per contour level');
      assert.ok(
        svg.includes('<title>Adam lr=0.05</title>') && svg.includes('<title>SGD momentum=0.9</title>'),
        'one path per run',
      );
      assert.ok(svg.includes('>loss</text>') && svg.includes('>step size</text>'), 'the two plots follow the map');
      // The live plots' axes and the export's carry the same ticks and labels: the core's, for the same view.
      const choices = await handle(page, (debug) => debug.axisChoices());
      const lossDrawn = await drawnAxisLabelsOf(page, 'window.optimizerLensLandscape.lossChart()');
      const stepSizeDrawn = await drawnAxisLabelsOf(page, 'window.optimizerLensLandscape.stepSizeChart()');
      assert.deepEqual(
        [lossDrawn, stepSizeDrawn],
        [
          [choices.loss!.x!.labels, choices.loss!.y!.labels],
          [choices.stepSize!.x!.labels, choices.stepSize!.y!.labels],
        ],
        'uPlot drew the core labels',
      );
      const live = { x: [...lossDrawn[0]!, ...stepSizeDrawn[0]!], y: [...lossDrawn[1]!, ...stepSizeDrawn[1]!] };
      assert.ok(
        choices.loss!.y!.labels.length >= 2 && choices.stepSize!.y!.labels.length >= 2,
        JSON.stringify(choices),
      );
      assert.deepEqual(exportedTickLabels(svg, 'x-tick'), live.x, 'x labels: live plots = export');
      assert.deepEqual(exportedTickLabels(svg, 'y-tick'), live.y, 'y labels: live plots = export');
      assert.ok(
        live.y.every((label) => /^(\d+(\.\d+)?|\d(\.\d+)?e-?\d+)$/.test(label)),
        `core-formatted decades: ${live.y.join(' ')}`,
      );
      // The map's tick labels are the same in the export as on the canvas when the map has the same size.
      const mapLabels = (await handle(page, (debug) => debug.mapTickLabels()))!;
      assert.ok(mapLabels.x.length >= 3 && mapLabels.x.includes('0'), JSON.stringify(mapLabels));
      const exportedMap = [...svg.matchAll(/class="map-x-tick">([^<]*)</g)].map((match) => match[1]!);
      assert.ok(
        exportedMap.length >= 3 && exportedMap.every((label) => /^-?\d+(\.\d+)?$/.test(label)),
        exportedMap.join(' '),
      );
      const bytes = await exportPng(page);
      assert.ok(bytes.readUInt32BE(16) > 600, 'the PNG holds the map and the plots side by side');
    });
  });

  it('restores the simulation and the scrubber step from vscode state after being hidden', async () => {
    let saved: unknown;
    await withView(quadratic, {}, async (page) => {
      await page.getByRole('slider', { name: 'Step' }).focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction(() =>
        (window as unknown as HarnessGlobals).harness.states.some((state) => (state as { step: number }).step === 1),
      );
      saved = await page.evaluate(() => (window as unknown as HarnessGlobals).harness.states.at(-1));
    });
    await withPanel({ initialState: saved }, async (page) => {
      await page.waitForFunction(
        () => (window as unknown as LandscapeGlobals).optimizerLensLandscape.lossChart() !== null,
      );
      assert.equal(await handle(page, (debug) => debug.step()), 1);
      assert.match((await page.locator('.title').textContent())!, /quadratic_ill/);
    });
  });

  it('looks native in light, dark and high contrast themes (screenshots)', async () => {
    const artifacts = join(repositoryRoot, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    for (const theme of ['light', 'dark', 'hc'] as const) {
      await withView(rosenbrock, { theme, width: 1100, height: 720, deviceScaleFactor: 2 }, async (page) => {
        await page.getByRole('slider', { name: 'Step' }).focus();
        await page.keyboard.press('Home');
        // PageUp moves a range input by a tenth: four presses put the runs part-way along their paths.
        for (let press = 0; press < 4; press++) await page.keyboard.press('PageUp');
        // Written to test/artifacts only: a test writes no tracked file (`npm run screenshots` refreshes docs/images).
        await page.screenshot({ path: join(artifacts, `landscape-${theme}.png`) });
      });
    }
  });
});
