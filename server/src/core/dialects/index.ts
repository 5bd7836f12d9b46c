// Dialects: which config format a file is written in, and how each maps onto the one semantic model.

import type { ConfigModel, Dialect } from '../model';
import type { Rule } from '../rules/context';
import type { SyntaxTree } from '../syntax/tree';
import { buildNativeModel } from './native';

/** The native format is recognised by its file name; other dialects are recognised by content. */
export const NATIVE_FILE_NAME = /\.optim\.(ya?ml|json)$/i;

/**
 * The dialect of a file, or null when it is not an optimizer config at all (then nothing is reported:
 * no false alarms on an unrelated YAML or JSON file).
 */
export function detectDialect(_tree: SyntaxTree, fileName: string): Dialect | null {
  if (NATIVE_FILE_NAME.test(fileName)) return 'optim';
  return null;
}

export function buildModel(tree: SyntaxTree, dialect: Dialect): ConfigModel {
  switch (dialect) {
    case 'optim':
      return buildNativeModel(tree);
    default:
      return buildNativeModel(tree);
  }
}

/** Rules that only make sense for one dialect (run after the shared rules). */
export function dialectRules(dialect: Dialect): readonly Rule[] {
  switch (dialect) {
    default:
      return [];
  }
}
