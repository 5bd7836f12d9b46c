// Runs the same in-editor test modules in a downloaded VS Code desktop through @vscode/test-electron, where it can.
// Usage: node --import tsx test/extension/runTestElectron.ts
// @vscode/test-electron is not a dependency (it cannot download VS Code on machines without network access to
// update.code.visualstudio.com); when it is missing or the download fails, this says so and exits 1, or 0 when
// OPTLENS_ALLOW_NO_ELECTRON=1 (then the code-server runner, runCodeServer.ts, is the one that counts).

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundleExtensionTests, ROOT } from './bundle';
import { RESULTS_ENV, RESULTS_FILE_NAME } from './resultsLocation';
import type { TestReport } from './runner';

/** The part of @vscode/test-electron's API used here, typed locally because the package is optional. */
interface TestElectron {
  downloadAndUnzipVSCode(version?: string): Promise<string>;
  runTests(options: {
    vscodeExecutablePath: string;
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs: string[];
    extensionTestsEnv: Record<string, string>;
  }): Promise<number>;
}

/** A variable, so that neither TypeScript nor esbuild tries to resolve the optional package ahead of time. */
const TEST_ELECTRON_PACKAGE = '@vscode/test-electron';

function unavailable(reason: string): never {
  const allowed = process.env.OPTLENS_ALLOW_NO_ELECTRON === '1';
  console.error(`@vscode/test-electron cannot run here: ${reason}`);
  console.error(
    allowed
      ? 'OPTLENS_ALLOW_NO_ELECTRON=1: not counted as a failure; run the same suites in code-server with `node scripts/runTests.mjs test/extension`.'
      : 'Set OPTLENS_ALLOW_NO_ELECTRON=1 to accept this (and rely on test/extension/runCodeServer.ts), or install it: npm install --save-dev @vscode/test-electron',
  );
  process.exit(allowed ? 0 : 1);
}

async function main(): Promise<number> {
  let testElectron: TestElectron;
  try {
    testElectron = (await import(TEST_ELECTRON_PACKAGE)) as TestElectron;
  } catch (error) {
    return unavailable(
      `the package is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  for (const built of ['dist/client.js', 'dist/server.js']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first.`);
  }
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode(process.env.OPTLENS_VSCODE_VERSION);
  } catch (error) {
    return unavailable(`downloading VS Code failed (${error instanceof Error ? error.message : String(error)})`);
  }
  const bundle = await bundleExtensionTests();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'optlens-extension-ws-'));
  const resultsFile = path.join(workspace, RESULTS_FILE_NAME);
  let exitCode: number;
  try {
    exitCode = await testElectron.runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: bundle,
      launchArgs: [workspace],
      extensionTestsEnv: { [RESULTS_ENV]: resultsFile },
    });
  } catch (error) {
    // runTests rejects when VS Code exits non-zero, which is what a thrown run() leads to.
    console.error(`VS Code reported a failure: ${error instanceof Error ? error.message : String(error)}`);
    exitCode = 1;
  }
  if (!existsSync(resultsFile)) {
    console.error(`The tests wrote no results to ${resultsFile}.`);
    return 1;
  }
  const report = JSON.parse(readFileSync(resultsFile, 'utf8')) as TestReport;
  for (const test of report.tests)
    console.log(`${test.ok ? 'ok    ' : 'FAILED'} ${test.name}${test.error ? `\n       ${test.error}` : ''}`);
  console.log(`${report.passed} passed, ${report.failed} failed (VS Code desktop via @vscode/test-electron)`);
  rmSync(workspace, { recursive: true, force: true });
  return exitCode === 0 && report.failed === 0 && report.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
