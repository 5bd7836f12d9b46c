// The on-demand sections: `simulate:` and `range_test:` are validated as you type, like every other section.

import { parseRangeTestSection } from '../rangeTest/section';
import { nodeAt, toPlain } from '../syntax/tree';
import { simulationRequest } from '../features/simulation';
import type { Rule } from './context';

export const simulateSection: Rule = (context) => {
  if (!context.model.simulate) return;
  for (const issue of simulationRequest(context.model, { withSchedule: false }).issues)
    context.report('OL217', issue.span, issue.message);
};

export const rangeTestSection: Rule = (context) => {
  const section = context.model.rangeTest;
  if (!section) return;
  const { issues } = parseRangeTestSection(toPlain(section.node) ?? {});
  for (const issue of issues) {
    // Issue paths start at the section key (`['range_test', 'start_lr']`).
    const path = issue.path[0] === 'range_test' ? issue.path.slice(1) : issue.path;
    const span = (section.node ? nodeAt(section.node, path) : undefined) ?? section.keySpan;
    context.report(issue.severity === 'error' ? 'OL218' : 'OL219', span, issue.message);
  }
};
