// Rules that check blocks against the catalog: known sections, known types, known parameters, types and ranges.

import { OPTIMIZERS, SCHEDULERS, findParam, isCodeOnlyScheduler } from '../catalog/index';
import { TOP_LEVEL_SECTIONS, TRAINING_SECTION } from '../catalog/sections';
import type { ParamSpec } from '../catalog/types';
import type { ParamValue, SchedulerBlock } from '../model';
import type { Span } from '../syntax/tree';
import { closestMatch } from '../util/suggest';
import type { Rule, RuleContext } from './context';
import { checkParamValue } from './values';


/** The native format's top level: a mapping of known sections, each of the right shape. */
export const nativeStructure: Rule = (context) => {
  const { tree } = context.model;
  const root = tree.root;
  if (root === null) return;
  if (root.kind !== 'map') {
    context.report('OL005', root, 'The top level of an optimizer config must be a mapping with `optimizer:`, `scheduler:` and `training:` sections.');
    return;
  }
  const known = TOP_LEVEL_SECTIONS.map((section) => section.name);
  for (const entry of root.entries) {
    if (entry.key === '$schema' || known.includes(entry.key)) {
      const shapeOk = entry.value === null || entry.value.kind === 'map' || (entry.key === 'optimizer' && entry.value.kind === 'scalar');
      if (!shapeOk && entry.key !== '$schema') context.report('OL005', entry.value ?? entry.keySpan, `\`${entry.key}:\` must be a mapping.`);
      continue;
    }
    const guess = closestMatch(entry.key, known);
    context.report(
      'OL100',
      entry.keySpan,
      `Unknown section \`${entry.key.length > 40 ? `${entry.key.slice(0, 40)}…` : entry.key}\`${guess ? `; did you mean \`${guess}\`?` : `. Known sections: ${known.join(', ')}.`}`,
      guess ? [{ title: `Rename to \`${guess}\``, edits: [{ ...entry.keySpan, newText: guess }], preferred: true }] : [],
    );
  }
};

export const optimizerBlock: Rule = (context) => {
  const optimizer = context.model.optimizer;
  if (!optimizer) return;
  if (!optimizer.typeName) {
    if (optimizer.node) context.report('OL106', optimizer.keySpan, 'The optimizer has no `type:` (e.g. `type: AdamW`).');
    return;
  }
  if (!optimizer.entry) {
    reportUnknownType(context, 'OL101', 'optimizer', optimizer.typeName, optimizer.typeSpan, OPTIMIZERS.map((entry) => entry.name));
    return;
  }
  checkParams(context, optimizer, optimizer.entry.name, optimizer.entry.params, (param) => {
    if (param.key === 'momentum' && !optimizer.entry?.hasMomentum) {
      const hint = optimizer.entry?.hasBetas ? ' Its momentum is `betas[0]`.' : '';
      context.report('OL209', param.keySpan, `${optimizer.entry?.name} has no \`momentum\` parameter; PyTorch raises TypeError.${hint}`);
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
    context.report('OL106', topLevel ? block.keySpan : block.typeSpan, 'The scheduler has no `type:` (e.g. `type: CosineAnnealingLR`).');
    return;
  }
  if (!block.entry) {
    if (isCodeOnlyScheduler(block.typeName)) {
      context.report('OL214', block.typeSpan, `${block.typeName} takes a Python function and cannot be written in a config; use a named scheduler or an \`hf.*\` schedule.`);
      return;
    }
    reportUnknownType(context, 'OL102', 'scheduler', block.typeName, block.typeSpan, SCHEDULERS.map((entry) => entry.name));
    return;
  }
  checkParams(context, block, block.entry.name, block.entry.params, () => false);
  if (block.entry.composite) {
    const list = block.params.get('schedulers');
    if (!list) context.report('OL106', block.typeSpan, `${block.entry.name} needs \`schedulers:\`, a list of scheduler blocks.`);
    else if (list.node?.kind !== 'seq') context.report('OL104', list.node ?? list.keySpan, '`schedulers` must be a list of scheduler blocks.');
    for (const child of block.children) {
      if (child.entry?.needsMetric) {
        context.report('OL212', child.typeSpan, `${child.entry.name} cannot be nested in ${block.entry.name}: it is stepped with a metric, and PyTorch rejects it here.`);
      }
      checkScheduler(context, child, false);
    }
  }
}

export const trainingBlock: Rule = (context) => {
  const training = context.model.training;
  if (!training?.node) return;
  checkParams(context, { params: training.params, typeSpan: training.keySpan }, '`training:`', TRAINING_SECTION.params, () => false, 'warning');
};

function reportUnknownType(context: RuleContext, code: string, kind: string, typeName: string, span: Span, names: readonly string[]): void {
  const bare = typeName.replace(/^torch\.optim\.(lr_scheduler\.)?/, '');
  const guess = closestMatch(bare, names);
  const prefix = typeName.slice(0, typeName.length - bare.length);
  context.report(
    code,
    span,
    `Unknown ${kind} \`${typeName}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`,
    guess ? [{ title: `Change to \`${prefix}${guess}\``, edits: [{ ...span, newText: `${prefix}${guess}` }], preferred: true }] : [],
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
  const names = specs.map((spec) => spec.name);
  for (const param of block.params.values()) {
    if (special(param)) continue;
    const spec = findParam({ params: specs }, param.name);
    if (!spec) {
      const guess = closestMatch(param.key, names);
      const message = `${owner} has no parameter \`${param.key}\`${guess ? `; did you mean \`${guess}\`?` : '.'}`;
      const fixes = guess ? [{ title: `Rename to \`${guess}\``, edits: [{ ...param.keySpan, newText: guess }], preferred: true }] : [];
      if (unknownSeverity === 'error') context.report('OL103', param.keySpan, message, fixes);
      else context.report('OL100', param.keySpan, message, fixes);
      continue;
    }
    if (spec.deprecated) context.report('OL107', param.keySpan, spec.deprecated);
    // A value filled in at run time (DeepSpeed "auto", an interpolation) cannot be checked here.
    if (param.opaque) continue;
    checkParamValue(context, spec, param.value, param.node, param.keySpan, owner);
  }
  for (const spec of specs) {
    if (spec.required && !block.params.has(spec.name)) {
      context.report('OL106', block.typeSpan, `${owner} needs \`${spec.name}\` (${spec.doc.replace(/\.$/, '')}).`);
    }
  }
}
