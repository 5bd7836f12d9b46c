// Test helper: tokenises text with the shipped grammar through vscode-textmate and vscode-oniguruma, as VS Code does.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOnigScanner, createOnigString, loadWASM } from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IGrammar, type StateStack } from 'vscode-textmate';

export const REPOSITORY_ROOT = join(__dirname, '..', '..');

/** One token: its text, its line (0-based) and its scopes from outermost to innermost. */
export interface Token {
  readonly text: string;
  readonly line: number;
  readonly scopes: readonly string[];
}

/** Loads a grammar from JSON text (the file on disk, or one generated in memory). */
export async function loadGrammar(grammarText: string): Promise<IGrammar> {
  const wasm = readFileSync(join(REPOSITORY_ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner, createOnigString }),
    loadGrammar: async (scopeName) =>
      scopeName === 'source.optim' ? parseRawGrammar(grammarText, 'optim.tmLanguage.json') : null,
  });
  const grammar = await registry.loadGrammar('source.optim');
  if (grammar === null) throw new Error('the grammar source.optim did not load');
  return grammar;
}

/** Every token of the text, line by line, carrying the rule stack across lines. */
export function tokenize(grammar: IGrammar, text: string): Token[] {
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ text: lineText.slice(token.startIndex, token.endIndex), line, scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}
