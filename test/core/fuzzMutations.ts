// The mutation that the fuzz tests apply to real configs: random insertions of syntax-heavy tokens, deletions and
// duplications. Shared by the robustness fuzzing (fuzz.test.ts) and the sliced analysis (analysisSteps.test.ts).

import fc from 'fast-check';

/** Tokens that break YAML and JSON in the usual ways: indicators, brackets, quotes, anchors, odd numbers. */
export const SYNTAX_TOKENS = [
  '\n',
  ' ',
  ':',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '<<: ',
  '2e-5',
  '-1',
  '.nan',
  '1e400',
  'null',
] as const;

/** Characters and markers that confuse a reader below the syntax: a tab, a NUL, a BOM, a document start. */
export const CONTROL_TOKENS = ['\t', '\u0000', '\ufeff', '---\n'] as const;

/**
 * A seed with up to eight random edits, each an insertion of one of `tokens`, a deletion or a duplication of up to
 * 40 characters at a random place. The seed's other fields (its format, say) are kept; only `text` changes.
 */
export function mutatedSeeds<Seed extends { readonly text: string }>(
  seeds: readonly Seed[],
  tokens: readonly string[],
): fc.Arbitrary<Seed> {
  return fc
    .record({
      seed: fc.integer({ min: 0, max: Math.max(0, seeds.length - 1) }),
      edits: fc.array(
        fc.record({
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          kind: fc.constantFrom('insert', 'delete', 'duplicate'),
          token: fc.constantFrom(...tokens),
          length: fc.integer({ min: 1, max: 40 }),
        }),
        { maxLength: 8 },
      ),
    })
    .map(({ seed, edits }) => {
      const base = seeds[seed]!;
      let text = base.text;
      for (const edit of edits) {
        const at = Math.floor(edit.at * text.length);
        if (edit.kind === 'insert') text = text.slice(0, at) + edit.token + text.slice(at);
        else if (edit.kind === 'delete') text = text.slice(0, at) + text.slice(at + edit.length);
        else text = text.slice(0, at) + text.slice(at, at + edit.length).repeat(2) + text.slice(at + edit.length);
      }
      return { ...base, text };
    });
}
