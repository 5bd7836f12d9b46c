// Bundles the in-editor test modules into one CommonJS file that VS Code's extension host can require.

import * as path from 'node:path';
import { build } from 'esbuild';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXTENSION_TESTS_BUNDLE = path.join(ROOT, 'out', 'extension-tests', 'index.js');

/**
 * `vscode` is provided by the extension host, and mocha is required from the repository's node_modules as published
 * (bundled, its parallel mode's `require.resolve` calls draw warnings); everything else (the catalog) goes into the bundle.
 */
export async function bundleExtensionTests(): Promise<string> {
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
