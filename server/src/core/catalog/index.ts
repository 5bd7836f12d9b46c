// Look-ups into the catalog. Every feature (validation, hover, completion, JSON Schema, engines) goes through here.

import { OPTIMIZERS } from './optimizers';
import { SCHEDULERS } from './schedulers';
import type { EntryBase, OptimizerEntry, ParamSpec, SchedulerEntry } from './types';

export { OPTIMIZERS } from './optimizers';
export { SCHEDULERS } from './schedulers';
export type * from './types';

const OPTIMIZER_PREFIXES = ['torch.optim.', 'deepspeed.ops.adam.', 'deepspeed.ops.lamb.', 'deepspeed.ops.lion.'];
const SCHEDULER_PREFIXES = ['torch.optim.lr_scheduler.', 'deepspeed.runtime.lr_schedules.'];

function stripPrefix(name: string, prefixes: readonly string[]): string {
  for (const prefix of prefixes) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return name;
}

function findIn<T extends EntryBase>(entries: readonly T[], name: string): T | undefined {
  const exact = entries.find((entry) => entry.name === name || entry.aliases?.includes(name));
  if (exact) return exact;
  // DeepSpeed lower-cases optimizer names before it matches them, so a case-insensitive match is accepted
  // (and reported separately as a style issue where the dialect requires the exact spelling).
  const lower = name.toLowerCase();
  return entries.find(
    (entry) => entry.name.toLowerCase() === lower || entry.aliases?.some((alias) => alias.toLowerCase() === lower),
  );
}

/** The optimizer entry for a `type:` value such as `AdamW` or `torch.optim.AdamW`. */
export function findOptimizer(typeName: string): OptimizerEntry | undefined {
  return findIn(OPTIMIZERS, stripPrefix(typeName.trim(), OPTIMIZER_PREFIXES));
}

/** Schedulers that exist but take Python code, so a config cannot express them (reported, not "unknown"). */
const CODE_ONLY_SCHEDULERS: readonly string[] = ['LambdaLR', 'MultiplicativeLR'];

export function isCodeOnlyScheduler(typeName: string): boolean {
  return CODE_ONLY_SCHEDULERS.includes(stripPrefix(typeName.trim(), SCHEDULER_PREFIXES));
}

/** The scheduler entry for a `type:` value such as `OneCycleLR`, `torch.optim.lr_scheduler.StepLR` or `hf.cosine`. */
export function findScheduler(typeName: string): SchedulerEntry | undefined {
  return findIn(SCHEDULERS, stripPrefix(typeName.trim(), SCHEDULER_PREFIXES));
}

export function findParam(entry: EntryBase | { readonly params: readonly ParamSpec[] }, name: string): ParamSpec | undefined {
  return entry.params.find((param) => param.name === name);
}

/**
 * The keyword arguments with the library's defaults filled in for every parameter that was not given.
 * Parameters without a default (required ones) are left out when missing.
 */
export function resolveParams(
  entry: { readonly params: readonly ParamSpec[] },
  given: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const param of entry.params) {
    if (param.default !== undefined) out[param.name] = param.default;
  }
  for (const [name, value] of Object.entries(given)) out[name] = value;
  return out;
}

/**
 * What a step-count parameter means for the run-length checks: the end of a warmup, a decay milestone, the
 * length of the whole schedule, or a period. Derived from the catalog's names so every rule agrees.
 */
export type StepRole = 'warmup' | 'milestone' | 'total' | 'period';

export function stepRole(schedulerName: string, param: ParamSpec): StepRole | undefined {
  if (param.unit !== 'steps') return undefined;
  const name = param.name;
  if (/warmup/i.test(name)) return 'warmup';
  if (name === 'milestones') return 'milestone';
  if (name === 'step_size' || name === 'decay_step_size') return 'period';
  if (name === 'total_iters') return schedulerName === 'LinearLR' ? 'warmup' : 'milestone';
  if (/^(total_steps|num_training_steps|total_num_steps)$/.test(name)) return 'total';
  if (name === 'T_max') return 'total';
  return undefined;
}
