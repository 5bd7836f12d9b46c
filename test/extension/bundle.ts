// Bundles the in-editor test modules into one CommonJS file that VS Code's extension host can require, after making
// sure the extension's own bundles are as new as its sources.

import * as path from 'node:path';
import { build } from 'esbuild';
import { ensureFreshBundles } from '../freshBundles';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXTENSION_TESTS_BUNDLE = path.join(ROOT, 'out', 'extension-tests', 'index.js');

/** What VS Code loads for the extension under test: the client (package.json `main`), the server and its worker. */
export const EXTENSION_BUNDLES = [
  'dist/client.js',
  'dist/server.js',
  'dist/worker.js',
  'dist/webview/schedule.js',
  'dist/webview/rangeTest.js',
  'dist/webview/landscape.js',
];

/**
 * `vscode` is provided by the extension host, and mocha is required from the repository's node_modules as published
 * (bundled, its parallel mode's `require.resolve` calls draw warnings); everything else (the catalog) goes into the bundle.
 */
export async function bundleExtensionTests(): Promise<string> {
  // The test modules are bundled fresh on every run; the extension's bundles are rebuilt when a source is newer.
  ensureFreshBundles(EXTENSION_BUNDLES, ROOT);
  await build({
    entryPoints: [path.join(__dirname, 'index.ts')],
    outfile: EXTENSION_TESTS_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return EXTENSION_TESTS_BUNDLE;
}
