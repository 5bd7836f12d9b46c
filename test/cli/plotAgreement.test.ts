// The CLI's SVG (`optlens schedule --format svg`) and the schedule panel's SVG export draw the same schedule with the
// same ticks and tick labels, because both lay out and write through the core's plot module.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScheduleData } from '../../server/src/protocol';
import { scheduleSvg as cliScheduleSvg } from '../../server/src/core/plot/svg';
import { scheduleSvg as panelScheduleSvg, type SvgSeries } from '../../webview/src/schedule/svgExport';
import { decimateMinMax } from '../../webview/src/schedule/decimate';
import { fallbackDark, type PlotTheme } from '../../webview/src/common/theme';

/** The webview's own dark palette, with an editor font and a thicker line. */
const editorTheme: PlotTheme = {
  kind: 'dark',
  ...fallbackDark,
  fontFamily: "'Segoe WPC', sans-serif",
  fontSizePx: 13,
  lineWidth: 2,
};

interface SvgText {
  readonly role: string;
  readonly x: number;
  readonly y: number;
  readonly text: string;
}

/** Every `<text>` element with a class, as role, position and content (entities decoded). */
function textsOf(svg: string): SvgText[] {
  return Array.from(
    svg.matchAll(/<text class="([^"]+)" x="([-\d.]+)" y="([-\d.]+)"[^>]*>([^<]*)<\/text>/g),
    (match) => ({
      role: match[1]!,
      x: Number(match[2]),
      y: Number(match[3]),
      text: match[4]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, '&'),
    }),
  );
}

function ticksOf(svg: string): SvgText[] {
  return textsOf(svg).filter((text) => /^(x|y|y2)-tick$/.test(text.role));
}

/** What the panel passes to its export for the whole run: the min/max-decimated series at the plot's width. */
function panelSvg(data: ScheduleData, options: { logScale: boolean; width: number; height: number }): string {
  const lastStep = Math.max(1, data.lr.length - 1, data.totalSteps ?? 0);
  const plotted: { label: string; axis: 'lr' | 'momentum'; values: readonly number[] }[] = [
    { label: 'lr', axis: 'lr', values: data.lr },
  ];
  if (data.momentum) plotted.push({ label: 'momentum', axis: 'momentum', values: data.momentum });
  const decimated = decimateMinMax(
    plotted.map((series) => series.values),
    { fromStep: 0, toStep: lastStep, buckets: options.width },
  );
  const series: SvgSeries[] = plotted.map((entry, index) => ({
    label: entry.label,
    axis: entry.axis,
    values: decimated.columns[index]!.map((value) =>
      options.logScale && entry.axis === 'lr' && !(value !== null && value > 0) ? null : value,
    ),
    color: index === 0 ? editorTheme.lr : editorTheme.momentum,
    dashed: false,
  }));
  return panelScheduleSvg({
    width: options.width,
    height: options.height,
    title: data.title,
    theme: editorTheme,
    logScale: options.logScale,
    stepRange: { min: 0, max: lastStep },
    steps: decimated.steps,
    series,
    markers: data.markers.map((marker) => ({
      step: marker.step,
      label: marker.label,
      color: editorTheme.marker,
      dashed: true,
    })),
  });
}

function schedule(lr: readonly number[], extra: Partial<ScheduleData> = {}): ScheduleData {
  return { uri: 'file:///w/a.optim.yaml', version: 1, title: 'schedule', lr, markers: [], errors: [], ...extra };
}

/** Linear warm-up to 3e-4 over 200 steps, cosine to zero at step 5000, momentum cycling against it. */
function warmupCosine(): ScheduleData {
  const steps = 5000;
  const lr = Array.from({ length: steps }, (_, step) =>
    step < 200 ? (3e-4 * (step + 1)) / 200 : 1.5e-4 * (1 + Math.cos((Math.PI * (step - 200)) / (steps - 200))),
  );
  return schedule(lr, {
    title: 'SequentialLR(LinearLR, CosineAnnealingLR)',
    momentum: lr.map((value) => 0.95 - (0.1 * value) / 3e-4),
    markers: [{ step: 199, label: 'warm-up ends', kind: 'warmup-end' }],
    totalSteps: steps,
  });
}

/** Step decay from 0.1 by 10x every 30,000 steps over 100,000 steps: a log axis over four decades. */
function stepDecay(): ScheduleData {
  return schedule(
    Array.from({ length: 100_000 }, (_, step) => 0.1 * 0.1 ** Math.floor(step / 30_000)),
    { title: 'StepLR', totalSteps: 100_000 },
  );
}

describe('the CLI and the panel export draw the same axes', () => {
  const cases: [string, ScheduleData, boolean, number, number][] = [
    ['warm-up and cosine with momentum, linear lr, 800x450', warmupCosine(), false, 800, 450],
    ['warm-up and cosine with momentum, log lr, 1100x520', warmupCosine(), true, 1100, 520],
    ['step decay over 100,000 steps, log lr, 640x360', stepDecay(), true, 640, 360],
    ['step decay over 100,000 steps, linear lr, 800x450', stepDecay(), false, 800, 450],
  ];
  for (const [name, data, logScale, width, height] of cases) {
    test(name, () => {
      const cli = ticksOf(cliScheduleSvg(data, { logY: logScale, width, height }));
      const panel = ticksOf(panelSvg(data, { logScale, width, height }));
      for (const role of ['x-tick', 'y-tick'])
        assert.ok(cli.filter((text) => text.role === role).length >= 2, `the CLI's SVG has ${role} labels`);
      // Same labels at the same places: the same tick values, the same number format and the same layout.
      assert.deepEqual(panel, cli);
    });
  }

  test('the momentum axis is labelled on the right in both', () => {
    const data = warmupCosine();
    const cli = ticksOf(cliScheduleSvg(data))
      .filter((text) => text.role === 'y2-tick')
      .map((text) => text.text);
    const panel = ticksOf(panelSvg(data, { logScale: false, width: 800, height: 450 }))
      .filter((text) => text.role === 'y2-tick')
      .map((text) => text.text);
    assert.ok(cli.length >= 2, cli.join(' '));
    assert.deepEqual(panel, cli);
  });

  test('tick labels use the compact format: 1e-4 on a log axis, 20k for steps', () => {
    const texts = ticksOf(cliScheduleSvg(stepDecay(), { logY: true })).map((text) => text.text);
    assert.ok(texts.includes('1e-4') && texts.includes('20k'), texts.join(' '));
  });
});
