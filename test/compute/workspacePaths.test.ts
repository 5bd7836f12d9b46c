// The workspace rule for files a job reads: inside the workspace folder (by path and after symlinks), size-checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withTempWorkspace } from './tempWorkspace';
import {
  checkWorkspaceFile,
  formatBytes,
  isInsideFolder,
  WORKSPACE_RULE,
  workspaceFolderOf,
} from '../../server/src/compute/workspacePaths';

test('isInsideFolder: the folder itself and anything under it, never a sibling with the same prefix or a parent', () => {
  const root = path.resolve('/work/project');
  const cases: [string, boolean][] = [
    ['/work/project', true],
    ['/work/project/data.csv', true],
    ['/work/project/a/../b/model.json', true],
    ['/work/project/..', false],
    ['/work/project/../../etc/passwd', false],
    ['/work/project-other/data.csv', false],
    ['/work', false],
    ['/etc/passwd', false],
    // A file whose name starts with two dots is still inside.
    ['/work/project/..data.csv', true],
  ];
  for (const [target, inside] of cases) assert.equal(isInsideFolder(root, path.resolve(target)), inside, target);
});

test('workspaceFolderOf: the innermost workspace folder that holds the document, else its own folder', () => {
  const folders = [path.resolve('/w/a'), path.resolve('/w/a/nested'), path.resolve('/w/b')];
  assert.equal(workspaceFolderOf(path.resolve('/w/a/configs/x.optim.yaml'), folders), path.resolve('/w/a'));
  assert.equal(workspaceFolderOf(path.resolve('/w/a/nested/deep/x.optim.yaml'), folders), path.resolve('/w/a/nested'));
  assert.equal(workspaceFolderOf(path.resolve('/w/b/x.optim.yaml'), folders), path.resolve('/w/b'));
  // `/w/ab` is not inside `/w/a`.
  assert.equal(workspaceFolderOf(path.resolve('/w/ab/x.optim.yaml'), folders), path.resolve('/w/ab'));
  assert.equal(workspaceFolderOf(path.resolve('/elsewhere/cfg/x.optim.yaml'), []), path.resolve('/elsewhere/cfg'));
});

test('formatBytes shows the exact byte count next to the rounded size', () => {
  assert.equal(formatBytes(512), '512 bytes');
  assert.equal(formatBytes(32 * 1024 * 1024), '32 MiB (33,554,432 bytes)');
  assert.equal(formatBytes(32 * 1024 * 1024 + 1), '32.0 MiB (33,554,433 bytes)');
  assert.equal(formatBytes(600 * 1000 * 1000), '572.2 MiB (600,000,000 bytes)');
});

function withWorkspace(body: (root: string, outside: string) => void): void {
  withTempWorkspace('configs', body);
}

const refusal = (result: ReturnType<typeof checkWorkspaceFile>): string => {
  assert.ok('refused' in result, `expected a refusal, got ${JSON.stringify(result)}`);
  return result.refused;
};

test('a file inside the workspace resolves from the workspace folder, with its size', () => {
  withWorkspace((root) => {
    fs.writeFileSync(path.join(root, 'configs', 'data.csv'), '1,2,0\n');
    const result = checkWorkspaceFile({
      workspaceRoot: root,
      configured: 'configs/data.csv',
      what: 'range_test.data',
      maxBytes: 100,
    });
    assert.deepEqual(result, { path: fs.realpathSync(path.join(root, 'configs', 'data.csv')), bytes: 6 });
    // Relative to the workspace folder, not to a config's own folder: `data.csv` alone is not found.
    assert.match(
      refusal(
        checkWorkspaceFile({ workspaceRoot: root, configured: 'data.csv', what: 'range_test.data', maxBytes: 100 }),
      ),
      /^range_test\.data: file not found: data\.csv \(looked for .*project.data\.csv\)\.$/,
    );
  });
});

test('paths that leave the workspace are refused by name of the rule, and nothing of the file is shown', () => {
  withWorkspace((root, outside) => {
    const secret = path.join(outside, 'secret.csv');
    fs.writeFileSync(secret, 'root:x:0:0:secret-content\n');
    for (const configured of [
      '../outside/secret.csv',
      '../../../../../../etc/passwd',
      secret,
      'configs/../../outside/secret.csv',
    ]) {
      const message = refusal(
        checkWorkspaceFile({ workspaceRoot: root, configured, what: 'range_test.data', maxBytes: 1e9 }),
      );
      assert.ok(message.includes(WORKSPACE_RULE), message);
      assert.match(message, /is outside the workspace folder/);
      assert.ok(!message.includes('secret-content') && !message.includes('root:x'), message);
    }
  });
});

test('a symbolic link inside the workspace that points outside it is refused (realpath), one inside is followed', () => {
  withWorkspace((root, outside) => {
    fs.writeFileSync(path.join(outside, 'secret.csv'), 'secret-content\n');
    fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'link.csv'));
    fs.symlinkSync(outside, path.join(root, 'linkedDir'));
    fs.writeFileSync(path.join(root, 'real.csv'), '1,0\n');
    fs.symlinkSync(path.join(root, 'real.csv'), path.join(root, 'alias.csv'));
    for (const configured of ['link.csv', 'linkedDir/secret.csv']) {
      const message = refusal(
        checkWorkspaceFile({ workspaceRoot: root, configured, what: 'range_test.data', maxBytes: 1e9 }),
      );
      assert.match(message, /symbolic link to a file outside the workspace folder/);
      assert.ok(message.includes(WORKSPACE_RULE) && !message.includes('secret-content'), message);
    }
    const followed = checkWorkspaceFile({
      workspaceRoot: root,
      configured: 'alias.csv',
      what: 'range_test.data',
      maxBytes: 1e9,
    });
    assert.deepEqual(followed, { path: fs.realpathSync(path.join(root, 'real.csv')), bytes: 4 });
  });
});

test('the size is checked before reading: one byte over the limit is refused with both sizes exact', () => {
  withWorkspace((root) => {
    fs.writeFileSync(path.join(root, 'big.csv'), Buffer.alloc(2049));
    fs.writeFileSync(path.join(root, 'fits.csv'), Buffer.alloc(2048));
    const request = { workspaceRoot: root, what: 'range_test.data', maxBytes: 2048, whenTooLarge: 'Use a sample.' };
    assert.equal(
      refusal(checkWorkspaceFile({ ...request, configured: 'big.csv' })),
      'range_test.data: big.csv is 2.0 KiB (2,049 bytes); the limit is 2 KiB (2,048 bytes). Use a sample.',
    );
    assert.deepEqual(checkWorkspaceFile({ ...request, configured: 'fits.csv' }), {
      path: fs.realpathSync(path.join(root, 'fits.csv')),
      bytes: 2048,
    });
    assert.equal(refusal(checkWorkspaceFile({ ...request, configured: '.' })), 'range_test.data: . is not a file.');
  });
});
