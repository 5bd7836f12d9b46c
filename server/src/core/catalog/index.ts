// Look-ups into the catalog. Every feature (validation, hover, completion, JSON Schema, engines) goes through here.

import { OPTIMIZERS } from './optimizers';
import { SCHEDULERS } from './schedulers';
import type { EntryBase, OptimizerEntry, ParamSpec, SchedulerEntry, StepRole } from './types';

export { OPTIMIZERS } from './optimizers';
export { SCHEDULERS } from './schedulers';
export type * from './types';

const OPTIMIZER_PREFIXES = ['torch.optim.', 'deepspeed.ops.adam.', 'deepspeed.ops.lamb.', 'deepspeed.ops.lion.'];
const SCHEDULER_PREFIXES = ['torch.optim.lr_scheduler.', 'deepspeed.runtime.lr_schedules.'];

function stripPrefix(name: string, prefixes: readonly string[]): string {
  for (const prefix of prefixes) if (name.startsWith(prefix)) return name.slice(prefix.length);
  return name;
}

/** A name look-up over catalog entries: exact names and aliases first, then case-insensitive (first entry wins). */
interface EntryIndex<T> {
  readonly exact: ReadonlyMap<string, T>;
  readonly lower: ReadonlyMap<string, T>;
}

function indexEntries<T extends EntryBase>(entries: readonly T[]): EntryIndex<T> {
  const exact = new Map<string, T>();
  const lower = new Map<string, T>();
  const add = (map: Map<string, T>, name: string, entry: T): void => {
    if (!map.has(name)) map.set(name, entry);
  };
  // Exact spellings of every entry come before any case-insensitive match, as in a scan by name then by lower case.
  for (const entry of entries) {
    add(exact, entry.name, entry);
    for (const alias of entry.aliases ?? []) add(exact, alias, entry);
  }
  for (const entry of entries) {
    add(lower, entry.name.toLowerCase(), entry);
    for (const alias of entry.aliases ?? []) add(lower, alias.toLowerCase(), entry);
  }
  return { exact, lower };
}

// Built once from the constant tables and never written afterwards: a look-up per block of a large file stays O(1).
const OPTIMIZER_INDEX = indexEntries(OPTIMIZERS);
const SCHEDULER_INDEX = indexEntries(SCHEDULERS);

function findIn<T>(index: EntryIndex<T>, name: string): T | undefined {
  // DeepSpeed lower-cases optimizer names before it matches them, so a case-insensitive match is accepted
  // (and reported separately as a style issue where the dialect requires the exact spelling).
  return index.exact.get(name) ?? index.lower.get(name.toLowerCase());
}

/** The optimizer entry for a `type:` value such as `AdamW` or `torch.optim.AdamW`. */
export function findOptimizer(typeName: string): OptimizerEntry | undefined {
  return findIn(OPTIMIZER_INDEX, stripPrefix(typeName.trim(), OPTIMIZER_PREFIXES));
}

/** Schedulers that exist but take Python code, so a config cannot express them (reported, not "unknown"). */
const CODE_ONLY_SCHEDULERS: readonly string[] = ['LambdaLR', 'MultiplicativeLR'];

export function isCodeOnlyScheduler(typeName: string): boolean {
  return CODE_ONLY_SCHEDULERS.includes(stripPrefix(typeName.trim(), SCHEDULER_PREFIXES));
}

/** The scheduler entry for a `type:` value such as `OneCycleLR`, `torch.optim.lr_scheduler.StepLR` or `hf.cosine`. */
export function findScheduler(typeName: string): SchedulerEntry | undefined {
  return findIn(SCHEDULER_INDEX, stripPrefix(typeName.trim(), SCHEDULER_PREFIXES));
}

export function findParam(
  entry: EntryBase | { readonly params: readonly ParamSpec[] },
  name: string,
): ParamSpec | undefined {
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
 * The torch.optim class an optimizer outside torch.optim runs as (its entry's `torchEquivalent`, e.g. DeepSpeed's
 * FusedAdam as `torch.optim.AdamW`, or `Adam` when `adam_w_mode: false`), with its keywords less the ones torch does not
 * take; undefined when it has none.
 */
export function torchEquivalentOf(
  entry: OptimizerEntry,
  kwargs: Readonly<Record<string, unknown>>,
): { classPath: string; kwargs: Record<string, unknown> } | undefined {
  const equivalent = entry.torchEquivalent;
  if (!equivalent) return undefined;
  const classPath =
    equivalent.whenFalse && kwargs[equivalent.whenFalse.param] === false
      ? equivalent.whenFalse.classPath
      : equivalent.classPath;
  const kept = { ...kwargs };
  for (const key of equivalent.dropParams) delete kept[key];
  return { classPath, kwargs: kept };
}

/** What a step-count parameter marks in the run (the catalog's `stepRole` field), for the run-length checks. */
export function stepRole(param: ParamSpec): StepRole | undefined {
  return param.unit === 'steps' ? param.stepRole : undefined;
}
