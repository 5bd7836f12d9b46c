// Parsing in slices: the same syntax tree as `parseTree`, read by a generator that pauses every few hundred tokens.

import * as YAML from 'yaml';
import { parseTree, YAML_PARSE_OPTIONS } from './parse';
import type { SourceFormat, SyntaxTree } from './tree';

/** Lexical tokens read between two pauses: small enough that one slice stays well under a millisecond. */
export const LEXEMES_PER_STEP = 256;

/**
 * Reads the text like `parseTree`, pausing (`yield`) while the YAML is tokenised and parsed, which is most of the
 * time of an analysis, so that a caller can spread a large file over several turns of its event loop or drop it.
 * JSON is read in one step (jsonc-parser has no resumable entry point; it is several times faster than YAML).
 */
export function* parseTreeSteps(text: string, format: SourceFormat): Generator<void, SyntaxTree, void> {
  if (format !== 'yaml') return parseTree(text, format);
  const documents: YAML.Document.Parsed[] = [];
  try {
    const parser = new YAML.Parser();
    const composer = new YAML.Composer(YAML_PARSE_OPTIONS);
    let count = 0;
    for (const lexeme of new YAML.Lexer().lex(text)) {
      for (const token of parser.next(lexeme)) for (const document of composer.next(token)) documents.push(document);
      if (++count % LEXEMES_PER_STEP === 0) yield;
    }
    for (const token of parser.end()) for (const document of composer.next(token)) documents.push(document);
    for (const document of composer.end()) documents.push(document);
  } catch {
    // A pathological input (extreme nesting): parseTree reads it again and reports it as a syntax problem.
    return parseTree(text, format);
  }
  yield;
  return parseTree(text, format, documents);
}
