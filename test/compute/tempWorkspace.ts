// A throwaway workspace folder for tests of the workspace-path checks: the workspace, with one subfolder, and a folder
// beside it that is outside the workspace. Everything lives under the system's temporary folder and is removed after.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Runs `body` with a fresh workspace folder (`root`, holding an empty `subfolder`) and a sibling folder `outside`,
 * then removes both, also when `body` throws or its promise rejects.
 */
export function withTempWorkspace<T>(subfolder: string, body: (root: string, outside: string) => T): T {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'optlens-workspace-'));
  const remove = () => fs.rmSync(base, { recursive: true, force: true });
  const root = path.join(base, 'project');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, subfolder), { recursive: true });
  fs.mkdirSync(outside);
  let result: T;
  try {
    result = body(root, outside);
  } catch (error) {
    remove();
    throw error;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}
