// Writes docs/rules.md from the rules catalog. Run with `node --import tsx scripts/generateRulesDoc.ts`;
// a test fails when the file is stale.

import { writeFileSync } from 'node:fs';
import { RULES } from '../server/src/core/catalog/rules';

export function rulesMarkdown(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    '<!-- Generated from server/src/core/catalog/rules.ts by scripts/generateRulesDoc.ts. Do not edit by hand. -->',
    '',
    'Every diagnostic Optimizer Lens reports has a stable code. Change a severity per code with the',
    '`optimizerLens.severity` setting (e.g. `{"OL208": "off"}`), or silence one line with a comment:',
    '`# optlens-disable-line OL208` at the end of the line, or `# optlens-disable-next-line OL208` above it',
    '(`//` instead of `#` in JSON files). Without codes, the comment silences every code on that line.',
    '',
    '| code | name | default severity | what it catches |',
    '| --- | --- | --- | --- |',
    ...RULES.map(
      (rule) =>
        `| [${rule.code}](#${rule.code.toLowerCase()}) | \`${rule.name}\` | ${rule.severity} | ${rule.summary} |`,
    ),
    '',
  ];
  for (const rule of RULES) {
    lines.push(
      `<a id="${rule.code.toLowerCase()}"></a>`,
      `## ${rule.code} ${rule.name}`,
      '',
      `*Default severity: ${rule.severity}.* ${rule.summary}`,
      '',
      rule.doc,
      '',
    );
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('generateRulesDoc.ts')) writeFileSync('docs/rules.md', rulesMarkdown());
