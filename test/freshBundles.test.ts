// The test helpers' staleness check: a bundle older than any source file (or missing) is rebuilt before a test runs.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { newestModification, staleBundles } from './freshBundles';

const root = mkdtempSync(join(tmpdir(), 'optlens-fresh-'));
after(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, seconds: number): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, '');
  utimesSync(full, seconds, seconds);
}

test('a bundle is stale when missing or older than a file under server/src, client/src or webview/src', () => {
  file('server/src/core/deep/a.ts', 1000);
  file('client/src/extension.ts', 1000);
  file('webview/src/schedule/main.ts', 1000);
  file('dist/server.js', 2000);
  file('dist/webview/schedule.js', 2000);
  assert.equal(newestModification(join(root, 'server/src')), 1000 * 1000);
  assert.deepEqual(staleBundles(['dist/server.js', 'dist/webview/schedule.js', 'dist/worker.js'], root), [
    'dist/worker.js',
  ]);
  file('server/src/core/deep/a.ts', 3000);
  assert.deepEqual(
    staleBundles(['dist/server.js', 'dist/webview/schedule.js'], root),
    ['dist/server.js', 'dist/webview/schedule.js'],
    'a core edit makes every bundle stale',
  );
  file('dist/server.js', 3000);
  file('dist/webview/schedule.js', 3000);
  file('webview/src/schedule/main.ts', 4000);
  assert.deepEqual(
    staleBundles(['dist/server.js'], root),
    ['dist/server.js'],
    'so does a webview edit (one build writes every bundle)',
  );
});
