// Rebuilds the bundles (`node esbuild.mjs`) when one is missing or older than a source file, so that a test run of
// one folder (`node --test ... test/lsp/...`) never tests old code. Used by the protocol, webview and in-editor
// test helpers. The check is a stat walk over the source folders (a few hundred files, about a millisecond).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPOSITORY_ROOT = resolve(__dirname, '..');

/** What the bundles are built from: every source folder esbuild reads, and the build script itself. */
const SOURCES = ['server/src', 'client/src', 'webview/src', 'esbuild.mjs'];

/** The newest modification time (ms) of a file or of any file under a folder; 0 when it does not exist. */
export function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestModification(child) : statSync(child).mtimeMs);
  }
  return newest;
}

/** The bundles (paths relative to the root) that are missing or older than the newest source file. */
export function staleBundles(bundles: readonly string[], root = REPOSITORY_ROOT): string[] {
  const newestSource = Math.max(...SOURCES.map((source) => newestModification(join(root, source))));
  return bundles.filter((bundle) => {
    const path = join(root, bundle);
    return !existsSync(path) || statSync(path).mtimeMs < newestSource;
  });
}

/** Blocks this thread for `ms` (waiting on another test process's build; there is no event to wait on across processes). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Makes sure the given bundles exist and are newer than every source file, building them all when not. Test files
 * run in parallel processes, so a build takes a lock (a directory in the temp folder): another process that finds
 * the bundles stale waits for that build and then checks again instead of building over it.
 */
export function ensureFreshBundles(bundles: readonly string[], root = REPOSITORY_ROOT): void {
  const lock = join(tmpdir(), `optlens-build-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.lock`);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    if (existsSync(lock)) {
      // A lock left by a killed build is older than any build takes.
      if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`Timed out waiting for another test process's build (lock ${lock}).`);
      else pause(100);
      continue;
    }
    if (staleBundles(bundles, root).length === 0) return;
    try {
      mkdirSync(lock);
    } catch {
      continue; // Another process took the lock first: wait for its build.
    }
    try {
      if (staleBundles(bundles, root).length === 0) return;
      const started = Date.now();
      const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
      if (result.status !== 0)
        throw new Error(`node esbuild.mjs failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      // esbuild may leave an output whose content did not change untouched: mark every checked bundle as built from
      // the sources as they were when the build started, or a source edit that changes no output would rebuild on
      // every run (and an edit made during the build still counts as newer).
      const builtFrom = new Date(started);
      for (const bundle of bundles) {
        const path = join(root, bundle);
        if (!existsSync(path)) throw new Error(`node esbuild.mjs did not write ${bundle}.`);
        utimesSync(path, builtFrom, builtFrom);
      }
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
