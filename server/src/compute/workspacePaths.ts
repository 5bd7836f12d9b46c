// Which files a job may read: paths in a config resolve from the workspace folder and may not leave it, and a
// file is size-checked before a byte of it is read.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** The rule, named in every refusal. */
export const WORKSPACE_RULE = 'paths in a config must stay inside the workspace folder';

/** True when `target` is `root` or lies under it (both absolute; compared by path, not by the file system). */
export function isInsideFolder(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * The workspace folder of a document: the innermost of `folders` that contains it (nested folders of a
 * multi-root workspace), else the document's own folder (a file opened on its own).
 */
export function workspaceFolderOf(documentPath: string, folders: readonly string[]): string {
  const containing = folders.filter((folder) => isInsideFolder(path.resolve(folder), path.resolve(documentPath)));
  containing.sort((a, b) => path.resolve(b).length - path.resolve(a).length);
  return containing[0] !== undefined ? path.resolve(containing[0]) : path.dirname(path.resolve(documentPath));
}

/** A file a job may read: its real path and size (checked before reading), or why not, as one line. */
export type WorkspaceFile = { readonly path: string; readonly bytes: number } | { readonly refused: string };

/** Bytes as a person reads them; exact below 1 KiB, else in KiB/MiB/GiB with the byte count. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB'] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]} (${bytes.toLocaleString('en-US')} bytes)`;
}

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/** One file a job wants to read, as the config names it. */
export interface WorkspaceFileRequest {
  /** The workspace folder; nothing outside it is read. */
  readonly workspaceRoot: string;
  /** What `configured` is relative to: the workspace folder by default (a model's weights: the model's folder). */
  readonly base?: string;
  /** The path as written (in the config or a model.json); shown in messages. */
  readonly configured: string;
  /** Names the file in messages, e.g. `range_test.data`. */
  readonly what: string;
  /** The size limit, checked with `stat` before anything is read. */
  readonly maxBytes: number;
  /** Said after the size refusal: what to do instead. */
  readonly whenTooLarge?: string;
}

/**
 * Checks a file without reading it: inside the workspace folder by path and again after following symbolic
 * links, a regular file, at most `maxBytes`. The messages never contain file content.
 */
export function checkWorkspaceFile(request: WorkspaceFileRequest): WorkspaceFile {
  const { configured, what, maxBytes } = request;
  const root = path.resolve(request.workspaceRoot);
  const resolved = path.resolve(request.base ?? root, configured);
  if (!isInsideFolder(root, resolved)) {
    return {
      refused: `${what}: "${configured}" is outside the workspace folder ${root}; ${WORKSPACE_RULE}. It was not read.`,
    };
  }
  const real = realPath(resolved);
  if (real === undefined) return { refused: `${what}: file not found: ${configured} (looked for ${resolved}).` };
  const realRoot = realPath(root) ?? root;
  if (!isInsideFolder(realRoot, real)) {
    return {
      refused: `${what}: "${configured}" is a symbolic link to a file outside the workspace folder ${root}; ${WORKSPACE_RULE}. It was not read.`,
    };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(real);
  } catch (error) {
    return { refused: `${what}: ${configured} cannot be read (${(error as { code?: string }).code ?? 'error'}).` };
  }
  if (!stat.isFile()) return { refused: `${what}: ${configured} is not a file.` };
  if (stat.size > maxBytes) {
    return {
      refused: `${what}: ${configured} is ${formatBytes(stat.size)}; the limit is ${formatBytes(maxBytes)}.${request.whenTooLarge ? ` ${request.whenTooLarge}` : ''}`,
    };
  }
  return { path: real, bytes: stat.size };
}
