// Files generated from the single sources of truth must be up to date.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { rulesMarkdown } from '../../scripts/generateRulesDoc';
import { syncedPackageJson } from '../../scripts/syncPackageJson';

const ROOT = path.resolve(__dirname, '..', '..');

test('docs/rules.md matches the rules catalog', () => {
  const onDisk = readFileSync(path.join(ROOT, 'docs', 'rules.md'), 'utf8');
  assert.ok(onDisk === rulesMarkdown(), 'docs/rules.md is stale: run `node --import tsx scripts/generateRulesDoc.ts`');
});

test('package.json settings match server/src/lsp/settings.ts', () => {
  const onDisk = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  assert.ok(
    onDisk === syncedPackageJson(onDisk),
    'package.json is stale: run `node --import tsx scripts/syncPackageJson.ts`',
  );
});
