// Runs the in-editor test modules inside code-server (the test-electron equivalent here) and collects their results.
// Usage: node --import tsx test/extension/runCodeServer.ts   (exit 0 when every test passed)

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, watch } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from '../e2e/codeServer';
import { CHROMIUM_ARGS } from '../e2e/workbench';
import { bundleExtensionTests, ROOT } from './bundle';
import { RESULTS_ENV, RESULTS_FILE_NAME } from './resultsLocation';
import type { TestReport } from './runner';

/** The file name the harness asks for through the environment; the workspace fallback has another name, so we learn which worked. */
const RESULTS_FROM_ENV_NAME = '.optlens-extension-test-results.env.json';

export interface CodeServerTestRun {
  readonly report: TestReport & { readonly vscodeVersion?: string; readonly durationMs?: number };
  /** `environment` when the extension host saw OPTLENS_EXTENSION_TEST_RESULTS, `workspace` when it used the fallback. */
  readonly resultsDelivered: 'environment' | 'workspace';
  readonly workspace: string;
  readonly timings: {
    readonly bundleMs: number;
    readonly startServerMs: number;
    readonly testsMs: number;
    readonly totalMs: number;
  };
}

function dateMs(start: number): number {
  return Date.now() - start;
}

/** The newest extension host log under code-server's user data folder, for failure messages. */
function extensionHostLog(server: RunningCodeServer): string {
  const logs = path.join(server.dir, 'data', 'logs');
  const found: string[] = [];
  const walk = (folder: string): void => {
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'exthost.log' || name.endsWith('Optimizer Lens.log')) found.push(full);
    }
  };
  walk(logs);
  return found.map((file) => `--- ${path.relative(logs, file)}\n${readFileSync(file, 'utf8').slice(-3000)}`).join('\n');
}

/**
 * Resolves with the first of `names` to appear in `folder`: watches the folder (an event, not polling) and checks once
 * after the watch is set up, so a file written before that is not missed. Rejects when `failure` rejects or on timeout.
 */
function waitForFile(
  folder: string,
  names: readonly string[],
  timeoutMs: number,
  failure: Promise<never>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const present = (): string | undefined => names.find((name) => existsSync(path.join(folder, name)));
    const watcher = watch(folder, (_event, changed) => {
      if (changed && names.includes(changed.toString()) && present()) finish(() => resolve(present()!));
    });
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no test results in ${folder} after ${timeoutMs} ms`))),
      timeoutMs,
    );
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      settle();
    };
    failure.catch((error: unknown) => finish(() => reject(error)));
    const already = present();
    if (already) finish(() => resolve(already));
  });
}

export async function runExtensionTestsInCodeServer(
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<CodeServerTestRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const timeoutMs = options.timeoutMs ?? Number(process.env.OPTLENS_EXTENSION_TEST_TIMEOUT_MS ?? 240_000);
  const started = Date.now();
  for (const built of ['dist/client.js', 'dist/server.js']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first.`);
  }
  const bundle = await bundleExtensionTests();
  const bundleMs = dateMs(started);

  const workspace = mkdtempSync(path.join(os.tmpdir(), 'optlens-extension-ws-'));
  const serverStarted = Date.now();
  const server = await startCodeServer({
    workspace,
    noInstalledExtension: true,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    env: { [RESULTS_ENV]: path.join(workspace, RESULTS_FROM_ENV_NAME) },
  });
  const startServerMs = dateMs(serverStarted);
  let context: BrowserContext | undefined;
  const consoleLines: string[] = [];
  const browserProfile = mkdtempSync(path.join(os.tmpdir(), 'optlens-chromium-'));
  let succeeded = false;
  try {
    context = await chromium.launchPersistentContext(browserProfile, {
      executablePath: '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    const remote = (file: string): string => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(bundle)],
    ]);
    const testsStarted = Date.now();
    const serverExited = new Promise<never>((_, reject) => {
      server.process.once('exit', (code) =>
        reject(new Error(`code-server exited with ${code} before the tests finished`)),
      );
    });
    const pageCrashed = new Promise<never>((_, reject) => {
      page.once('crash', () => reject(new Error('the workbench page crashed')));
    });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const found = await waitForFile(
      workspace,
      [RESULTS_FROM_ENV_NAME, RESULTS_FILE_NAME],
      timeoutMs,
      Promise.race([serverExited, pageCrashed]),
    );
    const report = JSON.parse(readFileSync(path.join(workspace, found), 'utf8')) as CodeServerTestRun['report'];
    succeeded = report.failed === 0;
    return {
      report,
      resultsDelivered: found === RESULTS_FROM_ENV_NAME ? 'environment' : 'workspace',
      workspace,
      timings: { bundleMs, startServerMs, testsMs: dateMs(testsStarted), totalMs: dateMs(started) },
    };
  } catch (error) {
    log(`code-server output:\n${server.log().slice(-3000)}`);
    log(`extension host logs:\n${extensionHostLog(server)}`);
    log(`browser console (last 40 lines):\n${consoleLines.slice(-40).join('\n')}`);
    throw error;
  } finally {
    await context?.close();
    await server.stop();
    // Kept after a failure, for its logs; the message above names the folders.
    if (succeeded)
      for (const folder of [workspace, browserProfile, server.dir]) rmSync(folder, { recursive: true, force: true });
    else log(`kept for inspection: workspace ${workspace}, code-server data ${server.dir}`);
  }
}

export function printReport(run: CodeServerTestRun, log: (line: string) => void = (line) => console.log(line)): void {
  for (const test of run.report.tests)
    log(
      `${test.ok ? 'ok    ' : 'FAILED'} ${test.name} (${test.durationMs} ms)${test.error ? `\n       ${test.error.split('\n').join('\n       ')}` : ''}`,
    );
  log(
    `${run.report.passed} passed, ${run.report.failed} failed in VS Code ${run.report.vscodeVersion ?? '?'} (code-server); results delivered through the ${run.resultsDelivered}`,
  );
  log(
    `timings: bundle ${run.timings.bundleMs} ms, code-server start ${run.timings.startServerMs} ms, tests in the workbench ${run.timings.testsMs} ms, total ${run.timings.totalMs} ms`,
  );
}

if (require.main === module) {
  runExtensionTestsInCodeServer().then(
    (run) => {
      printReport(run);
      process.exit(run.report.failed === 0 && run.report.passed > 0 ? 0 : 1);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
