// Writes schemas/deepspeed.schema.json from the catalog. Run with `node --import tsx scripts/generateDeepSpeedSchema.ts`;
// test/core/convert.test.ts fails when the file is stale.

import { writeFileSync } from 'node:fs';
import { DEEPSPEED_SCHEMA_PATH, generateDeepSpeedSchema } from '../server/src/core/catalog/deepSpeedSchema';

/** The file's text: two-space indentation and a trailing newline, so regenerating it is a no-op. */
export function deepSpeedSchemaText(): string {
  return `${JSON.stringify(generateDeepSpeedSchema(), null, 2)}\n`;
}

if (process.argv[1]?.endsWith('generateDeepSpeedSchema.ts'))
  writeFileSync(DEEPSPEED_SCHEMA_PATH, deepSpeedSchemaText());
