// Rules about how the file is written: syntax errors, duplicate keys, and YAML 1.1 (PyYAML) literal traps.

import { pyyamlFloatSpelling, pyyamlKind } from '../syntax/yaml11';
import type { Node } from '../syntax/tree';
import type { Rule } from './context';

export const syntaxErrors: Rule = (context) => {
  for (const error of context.model.tree.errors) context.report('OL001', error, error.message);
};

export const duplicateKeys: Rule = (context) => {
  walk(context.model.tree.root, (node) => {
    if (node.kind !== 'map') return;
    const entries = node.entries;
    // Most mappings are a handful of keys: comparing pairs beats building a set for each of them.
    const seen = entries.length > 16 ? new Set<string>() : undefined;
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index]!;
      let repeated = false;
      if (seen) {
        repeated = seen.has(entry.key);
        seen.add(entry.key);
      } else {
        for (let before = 0; before < index && !repeated; before++) repeated = entries[before]!.key === entry.key;
      }
      if (repeated) {
        context.report(
          'OL003',
          entry.keySpan,
          `Duplicate key \`${entry.key}\`: loaders keep this value and drop the earlier one.`,
        );
      }
    }
  });
};

/** Values that YAML 1.2 reads as numbers (or strings) but PyYAML reads otherwise. Only plain YAML scalars can be affected. */
export const yaml11Literals: Rule = (context) => {
  if (context.model.tree.format !== 'yaml') return;
  walk(context.model.tree.root, (node) => {
    if (node.kind !== 'scalar' || !node.plain) return;
    const kind = pyyamlKind(node.source);
    if (typeof node.value === 'number' && kind === 'str') {
      const spelling = pyyamlFloatSpelling(node.source);
      context.report(
        'OL004',
        node,
        `PyYAML (yaml.safe_load) reads \`${node.source}\` as the string "${node.source}", not a number${spelling ? `; write \`${spelling}\`` : ''}.`,
        spelling
          ? [
              {
                title: `Write \`${spelling}\` (a float for every YAML loader)`,
                edits: [{ start: node.start, end: node.end, newText: spelling }],
                preferred: true,
              },
            ]
          : [],
      );
    } else if (typeof node.value === 'string' && kind === 'bool') {
      context.report('OL006', node, `PyYAML reads \`${node.source}\` as a boolean; quote it if the string is meant.`, [
        {
          title: `Quote as "${node.source}"`,
          edits: [{ start: node.start, end: node.end, newText: `"${node.source}"` }],
        },
      ]);
    }
  });
};

function walk(node: Node | null, visit: (node: Node) => void): void {
  if (!node) return;
  visit(node);
  if (node.kind === 'map') for (const entry of node.entries) walk(entry.value, visit);
  else if (node.kind === 'seq') for (const item of node.items) walk(item, visit);
}
