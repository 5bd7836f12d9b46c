// Driving the VS Code workbench (code-server in Debian's Chromium) the way a user does: shared by the e2e suites.

import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startCodeServer, type CodeServerOptions, type RunningCodeServer } from './codeServer';

/** Where the suites leave screenshots and figures; the minimum-VS Code run (OPTLENS_E2E_CODE_SERVER set) keeps its own. */
export const ARTIFACTS = path.join(
  ROOT,
  'test',
  'artifacts',
  process.env.OPTLENS_E2E_CODE_SERVER ? 'e2e-min-vscode' : 'e2e',
);

/** Debian's Chromium headless, without background traffic: the e2e suites, the in-editor runner and the browser tests. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium with a fresh profile, and its first page. */
export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'optlens-chromium-')), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export interface Workbench {
  readonly server: RunningCodeServer;
  readonly page: Page;
  /** Closes the browser, then stops code-server. */
  close(): Promise<void>;
}

export interface WorkbenchOptions extends Omit<CodeServerOptions, 'extensionPath' | 'vsix' | 'noInstalledExtension'> {
  /** The page's size, when not the browser's 1400x900. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Whether to open `workspace` in the workbench and wait for its explorer; true when absent. */
  readonly openWorkspace?: boolean;
}

/**
 * A suite's set-up: the artifacts folder, code-server on `workspace` with the extension as users install it (the
 * packaged .vsix from `npm run package`; the repository folder when there is none or OPTLENS_E2E_FOLDER is set, for
 * quick local runs), and Chromium on it. What was started is closed again when a later step fails.
 */
export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const { viewport, openWorkspace = true, ...serverOptions } = options;
  mkdirSync(ARTIFACTS, { recursive: true });
  const vsix = path.join(ROOT, 'optimizer-lens.vsix');
  const server = await startCodeServer({
    ...serverOptions,
    ...(existsSync(vsix) && !process.env.OPTLENS_E2E_FOLDER ? { vsix } : { extensionPath: ROOT }),
  });
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close();
    await server.stop();
  };
  try {
    const browser = await launchBrowser();
    context = browser.context;
    if (viewport) await browser.page.setViewportSize(viewport);
    if (openWorkspace) await openFolder(browser.page, server.url, options.workspace);
    return { server, page: browser.page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Opens a folder in the workbench and waits for its explorer. */
export async function openFolder(page: Page, serverUrl: string, folder: string): Promise<void> {
  await page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Opens a file through Quick Open (Ctrl+P) and waits for its tab to be the active one. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor();
  await input.fill(name);
  // Anchored, so that `mistakes.optim.yaml` does not pick `common-mistakes.optim.yaml`.
  const exact = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  await page.locator('.quick-input-list .monaco-list-row .label-name', { hasText: exact }).first().click();
  await page.locator(`.tab.active[data-resource-name="${name}"]`).first().waitFor();
}

/** The screen position of a word in the editor, whatever the tokenisation splits it into. */
export async function wordCenter(page: Page, word: string): Promise<{ x: number; y: number }> {
  const handle = page.locator('.monaco-editor .view-lines').first();
  await handle.locator('.view-line', { hasText: word }).first().waitFor();
  return handle.evaluate((root, target) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = (node.textContent ?? '').indexOf(target);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + target.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    }
    throw new Error(`${target} is not on screen`);
  }, word);
}

/** Runs a command from the command palette (F1) by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"]');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}
