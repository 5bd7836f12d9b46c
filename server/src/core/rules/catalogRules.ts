// Rules that check blocks against the catalog: known sections, known types, known parameters, types and ranges.

import { OPTIMIZERS, SCHEDULERS, isCodeOnlyScheduler } from '../catalog/index';
import { TOP_LEVEL_SECTIONS, TRAINING_SECTION } from '../catalog/sections';
import { availability } from '../catalog/torchVersions';
import type { EntryBase, ParamSpec, ParamType } from '../catalog/types';
import type { RuleCode } from '../catalog/rules';
import type { ParamValue, SchedulerBlock } from '../model';
import type { Span } from '../syntax/tree';
import { closestMatch } from '../util/suggest';
import type { Rule, RuleContext } from './context';
import { renameKeyEdit } from './edits';
import { checkParamValue } from './values';

/** The native format's top level: a mapping of known sections, each of the right shape. */
export const nativeStructure: Rule = (context) => {
  const { tree } = context.model;
  const root = tree.root;
  if (root === null) return;
  if (root.kind !== 'map') {
    context.report(
      'OL005',
      root,
      'The top level of an optimizer config must be a mapping with `optimizer:`, `scheduler:` and `training:` sections.',
    );
    return;
  }
  const known = TOP_LEVEL_SECTIONS.map((section) => section.name);
  for (const entry of root.entries) {
    if (entry.key === '$schema' || known.includes(entry.key)) {
      const shapeOk =
        entry.value === null ||
        entry.value.kind === 'map' ||
        (entry.key === 'optimizer' && entry.value.kind === 'scalar');
      if (!shapeOk && entry.key !== '$schema')
        context.report('OL005', entry.value ?? entry.keySpan, `\`${entry.key}:\` must be a mapping.`);
      continue;
    }
    const guess = closestMatch(entry.key, known);
    context.report(
      'OL100',
      entry.keySpan,
      `Unknown section \`${entry.key.length > 40 ? `${entry.key.slice(0, 40)}…` : entry.key}\`${guess ? `; did you mean \`${guess}\`?` : `. Known sections: ${known.join(', ')}.`}`,
      guess
        ? [
            {
              title: `Rename to \`${guess}\``,
              edits: [renameKeyEdit(context.model.tree.text, entry.keySpan, guess)],
              preferred: true,
            },
          ]
        : [],
    );
  }
};

export const optimizerBlock: Rule = (context) => {
  const optimizer = context.model.optimizer;
  if (!optimizer) return;
  if (!optimizer.typeName) {
    if (optimizer.node)
      context.report('OL106', optimizer.keySpan, 'The optimizer has no `type:` (e.g. `type: AdamW`).');
    return;
  }
  if (!optimizer.entry) {
    reportUnknownType(context, 'optimizer', optimizer.typeName, optimizer.typeSpan);
    return;
  }
  checkClassVersion(context, optimizer.entry, 'torch.optim.', optimizer.typeSpan);
  checkParams(context, optimizer, optimizer.entry.name, optimizer.entry.params, (param) => {
    if (param.key === 'momentum' && !optimizer.entry?.hasMomentum) {
      const hint = optimizer.entry?.hasBetas ? ' Its momentum is `betas[0]`.' : '';
      context.report(
        'OL209',
        param.keySpan,
        `${optimizer.entry?.name} has no \`momentum\` parameter; PyTorch raises TypeError.${hint}`,
      );
      return true;
    }
    return false;
  });
};

export const schedulerBlock: Rule = (context) => {
  const scheduler = context.model.scheduler;
  if (scheduler) checkScheduler(context, scheduler, true);
};

