// The extensionTestsPath entry that VS Code calls in its extension host: runs the suites under mocha, writes their results.

import { renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RESULTS_ENV, RESULTS_FILE_NAME } from './resultsLocation';
import { runSuites, type SuiteModule, type TestReport } from './runner';
import { activationSuite } from './suite/activation.suite';
import { languageSuite } from './suite/language.suite';
import { workbenchSuite } from './suite/workbench.suite';

/** The activation suite goes first: it needs a window where nothing has activated the extension yet. */
const SUITES: readonly SuiteModule[] = [activationSuite, languageSuite, workbenchSuite];

function resultsPath(): string {
  const fromEnvironment = process.env[RESULTS_ENV];
  if (fromEnvironment) return fromEnvironment;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file')
    throw new Error(
      `Set ${RESULTS_ENV} or open a local folder: the extension tests have nowhere to write their results.`,
    );
  return path.join(folder.uri.fsPath, RESULTS_FILE_NAME);
}

/** Written under a temporary name, then renamed: whoever watches for the file never reads half of it. */
function writeReport(
  file: string,
  report: TestReport & { readonly vscodeVersion: string; readonly durationMs: number },
): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(report, null, 2));
  renameSync(partial, file);
}

/** test-electron's convention: resolve when every test passed, reject otherwise (code-server ignores the outcome). */
export async function run(): Promise<void> {
  const file = resultsPath();
  const started = Date.now();
  // mocha's spec reporter prints each result to the extension host's console as it comes.
  const report = await runSuites(SUITES, { defaultTimeoutMs: 60_000, reporter: 'spec' });
  writeReport(file, { ...report, vscodeVersion: vscode.version, durationMs: Date.now() - started });
  console.log(
    `Optimizer Lens extension tests: ${report.passed} of ${report.defined} passed, ${report.failed} failed; results in ${file}`,
  );
  if (report.failed > 0 || report.passed !== report.defined)
    throw new Error(
      `${report.passed} of ${report.defined} extension tests passed, ${report.failed} failed (see ${file}).`,
    );
}
