// Writes schemas/optim.schema.json from the catalog.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOptimSchema, OPTIM_SCHEMA_PATH, serializeSchema } from '../server/src/core/catalog/jsonSchema';

const target = join(__dirname, '..', OPTIM_SCHEMA_PATH);
mkdirSync(join(target, '..'), { recursive: true });
writeFileSync(target, serializeSchema(generateOptimSchema()));
console.log(`wrote ${OPTIM_SCHEMA_PATH}`);
