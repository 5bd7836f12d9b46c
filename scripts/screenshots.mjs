// `npm run screenshots`: refreshes the README's pictures in docs/images from the screenshots the browser tests and the
// end-to-end suite leave in test/artifacts (tests never write tracked files). Run `npm test` and `npm run test:e2e`
// first; a missing screenshot is reported, not silently skipped.
import { copyFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PICTURES = [
  ['test/artifacts/schedule-dark.png', 'docs/images/schedule-panel.png'],
  ['test/artifacts/range-test-dark.png', 'docs/images/range-test.png'],
  ['test/artifacts/landscape-dark.png', 'docs/images/landscape.png'],
  ['test/artifacts/e2e/01-diagnostics.png', 'docs/images/e2e-diagnostics.png'],
  ['test/artifacts/e2e/03-quick-fix.png', 'docs/images/e2e-quick-fix.png'],
  ['test/artifacts/e2e/31-range-test-your-model-applied.png', 'docs/images/e2e-range-test.png'],
];

let missing = 0;
for (const [from, to] of PICTURES) {
  const source = path.join(ROOT, from);
  if (!existsSync(source)) {
    console.error(`missing ${from}: run npm test and npm run test:e2e first`);
    missing++;
    continue;
  }
  copyFileSync(source, path.join(ROOT, to));
  console.log(`${from} -> ${to}`);
}
process.exit(missing > 0 ? 1 : 0);