function checkScheduler(context: RuleContext, block: SchedulerBlock, topLevel: boolean): void {
  if (!block.typeName) {
    context.report(
      'OL106',
      topLevel ? block.keySpan : block.typeSpan,
      'The scheduler has no `type:` (e.g. `type: CosineAnnealingLR`).',
    );
    return;
  }
  if (!block.entry) {
    if (isCodeOnlyScheduler(block.typeName)) {
      context.report(
        'OL214',
        block.typeSpan,
        `${block.typeName} takes a Python function and cannot be written in a config; use a named scheduler or an \`hf.*\` schedule.`,
      );
      return;
    }
    reportUnknownType(context, 'scheduler', block.typeName, block.typeSpan);
    return;
  }
  checkClassVersion(context, block.entry, 'torch.optim.lr_scheduler.', block.typeSpan);
  checkParams(context, block, block.entry.name, block.entry.params, () => false);
  if (block.entry.composite) {
    const list = block.params.get('schedulers');
    if (!list)
      context.report('OL106', block.typeSpan, `${block.entry.name} needs \`schedulers:\`, a list of scheduler blocks.`);
    else if (list.node?.kind !== 'seq')
      context.report('OL104', list.node ?? list.keySpan, '`schedulers` must be a list of scheduler blocks.');
    for (const child of block.children) {
      if (child.entry?.needsMetric) {
        context.report(
          'OL212',
          child.typeSpan,
          `${child.entry.name} cannot be nested in ${block.entry.name}: it is stepped with a metric, and PyTorch rejects it here.`,
        );
      }
      checkScheduler(context, child, false);
    }
  }
}

export const trainingBlock: Rule = (context) => {
  const training = context.model.training;
  if (!training?.node) return;
  checkParams(
    context,
    { params: training.params, typeSpan: training.keySpan },
    '`training:`',
    TRAINING_SECTION.params,
    () => false,
    'warning',
  );
};

/** The code an unknown type is reported with, and the catalog names a guess is drawn from. */
const UNKNOWN_TYPE = {
  optimizer: { code: 'OL101', entries: OPTIMIZERS },
  scheduler: { code: 'OL102', entries: SCHEDULERS },
} as const satisfies Record<string, { code: RuleCode; entries: readonly { readonly name: string }[] }>;

function reportUnknownType(context: RuleContext, kind: keyof typeof UNKNOWN_TYPE, typeName: string, span: Span): void {
  const { code, entries } = UNKNOWN_TYPE[kind];
  const names = entries.map((entry) => entry.name);
  const bare = typeName.replace(/^torch\.optim\.(lr_scheduler\.)?/, '');
  const guess = closestMatch(bare, names);
  const prefix = typeName.slice(0, typeName.length - bare.length);
  context.report(
    code,
    span,
    `Unknown ${kind} \`${typeName}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`,
    guess
      ? [
          {
            title: `Change to \`${prefix}${guess}\``,
            edits: [{ ...span, newText: `${prefix}${guess}` }],
            preferred: true,
          },
        ]
      : [],
  );
}

/**
 * Unknown keys (with a did-you-mean rename), value types and ranges, and missing required arguments.
 * `special` may claim a parameter first (returning true) to report a more specific problem.
 */
function checkParams(
  context: RuleContext,
  block: { readonly params: ReadonlyMap<string, ParamValue>; readonly typeSpan: Span },
  owner: string,
  specs: readonly ParamSpec[],
  special: (param: ParamValue) => boolean,
  unknownSeverity: 'error' | 'warning' = 'error',
): void {
  for (const param of block.params.values()) {
    if (special(param)) continue;
    const spec = specs.find((candidate) => candidate.name === param.name);
    if (!spec) {
      const guess = suggestParam(param, specs, block.params);
      const message = `${owner} has no parameter \`${param.key}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`;
      const fixes = guess
        ? [
            {
              title: `Rename to \`${guess}\``,
              edits: [renameKeyEdit(context.model.tree.text, param.keySpan, guess)],
              preferred: true,
            },
          ]
        : [];
      if (unknownSeverity === 'error') context.report('OL103', param.keySpan, message, fixes);
      else context.report('OL100', param.keySpan, message, fixes);
      continue;
    }
    if (
      !checkParamVersion(context, spec, param, owner) &&
      spec.deprecated &&
      (spec.deprecatedIn === undefined || availability({ since: spec.deprecatedIn }, context.torchVersion) === 'ok')
    ) {
      context.report('OL107', param.keySpan, spec.deprecated);
    }
    // A value filled in at run time (DeepSpeed "auto", an interpolation) cannot be checked here.
    if (param.opaque) continue;
    checkParamValue(context, spec, param.value, param.node, param.keySpan, owner);
  }
  for (const spec of specs) {
    const required =
      spec.required === true ||
      (spec.requiredUntil !== undefined &&
        availability({ since: spec.requiredUntil }, context.torchVersion) === 'not-yet');
    if (required && !block.params.has(spec.name)) {
      context.report('OL106', block.typeSpan, `${owner} needs \`${spec.name}\` (${spec.doc.replace(/\.$/, '')}).`);
    }
  }
}

