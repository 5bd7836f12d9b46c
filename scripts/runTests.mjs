// Finds every test/**/*.test.ts (Node 20's --test takes no globs) and runs them with the Node test runner.
// Usage: node scripts/runTests.mjs [folder-or-file ...]   (default: test/, without the e2e suite)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

function collect(target, out) {
  if (statSync(target).isDirectory()) {
    for (const name of readdirSync(target).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      collect(path.join(target, name), out);
    }
  } else if (target.endsWith('.test.ts')) out.push(target);
}

const args = process.argv.slice(2);
const files = [];
for (const target of args.length > 0 ? args : ['test']) collect(target, files);
// Without arguments: everything but the suites that start a real VS Code (test:e2e runs those).
const selected =
  args.length > 0
    ? files
    : files.filter(
        (file) => !file.split(path.sep).includes('e2e') && !file.endsWith(path.join('extension', 'extension.test.ts')),
      );
if (selected.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--import', 'tsx', ...selected], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
