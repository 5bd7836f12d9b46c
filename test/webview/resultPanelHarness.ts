// Opens the bundled range-test and landscape webviews in Chromium with the stub VS Code host, and loads the fixtures.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { RangeTestView, SimulationView } from '../../server/src/protocol';
import {
  chromiumForTests,
  openHarnessPage,
  repositoryRoot,
  type HarnessPageOptions,
  type OpenedPanel,
  type PanelName,
  type ThemeName,
} from './webviewHarness';

export type ResultPanelKind = Extract<PanelName, 'rangeTest' | 'landscape'>;

export type OpenedResultPanel = OpenedPanel;

export type ResultPanelOptions = HarnessPageOptions;

export function loadFixture<T extends RangeTestView | SimulationView>(name: string): T {
  return JSON.parse(readFileSync(join(repositoryRoot, 'test', 'fixtures', 'webview', name), 'utf8')) as T;
}

/** Opens a result panel's harness page in a fresh browser context and waits for the webview's `ready` handshake. */
export async function openResultPanel(
  browser: Browser,
  kind: ResultPanelKind,
  options: ResultPanelOptions = {},
): Promise<OpenedResultPanel> {
  return openHarnessPage(browser, kind, options, { width: 1000, height: 720 });
}

export interface HarnessGlobals {
  harness: {
    posted: { type: string; [key: string]: unknown }[];
    states: unknown[];
    violations: string[];
    applyTheme(name: ThemeName): void;
  };
}

/** Posts a host message as VS Code delivers it and waits until the panel has painted again. */
export async function postToPanel(page: Page, rootSelector: string, message: unknown): Promise<void> {
  const before = await page.evaluate(
    (selector) => Number(document.querySelector<HTMLElement>(selector)?.dataset.paintCount ?? '0'),
    rootSelector,
  );
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
  await page.waitForFunction(
    ({ selector, count }) => Number(document.querySelector<HTMLElement>(selector)?.dataset.paintCount ?? '0') > count,
    { selector: rootSelector, count: before },
  );
}

export async function posted(page: Page): Promise<HarnessGlobals['harness']['posted']> {
  return page.evaluate(() => (window as unknown as HarnessGlobals).harness.posted);
}

/** What a result panel's debug object reports as its theme for each harness theme. */
const THEME_KINDS: Record<ThemeName, string> = { light: 'light', dark: 'dark', hc: 'high-contrast' };

/**
 * Switches the harness page to `theme` as VS Code does, and waits until the panel's debug object (`window[debugName]`,
 * e.g. `optimizerLensLandscape`) reports it.
 */
export async function switchTheme(page: Page, theme: ThemeName, debugName: string): Promise<void> {
  await page.evaluate((name) => (window as unknown as HarnessGlobals).harness.applyTheme(name), theme);
  await page.waitForFunction(
    ({ debugName, kind }) =>
      (window as unknown as Record<string, { theme(): { kind: string } }>)[debugName]!.theme().kind === kind,
    { debugName, kind: THEME_KINDS[theme] },
  );
}

/** Clicks `locator`-named button and returns the message the webview posted for it. */
export async function clickAndCapture(
  page: Page,
  name: string | RegExp,
): Promise<HarnessGlobals['harness']['posted'][number]> {
  const count = (await posted(page)).length;
  await page.getByRole('button', { name }).click();
  await page.waitForFunction((before) => (window as unknown as HarnessGlobals).harness.posted.length > before, count);
  return (await posted(page)).at(-1)!;
}

/** Exports CSV through the panel's button, checks the file name, header row and row count given, and returns the rows. */
export async function exportCsv(
  page: Page,
  expected: { suggestedName?: string; header?: string; rowCount?: number } = {},
): Promise<string[]> {
  const csv = await clickAndCapture(page, 'Export CSV');
  assert.equal(csv.type, 'export');
  const rows = (csv.content as string).trimEnd().split('\n');
  if (expected.suggestedName !== undefined) assert.equal(csv.suggestedName, expected.suggestedName);
  if (expected.header !== undefined) assert.equal(rows[0], expected.header);
  if (expected.rowCount !== undefined) assert.equal(rows.length, expected.rowCount);
  return rows;
}

/** Exports SVG through the panel's button and checks that it is an SVG document. */
export async function exportSvg(page: Page): Promise<string> {
  const svg = (await clickAndCapture(page, 'Export SVG')).content as string;
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  return svg;
}

