// Finds suppression comments: `# optlens-disable-line [CODE ...]` and `# optlens-disable-next-line [CODE ...]` (also after `//`).

const DIRECTIVE = /(?:#|\/\/)\s*optlens-disable-(next-)?line\b([^\n]*)/;

/** Map from 0-based line number to the codes silenced on it ('all' when no code is listed). */
export function findSuppressions(text: string): Map<number, ReadonlySet<string> | 'all'> {
  const out = new Map<number, ReadonlySet<string> | 'all'>();
  if (!text.includes('optlens-disable')) return out;
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (!match) return;
    const target = match[1] ? index + 1 : index;
    const codes = (match[2] ?? '').split(/[\s,]+/).filter((code) => /^OL\d+$/.test(code));
    const previous = out.get(target);
    if (codes.length === 0 || previous === 'all') out.set(target, 'all');
    else out.set(target, new Set([...(previous ?? []), ...codes]));
  });
  return out;
}
