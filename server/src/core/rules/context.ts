// What a rule sees and how it reports: the model, the tree, and a `report` that stamps the catalog severity.

import { findRule } from '../catalog/rules';
import type { ConfigModel, Fix, Problem } from '../model';
import type { Span } from '../syntax/tree';
import type { ScheduleFacts } from '../features/scheduleFacts';

export interface RuleContext {
  readonly model: ConfigModel;
  /** The evaluated schedule (capped in length for linting), when the file has a known scheduler. */
  readonly schedule: ScheduleFacts | undefined;
  report(code: string, span: Span, message: string, fixes?: readonly Fix[]): void;
}

export type Rule = (context: RuleContext) => void;

export function createRuleContext(model: ConfigModel, schedule: ScheduleFacts | undefined, problems: Problem[]): RuleContext {
  return {
    model,
    schedule,
    report(code, span, message, fixes) {
      const severity = findRule(code)?.severity ?? 'warning';
      problems.push({ code, severity, message, start: span.start, end: Math.max(span.end, span.start), ...(fixes && fixes.length > 0 ? { fixes } : {}) });
    },
  };
}

/** Format a number the way a config file would show it. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // Four significant digits: enough to tell 3e-4 from 3.5e-4, short enough for a code lens.
  const rounded = Number(value.toPrecision(4));
  if (rounded !== 0 && (Math.abs(rounded) < 1e-3 || Math.abs(rounded) >= 1e6)) {
    return rounded.toExponential().replace('e+', 'e');
  }
  return String(rounded);
}
