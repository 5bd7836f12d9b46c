// Drives the bundled schedule webview in Debian's Chromium through playwright-core, with a stub VS Code host.

import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HostToWebviewMessage, ScheduleWebviewState, WebviewToHostMessage } from '../../webview/src/protocol';
import type { MarkerLabelBox } from '../../webview/src/schedule/schedulePanelView';
import { CHROMIUM_ARGS } from '../e2e/workbench';
import { ensureFreshBundles } from '../freshBundles';

export const repositoryRoot = resolve(import.meta.dirname, '..', '..');
export type ThemeName = 'light' | 'dark' | 'hc';

/** The panels `harness/panelHarness.html` can host: the name of each one's bundle and style sheet in dist/webview. */
export type PanelName = 'schedule' | 'rangeTest' | 'landscape';

/** What the harness page exposes on `window`; see `harness/vscodeStub.js` and `webview/src/schedule/main.ts`. */
export interface HarnessWindow {
  harness: {
    posted: WebviewToHostMessage[];
    states: ScheduleWebviewState[];
    violations: string[];
    applyTheme(name: ThemeName): void;
  };
  optimizerLensSchedule: {
    chart(): {
      data: (number | null)[][];
      scales: Record<string, { min: number; max: number; distr: number }>;
      series: { label: string; dash?: number[]; stroke: unknown }[];
      bbox: { left: number; top: number; width: number; height: number };
      valToPos(value: number, scale: string): number;
    } | null;
    seriesLabels(): string[];
    seriesStrokes(): string[];
    readoutStep(): number | null;
    view(): { min: number; max: number } | null;
    lastPaintMs(): number | null;
    theme(): { kind: string; background: string; lr: string };
    markerLabels(): MarkerLabelBox[];
    axisChoices(): Record<'x' | 'lr' | 'momentum', { target: number; ticks: number[]; labels: string[] } | null> | null;
  };
}

/** The labels uPlot drew on each axis of `chart` at its last draw (its `_values`), in axis order. */
export function drawnAxisLabels(chart: unknown): string[][] {
  return (chart as { axes: { _values?: string[] }[] }).axes.map((axis) => [...(axis._values ?? [])]);
}

/** The labels uPlot drew on each axis of the chart that the page expression `chart` gives, in axis order. */
export async function drawnAxisLabelsOf(page: Page, chart: string): Promise<string[][]> {
  return (await page.evaluate(`(${drawnAxisLabels.toString()})(${chart})`)) as string[][];
}

/** The tick labels of the core plot module's axes in an exported SVG (`x-tick`, `y-tick`, `y2-tick` texts), in order. */
export function exportedTickLabels(svg: string, role: 'x-tick' | 'y-tick' | 'y2-tick'): string[] {
  return [...svg.matchAll(new RegExp(`<text class="${role}"[^>]*>([^<]*)</text>`, 'g'))].map((match) => match[1]!);
}

/** The webview bundles the browser tests load (they import the core's views, so every source folder counts). */
export const WEBVIEW_BUNDLES = ['dist/webview/schedule.js', 'dist/webview/rangeTest.js', 'dist/webview/landscape.js'];

/** Builds the bundles when a webview bundle is missing or older than any source file. */
export function ensureWebviewBundle(): void {
  ensureFreshBundles(WEBVIEW_BUNDLES, repositoryRoot);
}

/**
 * A browser-test file's set-up, registered as its hooks: fresh webview bundles and one Chromium before its tests,
 * closed after them. Returns the browser, for the tests to call once the hooks ran.
 */
export function chromiumForTests(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    ensureWebviewBundle();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is started by the before hook: call this from a test.');
    return browser;
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface OpenedPanel {
  readonly page: Page;
  /** Page errors and console errors seen so far; a test ends by asserting there were none. */
  readonly problems: string[];
  close(): Promise<void>;
}

export interface HarnessPageOptions<State = unknown> {
  readonly theme?: ThemeName;
  readonly width?: number;
  readonly height?: number;
  readonly deviceScaleFactor?: number;
  /** What `vscode.getState()` returns at start-up, as after the panel was hidden and shown again. */
  readonly initialState?: State;
}

export type OpenOptions = HarnessPageOptions<ScheduleWebviewState>;

/**
 * Opens the harness page of `panel` in a fresh browser context, `viewport` in size unless the options say otherwise,
 * and waits for the webview's `ready` handshake.
 */
export async function openHarnessPage(
  browser: Browser,
  panel: PanelName,
  options: HarnessPageOptions,
  viewport: { readonly width: number; readonly height: number },
): Promise<OpenedPanel> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? viewport.width, height: options.height ?? viewport.height },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
  });
  // The harness reads these before the bundle runs; init scripts bypass the page's CSP as VS Code's own do.
  await context.addInitScript(
    ({ theme, state }) => {
      const target = window as unknown as { harnessThemeName?: string; harnessInitialState?: unknown };
      target.harnessThemeName = theme;
      target.harnessInitialState = state ?? undefined;
    },
    { theme: options.theme ?? 'dark', state: options.initialState ?? null },
  );
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const url = pathToFileURL(join(repositoryRoot, 'test', 'webview', 'harness', 'panelHarness.html'));
  url.searchParams.set('panel', panel);
  await page.goto(url.href);
  await page.waitForFunction(() =>
    (window as unknown as HarnessWindow).harness.posted.some((message) => message.type === 'ready'),
  );
  return { page, problems, close: () => context.close() };
}

/** Opens the schedule panel's harness and waits for the webview's `ready` handshake. */
export async function openSchedulePanel(browser: Browser, options: OpenOptions = {}): Promise<OpenedPanel> {
  return openHarnessPage(browser, 'schedule', options, { width: 900, height: 520 });
}

/** Posts a host message as VS Code delivers it and waits until the plot has painted (when `waitForPaint`). */
export async function postFromHost(page: Page, message: HostToWebviewMessage, waitForPaint = true): Promise<void> {
  const paintsBefore = await paintCount(page);
  await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
  if (waitForPaint) await waitForPaintAfter(page, paintsBefore);
}

export async function paintCount(page: Page): Promise<number> {
  return page.evaluate(() => Number(document.querySelector<HTMLElement>('.schedule-panel')?.dataset.paintCount ?? '0'));
}

export async function waitForPaintAfter(page: Page, paintsBefore: number): Promise<void> {
  await page.waitForFunction(
    (before) => Number(document.querySelector<HTMLElement>('.schedule-panel')?.dataset.paintCount ?? '0') > before,
    paintsBefore,
  );
}

export async function postedMessages(page: Page): Promise<WebviewToHostMessage[]> {
  return page.evaluate(() => (window as unknown as HarnessWindow).harness.posted);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as HarnessWindow).harness.violations);
}
