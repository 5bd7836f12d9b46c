// Reads a scheduler block's keyword arguments (defaults filled from the catalog) and reports values the library would reject.

import { resolveParams } from '../catalog/index';
import type { SchedulerEntry } from '../catalog/types';
import type { ParamPath } from './runtime';
import type { ScheduleIssue } from './types';

/** Keyword arguments every block may carry that are not constructor arguments. */
const IGNORED_KEYS: ReadonlySet<string> = new Set(['type']);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Typed access to one block's arguments. Every accessor records an error issue (and returns NaN or a neutral value)
 * when the value has the wrong type, so the builder can read everything first and then refuse to evaluate.
 */
export class ParamReader {
  private readonly values: Record<string, unknown>;
  private failures = 0;

  constructor(
    readonly entry: SchedulerEntry,
    given: Readonly<Record<string, unknown>>,
    readonly path: ParamPath,
    private readonly issues: ScheduleIssue[],
  ) {
    this.values = resolveParams(entry, given);
    for (const key of Object.keys(given)) {
      if (IGNORED_KEYS.has(key) || entry.params.some((param) => param.name === key)) continue;
      this.fail(key, `${entry.name} got an unexpected keyword argument '${key}': the library raises TypeError.`);
    }
  }

  get failed(): boolean {
    return this.failures > 0;
  }

  fail(key: string | undefined, message: string): void {
    this.failures += 1;
    this.issues.push({ path: key === undefined ? this.path : [...this.path, key], message, severity: 'error' });
  }

  warn(key: string | undefined, message: string): void {
    this.issues.push({ path: key === undefined ? this.path : [...this.path, key], message, severity: 'warning' });
  }

  /** Whether the argument is absent or None. */
  isNone(name: string): boolean {
    const value = this.values[name];
    return value === undefined || value === null;
  }

  raw(name: string): unknown {
    return this.values[name];
  }

  private missing(name: string): void {
    this.fail(name, `${this.entry.name} needs '${name}': the library raises TypeError (missing required argument).`);
  }

  number(name: string): number {
    const value = this.values[name];
    if (value === undefined || value === null) {
      this.missing(name);
      return Number.NaN;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(name, `'${name}' must be a number, not ${describe(value)}.`);
      return Number.NaN;
    }
    return value;
  }

  /** A number, or undefined for None. */
  optionalNumber(name: string): number | undefined {
    return this.isNone(name) ? undefined : this.number(name);
  }

  integer(name: string): number {
    const value = this.number(name);
    if (!Number.isNaN(value) && !Number.isInteger(value)) {
      this.fail(name, `'${name}' must be an integer, not ${value}.`);
      return Number.NaN;
    }
    return value;
  }

  optionalInteger(name: string): number | undefined {
    return this.isNone(name) ? undefined : this.integer(name);
  }

  /** A number, or a one-element list (one value per param group; the engine models one group). */
  numberOrSingleton(name: string): number {
    const value = this.values[name];
    if (Array.isArray(value)) {
      if (value.length !== 1) {
        this.fail(
          name,
          `'${name}' has ${value.length} values but the optimizer has 1 param group: the library raises ValueError.`,
        );
        return Number.NaN;
      }
      const only: unknown = value[0];
      if (typeof only !== 'number' || !Number.isFinite(only)) {
        this.fail(name, `'${name}' must hold numbers, not ${describe(only)}.`);
        return Number.NaN;
      }
      return only;
    }
    return this.number(name);
  }

  boolean(name: string): boolean {
    const value = this.values[name];
    if (typeof value === 'boolean') return value;
    if (value === undefined || value === null) {
      this.missing(name);
      return false;
    }
    this.fail(name, `'${name}' must be true or false, not ${describe(value)}.`);
    return false;
  }

  string(name: string): string {
    const value = this.values[name];
    if (typeof value === 'string') return value;
    if (value === undefined || value === null) {
      this.missing(name);
      return '';
    }
    this.fail(name, `'${name}' must be a string, not ${describe(value)}.`);
    return '';
  }

  optionalString(name: string): string | undefined {
    return this.isNone(name) ? undefined : this.string(name);
  }

  numberList(name: string, integers: boolean): number[] {
    const value = this.values[name];
    if (value === undefined || value === null) {
      this.missing(name);
      return [];
    }
    if (!Array.isArray(value)) {
      this.fail(name, `'${name}' must be a list of ${integers ? 'integers' : 'numbers'}, not ${describe(value)}.`);
      return [];
    }
    const out: number[] = [];
    value.forEach((element: unknown, index) => {
      if (typeof element !== 'number' || !Number.isFinite(element) || (integers && !Number.isInteger(element))) {
        this.failures += 1;
        this.issues.push({
          path: [...this.path, name, index],
          message: `'${name}[${index}]' must be ${integers ? 'an integer' : 'a number'}, not ${describe(element)}.`,
          severity: 'error',
        });
      } else out.push(element);
    });
    return out;
  }
}
