// The edit that writes a learning rate back into the config: the optimizer's `lr`, or the scheduler's `max_lr`.

import type { Analysis } from '../analysis';
import { findParam } from '../catalog/index';
import type { TextEdit } from '../model';
import { insertEntryEdit, replaceValueEdit } from '../rules/edits';
import { literal } from './completion';

/** Where "Apply" writes for this config: a scheduler that overrides the optimizer lr with its own `max_lr` takes it. */
export function applyTarget(analysis: Analysis): 'lr' | 'max_lr' {
  const entry = analysis.model?.scheduler?.entry;
  return entry?.overridesLr && findParam(entry, 'max_lr') ? 'max_lr' : 'lr';
}

/** The value as Apply writes it: three significant digits, in the file's own number syntax (e.g. `3.16e-4`). */
export function appliedLiteral(analysis: Analysis, lr: number): string {
  return literal(Number(lr.toPrecision(3)), analysis.tree.format);
}

/** The text edits that set `target` to `lr`; empty when the file has no block to write into. */
export function learningRateEdits(analysis: Analysis, lr: number, target: 'lr' | 'max_lr'): TextEdit[] {
  const model = analysis.model;
  if (!model || !Number.isFinite(lr) || lr <= 0) return [];
  const text = analysis.tree.text;
  const json = analysis.tree.format === 'json';
  const value = appliedLiteral(analysis, lr);
  const block = target === 'lr' ? model.optimizer : model.scheduler;
  if (!block) return [];
  const existing = block.params.get(target);
  if (existing) return [replaceValueEdit(text, existing, value)];
  if (!block.node) return [];
  const insertion = insertEntryEdit(text, block.node, target, value, json);
  return insertion ? [insertion] : [];
}
