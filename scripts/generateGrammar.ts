// Writes syntaxes/optim.tmLanguage.json from the grammar template and the catalog's names.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GRAMMAR_PATH, renderOptimGrammar } from './optimGrammar';

const target = join(__dirname, '..', GRAMMAR_PATH);
writeFileSync(target, renderOptimGrammar());
console.log(`wrote ${GRAMMAR_PATH}`);
