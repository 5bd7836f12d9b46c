// What a rule sees and how it reports: the model, the tree, and a `report` that stamps the catalog severity.

import { ruleSeverity, type RuleCode } from '../catalog/rules';
import { LATEST_TORCH_VERSION } from '../catalog/torchVersions';
import type { ConfigModel, Fix, Problem } from '../model';
import type { Span } from '../syntax/tree';
import type { ScheduleFacts } from '../features/scheduleFacts';

export interface RuleContext {
  readonly model: ConfigModel;
  /** The evaluated schedule (capped in length for linting), when the file has a known scheduler. */
  readonly schedule: ScheduleFacts | undefined;
  /** The PyTorch release the config is checked against (`optimizerLens.torchVersion`, `major.minor`). */
  readonly torchVersion: string;
  /** Reports a problem; `code` must be in the catalog's rules table (its severity comes from there). */
  report(code: RuleCode, span: Span, message: string, fixes?: readonly Fix[]): void;
}

export type Rule = (context: RuleContext) => void;

export function createRuleContext(
  model: ConfigModel,
  schedule: ScheduleFacts | undefined,
  problems: Problem[],
  torchVersion: string = LATEST_TORCH_VERSION,
): RuleContext {
  // Lines holding a syntax error: what other rules see there is the parser's recovery, not what the user meant, so
  // one mistake is reported once (OL001) rather than again as an unknown key or type of the mangled text.
  const text = model.tree.text;
  const lineOf = (offset: number): number => {
    let line = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const brokenLines = new Set(model.tree.errors.map((error) => lineOf(error.start)));
  const onBrokenLine = (span: Span): boolean => {
    if (brokenLines.size === 0) return false;
    for (let line = lineOf(span.start), last = lineOf(span.end); line <= last; line++)
      if (brokenLines.has(line)) return true;
    return false;
  };
  return {
    model,
    schedule,
    torchVersion,
    report(code, span, message, fixes) {
      if (code !== 'OL001' && onBrokenLine(span)) return;
      const severity = ruleSeverity(code);
      problems.push({
        code,
        severity,
        message,
        start: span.start,
        end: Math.max(span.end, span.start),
        ...(fixes && fixes.length > 0 ? { fixes } : {}),
      });
    },
  };
}

/** Format a number the way a config file would show it (one format for the whole product; see util/numberFormat). */
export { formatNumber } from '../util/numberFormat';
