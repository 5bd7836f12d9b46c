// Browser tests of the bundled schedule webview in Chromium: rendering, readout, toggles, themes, exports, errors,
// pinning, keyboard, decimation of a million steps, state restore, and one screenshot per theme.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ScheduleSnapshot } from '../../webview/src/protocol';
import { formatStep, formatValue } from '../../webview/src/common/format';
import { oneCycleSchedule, warmupCosineSchedule } from './scheduleFixtures';
import { analyze } from '../../server/src/core/analysis';
import { scheduleView } from '../../server/src/core/features/scheduleView';
import { scheduleSvg } from '../../server/src/core/plot/svg';
import { run } from '../../server/src/cli/commands';
import { fakeIo } from '../cli/fakeIo';

/** The marker labels of a schedule plot written by the core's SVG writer (the CLI's `--out`). */
function markerLabelsOfSvg(svg: string): string[] {
  return [...svg.matchAll(/<text class="marker-label"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
}
import {
  chromiumForTests,
  cspViolations,
  drawnAxisLabelsOf,
  exportedTickLabels,
  openSchedulePanel,
  paintCount,
  postFromHost,
  postedMessages,
  repositoryRoot,
  waitForPaintAfter,
  type HarnessWindow,
  type OpenedPanel,
  type OpenOptions,
} from './webviewHarness';

const browser = chromiumForTests();

/** Opens a panel, runs `body`, then checks that nothing broke the CSP or threw, and closes the page. */
async function withPanel(
  options: OpenOptions,
  body: (page: Page, opened: OpenedPanel) => Promise<void>,
): Promise<void> {
  const opened = await openSchedulePanel(browser(), options);
  try {
    await body(opened.page, opened);
    assert.deepEqual(await cspViolations(opened.page), [], 'the webview must work under the strict CSP');
    assert.deepEqual(opened.problems, [], 'no page or console errors');
  } finally {
    await opened.close();
  }
}

async function chartData(page: Page): Promise<(number | null)[][]> {
  return page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.data);
}

async function seriesLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.seriesLabels());
}

async function readoutStep(page: Page): Promise<number | null> {
  return page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.readoutStep());
}

async function visibleView(page: Page): Promise<{ min: number; max: number } | null> {
  return page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.view());
}

/** Clicks a toolbar button and waits for the repaint it causes. */
async function clickAndWaitForPaint(page: Page, name: string): Promise<void> {
  const before = await paintCount(page);
  await page.getByRole('button', { name, exact: true }).click();
  await waitForPaintAfter(page, before);
}

/** Clicks an export button and returns the `export` message the webview posted. */
async function exportVia(page: Page, name: string) {
  const countBefore = (await postedMessages(page)).length;
  await page.getByRole('button', { name }).click();
  await page.waitForFunction(
    (count) => (window as unknown as HarnessWindow).harness.posted.length > count,
    countBefore,
  );
  const message = (await postedMessages(page)).at(-1);
  assert.ok(message && message.type === 'export', 'an export message was posted');
  return message;
}