/** A torch.optim class that the configured PyTorch release does not have yet (or any more). */
function checkClassVersion(context: RuleContext, entry: EntryBase, module: string, span: Span): void {
  const state = availability(entry, context.torchVersion);
  const qualified = `${module}${entry.name}`;
  if (state === 'not-yet') {
    context.report(
      'OL108',
      span,
      `${qualified} was added in PyTorch ${entry.since}; optimizerLens.torchVersion is ${context.torchVersion}, where it does not exist (AttributeError).`,
    );
  } else if (state === 'removed') {
    context.report(
      'OL108',
      span,
      `${qualified} was removed in PyTorch ${entry.removedIn}; optimizerLens.torchVersion is ${context.torchVersion}.`,
    );
  }
}

/** A keyword outside its lifetime in the configured release: reported (OL108) and true, else false. */
function checkParamVersion(context: RuleContext, spec: ParamSpec, param: ParamValue, owner: string): boolean {
  const state = availability(spec, context.torchVersion);
  if (state === 'ok') return false;
  const message =
    state === 'not-yet'
      ? `\`${param.key}\` of ${owner} was added in PyTorch ${spec.since}; optimizerLens.torchVersion is ${context.torchVersion}, where PyTorch raises TypeError (unexpected keyword argument).`
      : `\`${param.key}\` of ${owner} was removed in PyTorch ${spec.removedIn}${spec.deprecatedIn ? ` (deprecated since ${spec.deprecatedIn})` : ''}; optimizerLens.torchVersion is ${context.torchVersion}, where PyTorch raises TypeError (unexpected keyword argument). Remove it.`;
  context.report('OL108', param.keySpan, message);
  return true;
}

/** The JSON-ish kind of a value as written, for matching it with the parameter types it could belong to. */
function valueKind(param: ParamValue): 'number' | 'string' | 'boolean' | 'list' | 'other' {
  if (param.opaque) return 'other';
  const value = param.value;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return Number.isFinite(Number(value)) && value.trim() !== '' ? 'number' : 'string';
  if (Array.isArray(value)) return 'list';
  return 'other';
}

const TYPES_FOR_KIND: Readonly<Record<ReturnType<typeof valueKind>, readonly ParamType[]>> = {
  number: ['number', 'integer', 'numberOrList', 'any'],
  string: ['string', 'enum', 'any'],
  boolean: ['boolean', 'any'],
  list: ['numberPair', 'numberList', 'integerList', 'schedulerList', 'numberOrList', 'any'],
  other: [
    'number',
    'integer',
    'boolean',
    'string',
    'enum',
    'numberPair',
    'numberList',
    'integerList',
    'schedulerList',
    'numberOrList',
    'any',
  ],
};

/**
 * Did-you-mean for an unknown key: a known synonym first (e.g. DeepSpeed's `warmup_num_steps` for `warmup_steps`),
 * then the closest name among the parameters that can hold this kind of value and are not given already, so the
 * quick fix never turns a number into a string-valued key.
 */
function suggestParam(
  param: ParamValue,
  specs: readonly ParamSpec[],
  given: ReadonlyMap<string, ParamValue>,
): string | undefined {
  const key = param.key.toLowerCase();
  const allowed = TYPES_FOR_KIND[valueKind(param)];
  const candidates = specs.filter((spec) => allowed.includes(spec.type) && !given.has(spec.name));
  const synonym = candidates.find((spec) => spec.synonyms?.some((name) => name.toLowerCase() === key));
  if (synonym) return synonym.name;
  const byName = new Map<string, string>();
  for (const spec of candidates) {
    byName.set(spec.name, spec.name);
    for (const name of spec.synonyms ?? []) if (!byName.has(name)) byName.set(name, spec.name);
  }
  const guess = closestMatch(param.key, byName.keys());
  return guess === undefined ? undefined : byName.get(guess);
}
