// Code lenses: computed facts above the scheduler (start, peak, final) and actions above the optimizer.

import type { Analysis } from '../analysis';
import { formatNumber } from '../util/numberFormat';
import type { Span } from '../syntax/tree';

export interface Lens {
  readonly span: Span;
  readonly title: string;
  /** A client command id, or undefined for a lens that only informs. */
  readonly command?: 'optimizerLens.showSchedule' | 'optimizerLens.runRangeTest' | 'optimizerLens.simulate';
}

export function codeLenses(analysis: Analysis): Lens[] {
  const model = analysis.model;
  if (!model) return [];
  const lenses: Lens[] = [];
  const scheduler = model.scheduler;
  if (scheduler) {
    const facts = analysis.schedule;
    const summary = facts?.summary;
    if (facts && summary) {
      const peak = `peak ${formatNumber(summary.peak)} @ ${facts.series.unit ?? 'step'} ${summary.peakStep}`;
      const final = `final ${formatNumber(summary.final)}`;
      const truncated = facts.located.some((issue) => issue.severity === 'error')
        ? ' · stops early (see problems)'
        : '';
      lenses.push({
        span: scheduler.keySpan,
        title: `${facts.title}: start ${formatNumber(summary.start)} · ${peak} · ${final}${truncated}`,
        command: 'optimizerLens.showSchedule',
      });
    } else if (scheduler.entry) {
      lenses.push({ span: scheduler.keySpan, title: 'Show schedule', command: 'optimizerLens.showSchedule' });
    }
  }
  if (model.optimizer?.entry) {
    lenses.push({ span: model.optimizer.keySpan, title: 'Run LR range test', command: 'optimizerLens.runRangeTest' });
  }
  if (model.simulate)
    lenses.push({
      span: model.simulate.keySpan,
      title: 'Simulate on the landscape',
      command: 'optimizerLens.simulate',
    });
  return lenses;
}
