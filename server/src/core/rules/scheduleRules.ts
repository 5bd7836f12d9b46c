// Rules that need the evaluated schedule: errors PyTorch would raise while stepping, and decays that do not decay.

import { formatNumber, type Rule } from './context';

export const scheduleOutcome: Rule = (context) => {
  const facts = context.schedule;
  const block = context.model.scheduler;
  if (!facts || !block?.entry) return;
  for (const issue of facts.located) {
    context.report('OL213', issue.span, issue.message);
  }
  const summary = facts.summary;
  const hasErrors = facts.located.some((issue) => issue.severity === 'error');
  if (summary && !hasErrors && block.entry.decays && facts.series.lr.length > 1 && summary.final >= summary.peak && summary.peak > 0) {
    context.report(
      'OL211',
      block.typeSpan,
      `${facts.title} is meant to decay, but over ${facts.series.lr.length} steps the lr ends at its peak, ${formatNumber(summary.final)} (it starts at ${formatNumber(summary.start)}).`,
    );
  }
};
