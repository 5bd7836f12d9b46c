// Loss landscapes for the simulator: built-in test functions and user expressions, each with an exact gradient.

import { builtinPointFunction, landscapeFromPointFunction } from './builtin';
import { parseExpression } from './expression';
import type { Landscape, LandscapeIssue, LandscapeSpec } from './types';

export type { ExpressionIssue, Landscape, LandscapeIssue, LandscapeSpec } from './types';
export { BUILTIN_LANDSCAPE_IDS } from './builtin';
export { parseExpression } from './expression';

/**
 * A landscape from its spec: a built-in id (`rosenbrock`), an object with constants (`{type: rastrigin, A: 10, n: 5}`,
 * `{type: quadratic, diag: [1, 100]}`) or a user expression (`{expression: 'x^2 + 3*y^2'}`). Expression errors are
 * reported with `path: ['expression']` and their column in the message. Never throws.
 */
export function builtinLandscape(spec: LandscapeSpec): { landscape: Landscape | null; issues: LandscapeIssue[] } {
  if (spec !== null && typeof spec === 'object' && 'expression' in spec) {
    const { landscape, issues } = parseExpression(String(spec.expression));
    return { landscape, issues: issues.map((issue) => ({ path: ['expression'], message: issue.message })) };
  }
  if (typeof spec !== 'string' && (spec === null || typeof spec !== 'object')) {
    return {
      landscape: null,
      issues: [
        {
          path: [],
          message: 'A function is a built-in name (e.g. `rosenbrock`), an object with `type`, or `{expression: ...}`.',
        },
      ],
    };
  }
  const { pointFunction, issues } = builtinPointFunction(spec as string | Readonly<Record<string, unknown>>);
  return { landscape: pointFunction ? landscapeFromPointFunction(pointFunction) : null, issues };
}
