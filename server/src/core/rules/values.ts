// Checks one value against its catalog parameter spec: type first, then range.

import type { Bound, ParamSpec } from '../catalog/types';
import type { Node, Span } from '../syntax/tree';
import { closestMatch } from '../util/suggest';
import type { RuleContext } from './context';

/** Reports type and range problems of one value; the context only needs `report`, so sections can collect them too. */
export function checkParamValue(
  context: Pick<RuleContext, 'report'>,
  spec: ParamSpec,
  value: unknown,
  node: Node | null,
  keySpan: Span,
  owner: string,
): void {
  const span: Span = node ?? keySpan;
  const where = `\`${spec.name}\` of ${owner}`;
  if (value === null || value === undefined) {
    if (spec.default === null || spec.type === 'any') return;
    context.report('OL104', span, `${where} has no value; expected ${describeType(spec)}.`);
    return;
  }
  switch (spec.type) {
    case 'any':
    case 'schedulerList':
      return;
    case 'number':
    case 'integer': {
      const number = asNumber(context, spec, value, span, where);
      if (number !== undefined) checkRange(context, spec, number, span, where);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean')
        context.report('OL104', span, `${where} must be true or false (got ${show(value)}).`);
      return;
    case 'string':
      if (typeof value !== 'string') context.report('OL104', span, `${where} must be a string (got ${show(value)}).`);
      return;
    case 'enum': {
      const values = spec.values ?? [];
      if (typeof value !== 'string' || !values.includes(value)) {
        const guess = typeof value === 'string' ? closestMatch(value, values) : undefined;
        const fixes =
          guess && node
            ? [
                {
                  title: `Change to '${guess}'`,
                  edits: [{ start: node.start, end: node.end, newText: guess }],
                  preferred: true,
                },
              ]
            : [];
        context.report(
          'OL104',
          span,
          `${where} must be one of ${values.map((v) => `\`${v}\``).join(', ')} (got ${show(value)})${guess ? `; did you mean \`${guess}\`?` : '.'}`,
          fixes,
        );
      }
      return;
    }
    case 'numberPair':
    case 'numberList':
    case 'integerList':
    case 'numberOrList': {
      if (spec.type === 'numberOrList' && !Array.isArray(value)) {
        const number = asNumber(context, spec, value, span, where);
        if (number !== undefined) checkRange(context, spec, number, span, where);
        return;
      }
      if (!Array.isArray(value)) {
        context.report('OL104', span, `${where} must be ${describeType(spec)} (got ${show(value)}).`);
        return;
      }
      if (spec.type === 'numberPair' && value.length !== 2) {
        context.report('OL104', span, `${where} must have exactly two numbers (got ${value.length}).`);
        return;
      }
      const items = node?.kind === 'seq' ? node.items : [];
      value.forEach((item, index) => {
        const itemSpan = items[index] ?? span;
        const itemWhere = `\`${spec.name}[${index}]\` of ${owner}`;
        const number = asNumber(
          context,
          { ...spec, type: spec.type === 'integerList' ? 'integer' : 'number' },
          item,
          itemSpan,
          itemWhere,
        );
        if (number !== undefined) checkRange(context, spec, number, itemSpan, itemWhere);
      });
      return;
    }
  }
}

function asNumber(
  context: Pick<RuleContext, 'report'>,
  spec: ParamSpec,
  value: unknown,
  span: Span,
  where: string,
): number | undefined {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      context.report('OL105', span, `${where} is NaN.`);
      return undefined;
    }
    if (spec.type === 'integer' && Number.isFinite(value) && !Number.isInteger(value)) {
      context.report('OL104', span, `${where} must be an integer (got ${formatExact(value)}).`);
      return undefined;
    }
    return value;
  }
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    context.report('OL104', span, `${where} is the string "${value}", not a number: remove the quotes.`);
    return undefined;
  }
  context.report(
    'OL104',
    span,
    `${where} must be ${spec.type === 'integer' ? 'an integer' : 'a number'} (got ${show(value)}).`,
  );
  return undefined;
}

function checkRange(
  context: Pick<RuleContext, 'report'>,
  spec: ParamSpec,
  value: number,
  span: Span,
  where: string,
): void {
  const low = spec.min;
  const high = spec.max;
  const belowMin = low !== undefined && (low.exclusive ? value <= low.value : value < low.value);
  const aboveMax = high !== undefined && (high.exclusive ? value >= high.value : value > high.value);
  if (belowMin || aboveMax) {
    context.report('OL105', span, `${where} must be ${describeRange(low, high)} (got ${formatExact(value)}).`);
  }
}

/**
 * A number exactly as JavaScript reads it back (the shortest string that round-trips), for bounds and user values
 * in "must be" messages: rounding them could show a bound that the value seems to meet, e.g.
 * "must be in [1, 65540] (got 65540)" for 65537 under a 65536 limit.
 */
export function formatExact(value: number): string {
  return String(value).replace('e+', 'e');
}

export function describeRange(low: Bound | undefined, high: Bound | undefined): string {
  if (low && high)
    return `in ${low.exclusive ? '(' : '['}${formatExact(low.value)}, ${formatExact(high.value)}${high.exclusive ? ')' : ']'}`;
  if (low) return `${low.exclusive ? '>' : '>='} ${formatExact(low.value)}`;
  if (high) return `${high.exclusive ? '<' : '<='} ${formatExact(high.value)}`;
  return 'a number';
}

export function describeType(spec: ParamSpec): string {
  switch (spec.type) {
    case 'number':
      return 'a number';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'enum':
      return `one of ${(spec.values ?? []).map((v) => `'${v}'`).join(', ')}`;
    case 'numberPair':
      return 'a pair of numbers, e.g. [0.9, 0.999]';
    case 'numberList':
      return 'a list of numbers';
    case 'integerList':
      return 'a list of integers';
    case 'schedulerList':
      return 'a list of scheduler blocks';
    case 'numberOrList':
      return 'a number or a list of numbers';
    case 'any':
      return 'a value';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}
