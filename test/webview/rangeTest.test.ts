// Browser tests of the bundled LR range-test webview in Chromium: the curves it was sent on a log lr axis, the
// suggestion markers and Apply buttons, a missing suggestion's note, the backend line, themes, exports, state
// restore, and one screenshot per theme.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { RangeTestView } from '../../server/src/protocol';
import { runningRangeTestView } from '../../server/src/core/features/rangeTest';
import { drawnAxisLabelsOf, exportedTickLabels, repositoryRoot } from './webviewHarness';
import {
  clickAndCapture,
  exportCsv,
  exportPng,
  exportSvg,
  loadFixture,
  resultPanelOpeners,
  postToPanel,
  posted,
  type HarnessGlobals,
} from './resultPanelHarness';

interface RangeTestGlobals extends HarnessGlobals {
  optimizerLensRangeTest: {
    chart(): { data: (number | null)[][]; scales: Record<string, { min: number; max: number; distr: number }> } | null;
    seriesLabels(): string[];
    markerLrs(): { kind: string; lr: number }[];
    readoutIndex(): number | null;
    theme(): { kind: string; lr: string };
    axisChoices(): {
      x: { target: number; labels: string[] } | null;
      y: { target: number; labels: string[] } | null;
    } | null;
  };
}

const diverged = loadFixture<RangeTestView>('rangeTest.diverged.json');
const stillFalling = loadFixture<RangeTestView>('rangeTest.stillFalling.json');
const yourModel = loadFixture<RangeTestView>('rangeTest.yourModel.json');
const root = '.range-test-panel';
const { withPanel, withView, withThemeSwitches } = resultPanelOpeners<RangeTestView>('rangeTest', show);

function show(page: Page, view: RangeTestView, applied: unknown = null): Promise<void> {
  return postToPanel(page, root, { type: 'snapshot', snapshot: { view, applied } });
}

const debug = (page: Page) => ({
  chart: () => page.evaluate(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.chart()),
  markers: () => page.evaluate(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.markerLrs()),
  labels: () => page.evaluate(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.seriesLabels()),
});