describe('schedule webview', () => {
  it('says ready first and renders the series it was sent, as exact samples', async () => {
    const schedule = warmupCosineSchedule(2000, 200);
    await withPanel({}, async (page) => {
      assert.deepEqual((await postedMessages(page))[0], { type: 'ready' });
      await postFromHost(page, { type: 'setSchedule', schedule });
      assert.deepEqual(await seriesLabels(page), ['lr', 'β1']);
      const [steps, lr, beta1] = await chartData(page);
      assert.ok(steps && lr && beta1);
      assert.equal(steps[0], 0);
      assert.equal(steps.at(-1), 1999);
      steps.forEach((step, index) => {
        assert.equal(lr[index], schedule.lr[step!], `lr at step ${step}`);
        assert.equal(beta1[index], 0.9);
      });
      assert.ok(lr.includes(3e-4), 'the warm-up peak is drawn');
      assert.equal(await page.locator('.title').textContent(), schedule.title);
      assert.deepEqual(await page.locator('.legend-item').allTextContents(), ['lr', 'β1']);
    });
  });

  it('shows the step and values under the pointer', async () => {
    const schedule = oneCycleSchedule(3000);
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const box = (await page.locator('.u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
      await page.waitForFunction(
        () => (window as unknown as HarnessWindow).optimizerLensSchedule.readoutStep() !== null,
      );
      const step = (await readoutStep(page))!;
      assert.ok(Math.abs(step - 1500) < 20, `the middle of the plot is near step 1500, got ${step}`);
      const text = (await page.locator('.readout').textContent()) ?? '';
      assert.match(text, new RegExp(`step ${formatStep(step)}`));
      assert.ok(text.includes(`lr ${formatValue(schedule.lr[step])}`), text);
      assert.ok(text.includes(`momentum ${formatValue(schedule.momentum![step])}`), text);
      assert.ok(text.includes('after peak'), 'the readout names the phase');
    });
  });

  it('toggles the learning-rate axis between linear and logarithmic', async () => {
    const cosine = warmupCosineSchedule(1000, 100, 1e-3, 0);
    // The last step reaches eta_min = 0 exactly, as CosineAnnealingLR does at T_max.
    const schedule = { ...cosine, lr: cosine.lr.map((value, step) => (step === 999 ? 0 : value)) };
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const distribution = () =>
        page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.scales.lr!.distr);
      assert.equal(await distribution(), 1);
      await clickAndWaitForPaint(page, 'Log y');
      assert.equal(await distribution(), 3);
      assert.equal(await page.getByRole('button', { name: 'Log y' }).getAttribute('aria-pressed'), 'true');
      // A zero learning rate has no place on a log axis: it is left out of the drawing, not drawn at a fake value.
      const [steps, lr] = await chartData(page);
      assert.equal(lr![steps!.indexOf(999)], null);
      const lrScale = await page.evaluate(
        () => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.scales.lr!,
      );
      assert.ok(lrScale.min > 0 && lrScale.max >= 1e-3, `log range ${lrScale.min}..${lrScale.max}`);
      // On the log axis too, the live labels are the export's: powers of ten from the core's log scale.
      const logDrawn = await drawnAxisLabelsOf(page, 'window.optimizerLensSchedule.chart()');
      const logSvg = (await exportVia(page, 'Export SVG')).content as string;
      assert.deepEqual(exportedTickLabels(logSvg, 'y-tick'), logDrawn[1], 'log lr labels: live = export');
      assert.ok(
        logDrawn[1]!.length >= 2 && logDrawn[1]!.every((label) => /^1e-?\d+$|^(0\.0*1|1|10+)$/.test(label)),
        logDrawn[1]!.join(' '),
      );
      await clickAndWaitForPaint(page, 'Log y');
      assert.equal(await distribution(), 1);
    });
  });

  it('follows theme switches: series colours, background and text change', async () => {
    const schedule = oneCycleSchedule(1000);
    await withPanel({ theme: 'dark' }, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const strokes = () =>
        page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.seriesStrokes());
      const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.deepEqual(await strokes(), ['#3794ff', '#d18616']);
      assert.equal(await background(), 'rgb(31, 31, 31)');
      const before = await paintCount(page);
      await page.evaluate(() => (window as unknown as HarnessWindow).harness.applyTheme('light'));
      await waitForPaintAfter(page, before);
      assert.deepEqual(await strokes(), ['#1a85ff', '#d18616']);
      assert.equal(await background(), 'rgb(255, 255, 255)');
      assert.equal(
        await page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.theme().kind),
        'light',
      );
      const swatch = await page
        .locator('.legend-item[data-series="lr"] .swatch')
        .evaluate((element) => getComputedStyle(element).borderTopColor);
      assert.equal(swatch, 'rgb(26, 133, 255)');
      const hcBefore = await paintCount(page);
      await page.evaluate(() => (window as unknown as HarnessWindow).harness.applyTheme('hc'));
      await waitForPaintAfter(page, hcBefore);
      assert.equal(
        await page.evaluate(() => (window as unknown as HarnessWindow).optimizerLensSchedule.theme().kind),
        'high-contrast',
      );
    });
  });

  it('exports CSV with one row per step, SVG with axes, series and markers, and a PNG', async () => {
    const schedule = warmupCosineSchedule(500, 50);
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });

      const csv = await exportVia(page, 'Export CSV');
      assert.equal(csv.format, 'csv');
      assert.equal(csv.encoding, 'utf8');
      assert.equal(csv.suggestedName, 'llm-pretrain.optim.schedule.csv');
      const rows = csv.content.trimEnd().split('\n');
      assert.equal(rows.length, 501);
      assert.equal(rows[0], 'step,lr,beta1,beta2');
      assert.equal(rows[11], `10,${schedule.lr[10]},0.9,0.95`);
      assert.equal(rows[500], `499,${schedule.lr[499]},0.9,0.95`);

      const svg = await exportVia(page, 'Export SVG');
      assert.equal(svg.encoding, 'utf8');
      const parsed = await page.evaluate((text) => {
        const document = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          parseError: document.querySelector('parsererror') !== null,
          paths: document.querySelectorAll('path').length,
          texts: Array.from(document.querySelectorAll('text'), (element) => element.textContent),
        };
      }, svg.content);
      assert.equal(parsed.parseError, false, 'the SVG is well-formed XML');
      assert.equal(parsed.paths, 2, 'one path per series (lr, β1)');
      assert.ok(parsed.texts.includes('warm-up ends'), 'the phase marker is labelled');
      assert.ok(parsed.texts.includes('run end 500'), 'the run end is labelled');
      assert.ok(parsed.texts.includes(schedule.title));
      assert.ok(parsed.texts.includes('3e-4'), `an lr tick label, got ${parsed.texts.join(' | ')}`);
      // The live chart's axes show the export's ticks and labels: the core's, for the same view.
      const choices = (await page.evaluate(() =>
        (window as unknown as HarnessWindow).optimizerLensSchedule.axisChoices(),
      ))!;
      assert.ok(choices.x!.labels.length >= 3 && choices.lr!.labels.length >= 3, JSON.stringify(choices));
      const drawn = await drawnAxisLabelsOf(page, 'window.optimizerLensSchedule.chart()');
      assert.deepEqual(
        drawn,
        [choices.x!.labels, choices.lr!.labels, choices.momentum!.labels],
        'uPlot drew the core labels',
      );
      assert.deepEqual(exportedTickLabels(svg.content, 'x-tick'), drawn[0], 'step labels: live = export');
      assert.deepEqual(exportedTickLabels(svg.content, 'y-tick'), drawn[1], 'lr labels: live = export');
      assert.deepEqual(exportedTickLabels(svg.content, 'y2-tick'), drawn[2], 'beta1 labels: live = export');
      assert.ok(
        !choices.x!.labels.some((label) => label.endsWith('K')),
        `the core's step labels (12.5k, not 12.5K): ${choices.x!.labels.join(' ')}`,
      );

      const png = await exportVia(page, 'Export PNG');
      assert.equal(png.encoding, 'base64');
      const bytes = Buffer.from(png.content, 'base64');
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      assert.ok(bytes.readUInt32BE(16) >= 800 && bytes.readUInt32BE(20) >= 300, 'the PNG has the plot size');

      await postFromHost(page, { type: 'exported', format: 'png', savedTo: '/tmp/x.png' }, false);
      assert.equal(await page.locator('.status').textContent(), 'Saved PNG to /tmp/x.png.');
    });
  });

  it('shows an error over the greyed last good plot, and clears it with the next schedule', async () => {
    const schedule = oneCycleSchedule(800);
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const message = 'OneCycleLR stepped past total_steps (line 12): raise total_steps or shorten training.steps.';
      await postFromHost(page, { type: 'setError', message }, false);
      await page.locator('.overlay.is-error').waitFor({ state: 'visible' });
      assert.equal(await page.getByRole('alert').textContent(), message);
      assert.equal(await page.locator('.plot-area.stale').count(), 1);
      const filter = await page.locator('.plot').evaluate((element) => getComputedStyle(element).filter);
      assert.equal(filter, 'grayscale(1)');
      assert.equal((await chartData(page))[1]!.length > 0, true, 'the last plot is still drawn');
      await postFromHost(page, { type: 'setSchedule', schedule: { ...schedule, version: 2 } });
      assert.equal(await page.locator('.overlay').isHidden(), true);
      assert.equal(await page.locator('.plot-area.stale').count(), 0);
    });
  });

  it('pins a schedule and overlays it dashed beside the edited one', async () => {
    const first = warmupCosineSchedule(1000, 100);
    const edited: ScheduleSnapshot = { ...warmupCosineSchedule(1200, 50, 6e-4), version: 4 };
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule: first });
      await page.getByRole('button', { name: 'Pin', exact: true }).click();
      assert.deepEqual((await postedMessages(page)).at(-1), { type: 'pin' });
      // The host owns the pinned schedule and answers with it.
      await postFromHost(page, { type: 'pinned', pinned: first });
      await postFromHost(page, { type: 'setSchedule', schedule: edited });
      assert.deepEqual(await seriesLabels(page), [
        'lr',
        'β1',
        'lr (pinned: llm-pretrain.optim.yaml)',
        'β1 (pinned: llm-pretrain.optim.yaml)',
      ]);
      assert.match(
        await page.locator('.pinned-text').innerText(),
        /^Pinned \(dashed\): llm-pretrain\.optim\.yaml: SequentialLR\(LinearLR, CosineAnnealingLR\) \(version 3\)$/,
      );
      assert.equal(
        await page.getByRole('button', { name: 'Compare here' }).isHidden(),
        true,
        'a pin of this file needs no Compare here',
      );
      const series = await page.evaluate(
        () => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.series,
      );
      assert.equal(series[1]!.dash, undefined, 'the current schedule is solid');
      assert.ok(Array.isArray(series[3]!.dash) && series[3]!.dash.length === 2, 'the pinned schedule is dashed');
      const [steps, lr, , pinnedLr] = await chartData(page);
      assert.equal(steps!.at(-1), 1199, 'the x range covers the longer of the two');
      assert.equal(lr![steps!.indexOf(50)], 6e-4);
      assert.equal(pinnedLr![steps!.indexOf(99)], 3e-4);
      assert.equal(pinnedLr!.at(-1), null, 'the pinned schedule ends at its own length');
      const unpin = page.getByRole('button', { name: 'Unpin' });
      assert.equal(await unpin.getAttribute('aria-pressed'), 'true');
      await unpin.click();
      assert.deepEqual((await postedMessages(page)).at(-1), { type: 'unpin' });
    });
  });

  it('a pin is labelled with its file and does not follow into another file unasked; Compare here draws it, Drop pin forgets it', async () => {
    const pinned = warmupCosineSchedule(1000, 100);
    const other: ScheduleSnapshot = {
      ...oneCycleSchedule(800),
      uri: 'file:///work/configs/resnet-onecycle.optim.yaml',
    };
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule: pinned });
      await postFromHost(page, { type: 'pinned', pinned });
      assert.deepEqual(await seriesLabels(page), [
        'lr',
        'β1',
        'lr (pinned: llm-pretrain.optim.yaml)',
        'β1 (pinned: llm-pretrain.optim.yaml)',
      ]);
      // The user moves to another file: its plot is its own.
      await postFromHost(page, { type: 'setSchedule', schedule: other });
      assert.deepEqual(await seriesLabels(page), ['lr', 'momentum']);
      const info = page.locator('.pinned-text');
      assert.equal(
        await info.innerText(),
        'Pinned: llm-pretrain.optim.yaml: SequentialLR(LinearLR, CosineAnnealingLR) (another file; not drawn here)',
      );
      // Pin here pins this file instead (the host answers); the other file's pin is not called "Unpin".
      assert.equal(await page.getByRole('button', { name: 'Pin', exact: true }).getAttribute('aria-pressed'), 'false');
      // Asked, it is drawn, dashed and labelled with its file.
      const before = await paintCount(page);
      await page.getByRole('button', { name: 'Compare here' }).click();
      await waitForPaintAfter(page, before);
      assert.deepEqual(await seriesLabels(page), [
        'lr',
        'momentum',
        'lr (pinned: llm-pretrain.optim.yaml)',
        'β1 (pinned: llm-pretrain.optim.yaml)',
      ]);
      assert.match(await info.innerText(), /^Pinned \(dashed\): llm-pretrain\.optim\.yaml: /);
      // A third file does not inherit the comparison.
      await postFromHost(page, {
        type: 'setSchedule',
        schedule: { ...other, uri: 'file:///work/configs/third.optim.yaml' },
      });
      assert.deepEqual(await seriesLabels(page), ['lr', 'momentum']);
      await page.getByRole('button', { name: 'Drop pin' }).click();
      assert.deepEqual((await postedMessages(page)).at(-1), { type: 'unpin' });
      await postFromHost(page, { type: 'pinned', pinned: null });
      assert.equal(await page.locator('.pinned-info').isHidden(), true);
    });
  });

  it("labels its markers and the run end as the CLI's plot does, from the core (issue 14)", async () => {
    const config =
      'optimizer: {type: AdamW, lr: 3.0e-4}\nscheduler: {type: LinearLR, start_factor: 0.1, total_iters: 2000}\ntraining: {steps: 12500}\n';
    const io = fakeIo({ 'w.optim.yaml': config });
    assert.equal(await run(['schedule', 'w.optim.yaml', '--out', 'w.svg'], io), 0);
    const cliLabels = markerLabelsOfSvg(String(io.written['w.svg']));
    // What the server sends the panel for the same file: the core's view.
    const analysis = analyze(config, { format: 'yaml', dialect: 'auto', fileName: 'w.optim.yaml' });
    const fromServer = scheduleView(analysis, {}, { uri: 'file:///work/w.optim.yaml', version: 1 }).data!;
    // A snapshot that carries no run-end marker of its own (an older host, a test fixture) gets the core's too.
    const bare = warmupCosineSchedule(500, 50);
    const cases: [ScheduleSnapshot, string[]][] = [
      [fromServer, cliLabels],
      [bare, markerLabelsOfSvg(scheduleSvg(bare))],
    ];
    assert.ok(cliLabels.includes('run end 12.5K'), cliLabels.join(' | '));
    for (const [schedule, expected] of cases) {
      await withPanel({ width: 900 }, async (page) => {
        await postFromHost(page, { type: 'setSchedule', schedule });
        const boxes = await page.evaluate(() =>
          (window as unknown as HarnessWindow).optimizerLensSchedule.markerLabels(),
        );
        assert.deepEqual(boxes.map((box) => box.text).sort(), [...expected].sort());
      });
    }
  });

  it('lays out marker labels close together and at both ends without clipping or overlap', async () => {
    const base = warmupCosineSchedule(1000, 100);
    const schedule: ScheduleSnapshot = {
      ...base,
      markers: [
        { step: 0, label: 'warm-up starts at start_factor', kind: 'phase' },
        { step: 3, label: 'milestone 3', kind: 'milestone' },
        { step: 6, label: 'milestone 6', kind: 'milestone' },
        { step: 500, label: 'peak lr 3e-4', kind: 'peak' },
        { step: 505, label: 'restart', kind: 'restart' },
        { step: 997, label: 'num_training_steps reached', kind: 'end' },
        { step: 999, label: 'last step', kind: 'phase' },
      ],
      totalSteps: 1000,
    };
    for (const width of [900, 420]) {
      await withPanel({ width }, async (page) => {
        await postFromHost(page, { type: 'setSchedule', schedule });
        const boxes = await page.evaluate(() =>
          (window as unknown as HarnessWindow).optimizerLensSchedule.markerLabels(),
        );
        // Seven markers and the run end at 1000: every label is drawn.
        assert.deepEqual(
          boxes.map((box) => box.text).sort(),
          [...schedule.markers.map((marker) => marker.label), 'run end 1,000'].sort(),
        );
        for (const box of boxes) {
          assert.ok(
            box.left >= 0 && box.left + box.width <= box.canvasWidth + 0.5,
            `${box.text} is clipped horizontally at width ${width}: ${JSON.stringify(box)}`,
          );
          assert.ok(
            box.top >= 0 && box.top + box.height <= box.canvasHeight,
            `${box.text} is clipped vertically: ${JSON.stringify(box)}`,
          );
        }
        for (const [index, first] of boxes.entries()) {
          for (const second of boxes.slice(index + 1)) {
            const apart =
              first.left + first.width <= second.left ||
              second.left + second.width <= first.left ||
              first.top + first.height <= second.top ||
              second.top + second.height <= first.top;
            assert.ok(apart, `"${first.text}" and "${second.text}" overlap at width ${width}`);
          }
        }
      });
    }
  });

  it('ReduceLROnPlateau: asks for the metric values, sends them to the host, and draws the schedule it gets back', async () => {
    const waiting: ScheduleSnapshot = {
      uri: 'file:///work/configs/plateau.optim.yaml',
      version: 1,
      title: 'ReduceLROnPlateau',
      lr: [],
      markers: [],
      errors: [],
      needsMetrics: true,
    };
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule: waiting }, false);
      const input = page.getByLabel('Metric per scheduler step (e.g. validation loss per epoch):');
      await input.waitFor();
      assert.match(await page.locator('.overlay').innerText(), /type your metric values above/);
      assert.equal(await page.locator('.overlay.is-error').count(), 0, 'not an error: a question');
      await input.fill('1.0, 0.9, x');
      await page.getByRole('button', { name: 'Draw' }).click();
      assert.equal(await page.locator('.metrics-status').innerText(), "Item 3 ('x') is not a number.");
      await input.fill('1.0, 0.9, 0.9, 0.9, 0.8');
      await page.getByRole('button', { name: 'Draw' }).click();
      assert.deepEqual((await postedMessages(page)).at(-1), { type: 'setMetrics', metrics: [1, 0.9, 0.9, 0.9, 0.8] });
      // The host answers with the schedule drawn from them.
      const drawn: ScheduleSnapshot = {
        ...waiting,
        version: 2,
        lr: [0.1, 0.1, 0.1, 0.1, 0.1, 0.05],
        metrics: [1, 0.9, 0.9, 0.9, 0.8],
        markers: [],
      };
      await postFromHost(page, { type: 'setSchedule', schedule: drawn });
      assert.equal(await page.locator('.overlay').isHidden(), true);
      const [steps, lr] = await chartData(page);
      assert.deepEqual(steps, [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(lr, [0.1, 0.1, 0.1, 0.1, 0.1, 0.05]);
      // The field shows the values the plot was drawn from.
      assert.equal(await input.inputValue(), '1, 0.9, 0.9, 0.9, 0.8');
    });
  });

  it('is keyboard accessible: Tab reaches the controls and the plot, arrows move the readout, +/0 zoom', async () => {
    const schedule = oneCycleSchedule(5000);
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const focused: string[] = [];
      for (let press = 0; press < 6; press++) {
        await page.keyboard.press('Tab');
        focused.push(
          await page.evaluate(
            () => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
          ),
        );
      }
      // "Reset zoom" is disabled while the whole schedule shows, so Tab skips it.
      assert.deepEqual(focused.slice(0, 5), ['Log y', 'Pin', 'Export PNG', 'Export SVG', 'Export CSV']);
      assert.match(focused[5]!, /^Learning-rate schedule/);
      assert.equal(await readoutStep(page), 0, 'focusing the plot puts the readout on the first visible step');

      const plotWidth = await page.evaluate(
        () => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.bbox.width,
      );
      const stepsPerPixel = Math.max(1, Math.round(4999 / plotWidth));
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Shift+ArrowRight');
      assert.equal(await readoutStep(page), 12 * stepsPerPixel);
      assert.match(
        (await page.locator('.readout').textContent()) ?? '',
        new RegExp(`step ${formatStep(12 * stepsPerPixel)}`),
      );
      await page.keyboard.press('ArrowLeft');
      assert.equal(await readoutStep(page), 11 * stepsPerPixel);
      await page.keyboard.press('End');
      assert.equal(await readoutStep(page), 4999);

      const before = await paintCount(page);
      await page.keyboard.press('+');
      const zoomed = await visibleView(page);
      assert.ok(zoomed && zoomed.max - zoomed.min < 2600, `+ halves the visible range, got ${JSON.stringify(zoomed)}`);
      assert.equal(await page.getByRole('button', { name: 'Reset zoom' }).isEnabled(), true);
      await page.keyboard.press('0');
      await page.waitForFunction(() => (window as unknown as HarnessWindow).optimizerLensSchedule.view() === null);
      assert.ok((await paintCount(page)) >= before);
    });
  });

  it('zooms on drag-select with finer data, pans with shift+drag, and resets on double-click', async () => {
    const schedule = oneCycleSchedule(200_000);
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      const box = (await page.locator('.u-over').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.4, box.y + 40);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.45, box.y + 60, { steps: 4 });
      await page.mouse.up();
      await page.waitForFunction(() => (window as unknown as HarnessWindow).optimizerLensSchedule.view() !== null);
      const view = (await visibleView(page))!;
      assert.ok(Math.abs(view.min - 80_000) < 1000 && Math.abs(view.max - 90_000) < 1000, JSON.stringify(view));
      // After the zoom the data is decimated again for the visible range: consecutive steps inside it.
      await page.waitForFunction(() => {
        const chart = (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!;
        const steps = chart.data[0]!;
        return steps.filter((step) => step! > chart.scales.x!.min && step! < chart.scales.x!.max).length > 1000;
      });
      const [steps] = await chartData(page);
      const inside = steps!.filter((step) => step! >= view.min && step! <= view.max);
      assert.ok(inside.length <= 4 * box.width + 8, `at most four samples per pixel column, got ${inside.length}`);
      // Zoomed, the live axes and the export of that view still show the same ticks and labels.
      const zoomedDrawn = await drawnAxisLabelsOf(page, 'window.optimizerLensSchedule.chart()');
      const zoomedSvg = (await exportVia(page, 'Export SVG')).content as string;
      assert.deepEqual(exportedTickLabels(zoomedSvg, 'x-tick'), zoomedDrawn[0], 'zoomed step labels: live = export');
      assert.deepEqual(exportedTickLabels(zoomedSvg, 'y-tick'), zoomedDrawn[1], 'zoomed lr labels: live = export');

      await page.keyboard.down('Shift');
      await page.mouse.move(box.x + box.width * 0.5, box.y + 50);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + 50, { steps: 3 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      const panned = (await visibleView(page))!;
      assert.ok(panned.min < view.min - 500, `shift+drag to the right pans back in time: ${JSON.stringify(panned)}`);
      assert.ok(Math.abs(panned.max - panned.min - (view.max - view.min)) < 1e-6, 'panning keeps the span');

      await page.mouse.dblclick(box.x + box.width * 0.5, box.y + 50);
      await page.waitForFunction(() => (window as unknown as HarnessWindow).optimizerLensSchedule.view() === null);
    });
  });

  it('decimates a 1,000,000-step schedule per pixel, keeps its extremes, and paints fast', async () => {
    await withPanel({}, async (page) => {
      const spikeStep = 654_321;
      const timing = await page.evaluate(async (spike) => {
        const steps = 1_000_000;
        const lr = new Array<number>(steps);
        for (let step = 0; step < steps; step++) {
          lr[step] =
            step < 10_000
              ? (3e-4 * (step + 1)) / 10_000
              : 3e-5 + 1.35e-4 * (1 + Math.cos((Math.PI * (step - 10_000)) / (steps - 10_000)));
        }
        lr[spike] = 1e-3;
        const schedule = {
          uri: 'file:///big.optim.yaml',
          version: 1,
          title: '1M steps',
          lr,
          markers: [],
          totalSteps: steps,
          errors: [],
        };
        const root = document.querySelector('.schedule-panel')!;
        const painted = new Promise<number>((resolve) =>
          root.addEventListener(
            'schedule-painted',
            (event) => resolve((event as CustomEvent<{ ms: number }>).detail.ms),
            { once: true },
          ),
        );
        const started = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data: { type: 'setSchedule', schedule } }));
        const viewMs = await painted;
        return { endToEndMs: performance.now() - started, viewMs };
      }, spikeStep);
      console.log(
        `1,000,000-step schedule: first paint ${timing.endToEndMs.toFixed(1)} ms after the message (${timing.viewMs.toFixed(1)} ms inside the view)`,
      );
      assert.ok(timing.endToEndMs < 2000, `first paint took ${timing.endToEndMs} ms`);
      const [steps, lr] = await chartData(page);
      const width = await page.evaluate(
        () => (window as unknown as HarnessWindow).optimizerLensSchedule.chart()!.bbox.width,
      );
      assert.ok(steps!.length <= 4 * width + 8, `${steps!.length} points for ${width} pixel columns`);
      assert.ok(steps!.length >= width, 'at least one point per pixel column');
      assert.ok(steps!.includes(spikeStep), 'the spike survives decimation');
      assert.equal(Math.max(...(lr as number[])), 1e-3);
      assert.equal(steps!.at(-1), 999_999);
    });
  });

  it('restores the last schedule and the toggles from vscode state after being hidden', async () => {
    const schedule = oneCycleSchedule(1500);
    let saved: HarnessWindow['harness']['states'][number] | undefined;
    await withPanel({}, async (page) => {
      await postFromHost(page, { type: 'setSchedule', schedule });
      await clickAndWaitForPaint(page, 'Log y');
      await page.waitForFunction(() =>
        (window as unknown as HarnessWindow).harness.states.some((state) => state.logScale),
      );
      saved = await page.evaluate(() => (window as unknown as HarnessWindow).harness.states.at(-1));
    });
    assert.ok(saved);
    assert.equal(saved.uri, schedule.uri);
    await withPanel({ initialState: saved }, async (page) => {
      // No host message yet: the panel paints from its saved state alone.
      await page.waitForFunction(() => (window as unknown as HarnessWindow).optimizerLensSchedule.chart() !== null);
      assert.equal(await page.locator('.title').textContent(), schedule.title);
      assert.equal(await page.getByRole('button', { name: 'Log y' }).getAttribute('aria-pressed'), 'true');
      const [steps, lr] = await chartData(page);
      assert.equal(lr![steps!.indexOf(100)], schedule.lr[100]);
    });
  });

  it('looks native in light, dark and high contrast themes (screenshots)', async () => {
    const current = warmupCosineSchedule(10_000, 1000, 6e-4, 6e-5);
    const pinned: ScheduleSnapshot = {
      ...warmupCosineSchedule(10_000, 500, 3e-4, 3e-5),
      markers: [{ step: 500, label: 'warm-up ends', kind: 'warmup-end' }],
    };
    const artifacts = join(repositoryRoot, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    // The last case is the dark theme in a narrow editor group, to check readability at small sizes.
    const cases = [
      { theme: 'light', name: 'light', width: 880, height: 440 },
      { theme: 'dark', name: 'dark', width: 880, height: 440 },
      { theme: 'hc', name: 'hc', width: 880, height: 440 },
      { theme: 'dark', name: 'small', width: 420, height: 300 },
    ] as const;
    for (const { theme, name, width, height } of cases) {
      await withPanel({ theme, width, height, deviceScaleFactor: 2 }, async (page) => {
        // The pin is the same document's (an earlier version), so it is drawn; alone, before a schedule, it is not.
        await postFromHost(page, { type: 'pinned', pinned }, false);
        await postFromHost(page, {
          type: 'setSchedule',
          schedule: {
            ...current,
            markers: [...current.markers, { step: 7000, label: 'milestone', kind: 'milestone' }],
          },
        });
        const box = (await page.locator('.u-over').boundingBox())!;
        await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
        await page.waitForFunction(
          () => (window as unknown as HarnessWindow).optimizerLensSchedule.readoutStep() !== null,
        );
        const path = join(artifacts, `schedule-${name}.png`);
        // Written to test/artifacts only: a test writes no tracked file (`npm run screenshots` refreshes docs/images).
        await page.screenshot({ path });
      });
    }
  });
});
