// Writes the settings contribution of package.json from server/src/lsp/settings.ts (the one definition of the settings).
// Run with `node --import tsx scripts/syncPackageJson.ts`; a test fails when package.json is stale.

import { readFileSync, writeFileSync } from 'node:fs';
import { SETTINGS_CONTRIBUTION } from '../server/src/lsp/settings';

export function syncedPackageJson(text: string): string {
  const manifest = JSON.parse(text) as { contributes: { configuration: { properties: unknown } } };
  manifest.contributes.configuration.properties = SETTINGS_CONTRIBUTION;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

if (process.argv[1]?.endsWith('syncPackageJson.ts')) {
  writeFileSync('package.json', syncedPackageJson(readFileSync('package.json', 'utf8')));
}