/** Exports PNG through the panel's button, checks that base64 PNG bytes came, and returns them. */
export async function exportPng(page: Page): Promise<Buffer> {
  const png = await clickAndCapture(page, 'Export PNG');
  assert.equal(png.encoding, 'base64');
  const bytes = Buffer.from(png.content as string, 'base64');
  assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  return bytes;
}

/** Counts pixels in a canvas region (CSS pixels) whose colour differs from `background` by more than `tolerance`. */
export async function paintedPixels(
  page: Page,
  selector: string,
  region: { x: number; y: number; width: number; height: number },
  tolerance = 24,
): Promise<{ painted: number; total: number }> {
  return page.evaluate(
    ({ selector, region, tolerance }) => {
      const canvas = document.querySelector<HTMLCanvasElement>(selector)!;
      const ratio = canvas.width / canvas.getBoundingClientRect().width;
      const context = canvas.getContext('2d')!;
      const x = Math.round(region.x * ratio);
      const y = Math.round(region.y * ratio);
      const width = Math.max(1, Math.round(region.width * ratio));
      const height = Math.max(1, Math.round(region.height * ratio));
      const data = context.getImageData(x, y, width, height).data;
      const probe = document.createElement('canvas').getContext('2d')!;
      probe.fillStyle = getComputedStyle(document.body).backgroundColor;
      probe.fillRect(0, 0, 1, 1);
      const [red, green, blue] = probe.getImageData(0, 0, 1, 1).data;
      let painted = 0;
      for (let offset = 0; offset < data.length; offset += 4) {
        const distance =
          Math.abs(data[offset]! - red!) + Math.abs(data[offset + 1]! - green!) + Math.abs(data[offset + 2]! - blue!);
        if (distance > tolerance) painted++;
      }
      return { painted, total: data.length / 4 };
    },
    { selector, region, tolerance },
  );
}

/** The name of each result panel's debug object on `window`. */
const DEBUG_NAMES: Record<ResultPanelKind, string> = {
  rangeTest: 'optimizerLensRangeTest',
  landscape: 'optimizerLensLandscape',
};

/** What a theme-switch test checks (see `resultPanelOpeners`): first in the dark theme, then in light. */
export interface ThemeSwitchChecks {
  readonly inDark?: (page: Page) => Promise<void>;
  readonly inLight: (page: Page) => Promise<void>;
}

/**
 * A result panel test file's openers, with Chromium started for the file: `withPanel` opens the panel (see
 * `withResultPanel`), `withView` also shows a view in it first (through `show`) before running `body`, and
 * `withThemeSwitches` shows a view in the dark theme, runs `checks.inDark`, switches to light and runs
 * `checks.inLight`, then switches to high contrast.
 */
export function resultPanelOpeners<View>(
  kind: ResultPanelKind,
  show: (page: Page, view: View) => Promise<void>,
): {
  withPanel: (options: ResultPanelOptions, body: (page: Page) => Promise<void>) => Promise<void>;
  withView: (view: View, options: ResultPanelOptions, body: (page: Page) => Promise<void>) => Promise<void>;
  withThemeSwitches: (view: View, checks: ThemeSwitchChecks) => Promise<void>;
} {
  const browser = chromiumForTests();
  const withPanel = (options: ResultPanelOptions, body: (page: Page) => Promise<void>): Promise<void> =>
    withResultPanel(browser(), kind, options, body);
  const withView = (view: View, options: ResultPanelOptions, body: (page: Page) => Promise<void>): Promise<void> =>
    withPanel(options, async (page) => {
      await show(page, view);
      await body(page);
    });
  return {
    withPanel,
    withView,
    withThemeSwitches: (view, checks) =>
      withView(view, { theme: 'dark' }, async (page) => {
        await checks.inDark?.(page);
        await switchTheme(page, 'light', DEBUG_NAMES[kind]);
        await checks.inLight(page);
        await switchTheme(page, 'hc', DEBUG_NAMES[kind]);
      }),
  };
}

/**
 * Opens a result panel, runs `body` on its page, then checks what every panel test checks: nothing broke the
 * strict CSP and the page logged no errors. The panel is closed either way.
 */
export async function withResultPanel(
  browser: Browser,
  kind: ResultPanelKind,
  options: ResultPanelOptions,
  body: (page: Page) => Promise<void>,
): Promise<void> {
  const opened = await openResultPanel(browser, kind, options);
  try {
    await body(opened.page);
    assert.deepEqual(
      await opened.page.evaluate(() => (window as unknown as HarnessGlobals).harness.violations),
      [],
      'the webview must work under the strict CSP',
    );
    assert.deepEqual(opened.problems, [], 'no page or console errors');
  } finally {
    await opened.close();
  }
}