describe('range-test webview', () => {
  it('names where a test on the user model ran, lists the valley first, and says a proxy result is a proxy', async () => {
    await withView(yourModel, {}, async (page) => {
      const summary = (await page.locator('.summary').textContent())!;
      assert.match(summary, /Ran onPyTorch 1\.13\.1 on cpu, Python 3\.11\.2/);
      assert.match((await page.locator('.title').textContent())!, /^LR range test: train\.optim\.yaml: /);
      assert.equal(await page.locator('.proxy-warning').isVisible(), false);
      assert.deepEqual(
        await page
          .locator('.suggestion')
          .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.kind)),
        ['valley', 'steepest', 'minimum'],
      );
      // Apply writes three significant digits: the button of the suggestion so written reads "Applied".
      const valley = yourModel.suggestions.valley!;
      const written = Number(valley.lr.toPrecision(3));
      await postToPanel(page, root, {
        type: 'applied',
        applied: {
          lr: written,
          target: 'lr',
          ok: true,
          written: String(written),
          message: `Set lr: ${written} in train.optim.yaml.`,
        },
      });
      assert.equal(await page.locator('.suggestion[data-kind="valley"] .apply').isDisabled(), true);
      await show(page, diverged);
      assert.equal(await page.locator('.proxy-warning').isVisible(), true);
      assert.match((await page.locator('.proxy-warning').textContent())!, /synthetic proxy.*not on your model/);
      assert.match((await page.locator('.title').textContent())!, /resnet18-cifar\.optim\.yaml/);
    });
  });

  it('draws a running test as the points arrive, without suggestions until it ends', async () => {
    // The snapshots the client sends while the test runs: the core's running view of the points so far.
    const plan = {
      kind: 'pytorch',
      optimizerLabel: yourModel.optimizerLabel,
      modelLabel: 'train.models:build_model',
      dataLabel: 'train.data:train_loader',
    } as const;
    const runningView = (count: number, ended?: string) =>
      runningRangeTestView(
        yourModel.uri,
        plan,
        {
          lrs: yourModel.lrs.slice(0, count),
          losses: yourModel.losses.slice(0, count),
          smoothed: yourModel.smoothed.slice(0, count),
          total: 300,
          ...(yourModel.runtime ? { runtime: yourModel.runtime } : {}),
        },
        ended,
      ) as RangeTestView;
    await withPanel({}, async (page) => {
      // The first points: one lr, then two close ones (degenerate axis ranges must still draw).
      for (const count of [1, 2, 3]) {
        const first = runningView(count);
        await show(page, first);
        assert.match(
          (await page.locator('.summary').textContent())!,
          new RegExp(`Progressrunning: ${count} of 300 iterations`),
        );
      }
      const partial = runningView(40);
      await show(page, partial);
      assert.match((await page.locator('.summary').textContent())!, /Progressrunning: 40 of 300 iterations, lr = /);
      assert.equal(await page.locator('.suggestion').count(), 0);
      assert.deepEqual((await debug(page).chart())!.data[0], partial.lrs);
      assert.match((await page.locator('.title').textContent())!, /train\.optim\.yaml/);
      // A run that ended without a result stops saying it runs, and keeps its curve.
      await show(page, runningView(40, 'Cancelled before the end: no suggestions.'));
      assert.doesNotMatch((await page.locator('.summary').textContent())!, /running:/);
      assert.equal(await page.locator('.suggestion:not(.missing)').count(), 0, 'no suggestion from a partial curve');
      assert.deepEqual((await debug(page).chart())!.data[0], partial.lrs);
      await show(page, yourModel);
      assert.equal(await page.locator('.suggestion').count(), 3);
    });
  });

  it('says ready, then draws raw and smoothed loss against a logarithmic lr axis', async () => {
    await withPanel({}, async (page) => {
      assert.deepEqual((await posted(page))[0], { type: 'ready' });
      await show(page, diverged);
      const chart = (await debug(page).chart())!;
      assert.equal(chart.scales.x!.distr, 3, 'the lr axis is logarithmic');
      assert.deepEqual(await debug(page).labels(), ['loss', 'smoothed']);
      assert.deepEqual(chart.data[0], diverged.lrs);
      assert.deepEqual(chart.data[1], diverged.losses);
      assert.deepEqual(chart.data[2], diverged.smoothed);
      // The blow-up is clipped: the loss axis ends well below the last (diverged) loss but above the start.
      const loss = chart.scales.loss!;
      assert.ok(
        loss.max < diverged.losses.at(-1)! && loss.max > diverged.smoothed[0]!,
        `loss axis ${loss.min}..${loss.max}`,
      );
      assert.match((await page.locator('.title').textContent())!, /AdamW\(weight_decay=0\.05/);
    });
  });

  it('shows the backend that ran, the ones that failed with why, the time and the divergence', async () => {
    await withView(diverged, {}, async (page) => {
      const summary = (await page.locator('.summary').textContent())!;
      assert.match(
        summary,
        /Backendwasm — tfjs-node-gpu: not installed \(npm i @tensorflow\/tfjs-node-gpu to use a CUDA GPU\); tfjs-node: not installed/,
      );
      assert.match(summary, /Time14\.2 s/);
      assert.match(summary, new RegExp(`Stoppeddiverged at lr = \\S+ \\(iteration ${diverged.lrs.length}\\)`));
      assert.equal(await page.locator('.summary-item.diverged').count(), 1);
      const kinds = (await debug(page).markers()).map((marker) => marker.kind);
      assert.deepEqual(new Set(kinds), new Set(['steepest', 'valley', 'minimum', 'current', 'diverged']));
    });
  });

  it('marks every suggestion and posts apply with its lr and target', async () => {
    await withView(diverged, {}, async (page) => {
      const markers = await debug(page).markers();
      for (const kind of ['steepest', 'valley', 'minimum'] as const) {
        const suggestion = diverged.suggestions[kind]!;
        assert.equal(markers.find((marker) => marker.kind === kind)?.lr, suggestion.lr);
        const card = page.locator(`.suggestion[data-kind="${kind}"]`);
        assert.equal(await card.locator('.suggestion-explanation').textContent(), suggestion.explanation);
        const message = await clickAndCapture(
          page,
          new RegExp(`Apply the ${kind === 'minimum' ? 'minimum ÷ 10' : kind}`, 'i'),
        );
        assert.deepEqual(message, { type: 'apply', lr: suggestion.lr, target: 'lr' });
      }
      // The host reports the outcome; a success moves the "current" marker and disables that button.
      const minimum = diverged.suggestions.minimum!;
      await postToPanel(page, root, {
        type: 'applied',
        applied: { lr: minimum.lr, target: 'lr', ok: true, message: 'Set lr: 0.001 in resnet18-cifar.optim.yaml.' },
      });
      assert.equal(
        await page.locator('.range-test-panel > .status').textContent(),
        'Set lr: 0.001 in resnet18-cifar.optim.yaml.',
      );
      assert.equal((await debug(page).markers()).find((marker) => marker.kind === 'current')?.lr, minimum.lr);
      assert.equal(await page.locator('.suggestion[data-kind="minimum"] .apply').isDisabled(), true);
      await postToPanel(page, root, {
        type: 'applied',
        applied: { lr: 1e-4, target: 'lr', ok: false, message: 'the config has no optimizer `lr` to write to.' },
      });
      assert.match(
        (await page.locator('.range-test-panel > .status.is-error').textContent())!,
        /^Could not set lr = 1e-4: the config has no optimizer/,
      );
    });
  });

  it('shows the note of a missing suggestion in its place, and targets max_lr for one-cycle configs', async () => {
    assert.equal(stillFalling.suggestions.minimum, null, 'the fixture has no minimum / 10 suggestion');
    await withView(stillFalling, {}, async (page) => {
      const missing = page.locator('.suggestion.missing[data-kind="minimum"]');
      assert.equal(await missing.count(), 1);
      assert.match(
        (await missing.locator('.suggestion-note').textContent())!,
        /^No minimum \/ 10 suggestion: the smoothed loss was still falling/,
      );
      assert.equal(await missing.locator('button').count(), 0, 'no Apply without a value');
      // The other notes are listed once, below.
      const notes = await page.locator('.notes li').allTextContents();
      assert.ok(notes.some((note) => note.startsWith('The loss never diverged')));
      assert.ok(!notes.some((note) => note.startsWith('No minimum')));
      const message = await clickAndCapture(page, /Apply the steepest/);
      assert.deepEqual(message, { type: 'apply', lr: stillFalling.suggestions.steepest!.lr, target: 'max_lr' });
      assert.match(
        (await page.locator('.summary').textContent())!,
        new RegExp(`Stoppedcompleted ${stillFalling.lrs.length} iterations`),
      );
    });
  });

  it('follows theme switches', async () => {
    const theme = (page: Page) =>
      page.evaluate(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.theme());
    await withThemeSwitches(diverged, {
      inDark: async (page) => {
        assert.equal((await theme(page)).lr, '#3794ff');
        await postToPanel(page, root, { type: 'snapshot', snapshot: { view: diverged, applied: null } });
      },
      inLight: async (page) => {
        assert.equal((await theme(page)).lr, '#1a85ff');
        assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
        const swatch = await page
          .locator('.legend-item .swatch.solid')
          .evaluate((element) => getComputedStyle(element).borderTopColor);
        assert.equal(swatch, 'rgb(26, 133, 255)');
      },
    });
  });

  it('exports CSV with every iteration, an SVG with curves and markers, and a PNG', async () => {
    await withView(diverged, {}, async (page) => {
      const rows = await exportCsv(page, {
        suggestedName: 'resnet18-cifar.optim.range-test.csv',
        header: 'iteration,lr,loss,smoothed',
        rowCount: diverged.lrs.length + 1,
      });
      assert.equal(rows[5], `4,${diverged.lrs[4]},${diverged.losses[4]},${diverged.smoothed[4]}`);

      const svg = await exportSvg(page);
      assert.equal((svg.match(/<path d="M/g) ?? []).length, 2, 'raw and smoothed curves');
      for (const label of ['steepest', 'valley', 'min÷10', 'diverged', 'current lr'])
        assert.ok(svg.includes(`>${label} `), `the SVG labels ${label}`);
      assert.ok(svg.includes('>1e-5<') || svg.includes('>1e-6<'), 'log-axis ticks are powers of ten');
      // The live chart's axes show the export's ticks and labels: the core's, for the same view.
      const choices = (await page.evaluate(() =>
        (window as unknown as RangeTestGlobals).optimizerLensRangeTest.axisChoices(),
      ))!;
      assert.ok(choices.x!.labels.length >= 2 && choices.y!.labels.length >= 2, JSON.stringify(choices));
      const drawn = await drawnAxisLabelsOf(page, 'window.optimizerLensRangeTest.chart()');
      assert.deepEqual(drawn, [choices.x!.labels, choices.y!.labels], 'uPlot drew the core labels');
      assert.deepEqual(exportedTickLabels(svg, 'x-tick'), drawn[0], 'lr labels: live = export');
      assert.deepEqual(exportedTickLabels(svg, 'y-tick'), drawn[1], 'loss labels: live = export');

      await exportPng(page);
      await postToPanel(page, root, { type: 'snapshot', snapshot: { view: diverged, applied: null } });
      await page.evaluate(() =>
        window.dispatchEvent(
          new MessageEvent('message', { data: { type: 'exported', format: 'png', savedTo: '/tmp/rt.png' } }),
        ),
      );
      await page.waitForFunction(
        () => document.querySelector('.range-test-panel > .status')?.textContent === 'Saved PNG to /tmp/rt.png.',
      );
    });
  });

  it('is keyboard accessible: Tab reaches the exports, the plot and the Apply buttons; arrows move the readout', async () => {
    await withView(diverged, {}, async (page) => {
      const focused: string[] = [];
      for (let press = 0; press < 7; press++) {
        await page.keyboard.press('Tab');
        focused.push(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''));
      }
      assert.deepEqual(focused.slice(0, 3), ['Export PNG', 'Export SVG', 'Export CSV']);
      assert.match(focused[3]!, /^Loss against learning rate/);
      // fastai's default, the valley, is listed (and reached) first (issue 12).
      assert.match(focused[4]!, /^Apply the valley suggestion/);
      await page.locator('.plot').focus();
      await page.keyboard.press('End');
      assert.equal(
        await page.evaluate(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.readoutIndex()),
        diverged.lrs.length - 1,
      );
      await page.keyboard.press('ArrowLeft');
      assert.match(
        (await page.locator('.readout').textContent())!,
        new RegExp(`^iteration ${diverged.lrs.length - 1} `),
      );
    });
  });

  it('restores the last result from vscode state after being hidden', async () => {
    let saved: unknown;
    await withView(diverged, {}, async (page) => {
      saved = await page.evaluate(() => (window as unknown as HarnessGlobals).harness.states.at(-1));
    });
    await withPanel({ initialState: saved }, async (page) => {
      await page.waitForFunction(() => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.chart() !== null);
      assert.deepEqual((await debug(page).chart())!.data[0], diverged.lrs);
    });
  });

  it('looks native in light, dark and high contrast themes (screenshots)', async () => {
    const artifacts = join(repositoryRoot, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    for (const theme of ['light', 'dark', 'hc'] as const) {
      await withView(diverged, { theme, width: 960, height: 760, deviceScaleFactor: 2 }, async (page) => {
        const box = (await page.locator('.u-over').boundingBox())!;
        await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.6);
        await page.waitForFunction(
          () => (window as unknown as RangeTestGlobals).optimizerLensRangeTest.readoutIndex() !== null,
        );
        const path = join(artifacts, `range-test-${theme}.png`);
        // Written to test/artifacts only: a test writes no tracked file (`npm run screenshots` refreshes docs/images).
        await page.screenshot({ path });
      });
    }
  });
});
