// Small text-edit builders that rules use for their quick fixes.

import type { ParamValue, TextEdit } from '../model';
import type { MapNode } from '../syntax/tree';

/** Replace a parameter's value (or fill an empty `key:`). */
export function replaceValueEdit(text: string, param: ParamValue, newText: string): TextEdit {
  if (param.node) return { start: param.node.start, end: param.node.end, newText };
  // `key:` with nothing after it: put the value right after the colon.
  const colon = text.indexOf(':', param.keySpan.end);
  const at = colon >= 0 ? colon + 1 : param.keySpan.end;
  return { start: at, end: at, newText: ` ${newText}` };
}

/** Add `key: value` to a mapping, in its own style (block or flow, YAML or JSON). */
export function insertEntryEdit(
  text: string,
  map: MapNode,
  key: string,
  valueText: string,
  json: boolean,
): TextEdit | undefined {
  const last = map.entries.at(-1);
  if (!last) return undefined;
  const keyText = json ? `"${key}"` : key;
  if (map.flow) return { start: last.end, end: last.end, newText: `, ${keyText}: ${valueText}` };
  const lineStart = text.lastIndexOf('\n', last.keySpan.start - 1) + 1;
  const indent = text.slice(lineStart, last.keySpan.start).replace(/[^\s]/g, ' ');
  const lineEnd = text.indexOf('\n', last.end);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return { start: at, end: at, newText: `\n${indent}${keyText}: ${valueText}` };
}

/** Rename a key in place, keeping its quotes (a JSON key's span includes them). */
export function renameKeyEdit(
  text: string,
  keySpan: { readonly start: number; readonly end: number },
  newKey: string,
): TextEdit {
  const quote = text[keySpan.start];
  const quoted =
    (quote === '"' || quote === "'") && text[keySpan.end - 1] === quote && keySpan.end - keySpan.start >= 2;
  return {
    start: keySpan.start,
    end: keySpan.end,
    newText: quoted ? (quote === '"' ? JSON.stringify(newKey) : `'${newKey}'`) : newKey,
  };
}
