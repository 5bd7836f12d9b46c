// Rules that need the evaluated schedule: errors PyTorch would raise while stepping, and decays that do not decay.

import { findParam, stepRole } from '../catalog/index';
import type { SchedulerBlock } from '../model';
import { formatNumber, type Rule } from './context';
import { checkParamValue } from './values';

export const scheduleOutcome: Rule = (context) => {
  const facts = context.schedule;
  const block = context.model.scheduler;
  if (!facts || !block?.entry) return;
  for (const issue of facts.located) {
    // A value the catalog checks already flag (unknown keyword, wrong type, out of range, missing) is reported
    // once, by them; the engine's refusal of the same value would say it a second time under another code.
    if (issue.path && catalogFlags(block, issue.path)) continue;
    context.report('OL213', issue.span, issue.message);
  }
  const summary = facts.summary;
  const hasErrors = facts.located.some((issue) => issue.severity === 'error');
  // A warm-up as long as the evaluated run is the reason it never decays, and OL200 already says so.
  const steps = facts.series.lr.length;
  const warmupFillsRun = [block, ...block.children].some((each) =>
    [...each.params.values()].some((param) => {
      const spec = each.entry ? findParam(each.entry, param.name) : undefined;
      return (
        spec !== undefined &&
        each.entry !== undefined &&
        stepRole(spec) === 'warmup' &&
        typeof param.value === 'number' &&
        param.value >= steps
      );
    }),
  );
  if (
    summary &&
    !hasErrors &&
    !warmupFillsRun &&
    block.entry.decays &&
    steps > 1 &&
    summary.final >= summary.peak &&
    summary.peak > 0
  ) {
    context.report(
      'OL211',
      block.typeSpan,
      `${facts.title} is meant to decay, but over ${facts.series.lr.length} steps the lr ends at its peak, ${formatNumber(summary.final)} (it starts at ${formatNumber(summary.start)}).`,
    );
  }
};

/** Whether the catalog checks of `catalogRules` report a problem on the value at `path` (relative to `block`). */
function catalogFlags(block: SchedulerBlock, path: readonly (string | number)[]): boolean {
  let current = block;
  let index = 0;
  while (path[index] === 'schedulers' && typeof path[index + 1] === 'number' && current.entry?.composite) {
    const child = current.children[path[index + 1] as number];
    if (!child) return false;
    current = child;
    index += 2;
  }
  const key = path[index];
  const entry = current.entry;
  if (typeof key !== 'string' || !entry) return false;
  const spec = findParam(entry, key);
  if (!spec) return current.params.has(key) || [...current.params.values()].some((param) => param.key === key);
  const param = current.params.get(key);
  if (!param) return spec.required === true;
  if (param.opaque) return false;
  let flagged = false;
  checkParamValue(
    {
      report: () => {
        flagged = true;
      },
    },
    spec,
    param.value,
    param.node,
    param.keySpan,
    entry.name,
  );
  return flagged;
}
