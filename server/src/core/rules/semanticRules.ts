// Cross-field rules: the schedule against the run length, the scheduler against the optimizer, and known traps.

import { divergingMomentum, optimizerConstraintViolations } from '../catalog/constraints';
import { findParam, resolveParams, stepRole } from '../catalog/index';
import type { Fix, ParamValue, SchedulerBlock } from '../model';
import { givenParams, resolvedOptimizerParams, resolvedParam } from '../modelValues';
import type { Span } from '../syntax/tree';
import { formatNumber, type Rule, type RuleContext } from './context';
import { insertEntryEdit, replaceValueEdit } from './edits';
import { timmCycleLength, timmUnit } from '../schedule/timm';

/** The number of scheduler steps a block runs for, and where that number comes from. */
interface Stretch {
  readonly length: number;
  /** A SequentialLR part: the next scheduler takes over at its end, so a warmup that ends exactly there is complete. */
  readonly handsOver: boolean;
  /** The part's first step, for a SequentialLR part; absent for the whole run. */
  readonly from?: number;
  /** Where the whole run's length comes from, e.g. ", from `training:`". */
  readonly source?: string;
}

/**
 * Explains a stretch's length in messages, e.g. "the run (10000 steps)" or "its part of the SequentialLR (steps
 * 500..999, 500 steps)". Written only when a message needs it: a SequentialLR of thousands of parts reports few.
 */
function labelOf(stretch: Stretch): string {
  if (stretch.from === undefined) return `the run (${stretch.length} steps${stretch.source ?? ''})`;
  const to = stretch.from + stretch.length;
  return `its part of the SequentialLR (steps ${stretch.from}..${to - 1}, ${stretch.length} steps)`;
}

function numberOf(param: ParamValue | undefined): number | undefined {
  return typeof param?.value === 'number' && Number.isFinite(param.value) ? param.value : undefined;
}

function baseLr(context: RuleContext): number | undefined {
  const lr = resolvedOptimizerParams(context.model)?.lr;
  return typeof lr === 'number' ? lr : undefined;
}

/** Visit every scheduler block with the stretch of the run it is responsible for. */
function forEachScheduler(
  context: RuleContext,
  visit: (block: SchedulerBlock, stretch: Stretch | undefined) => void,
): void {
  const scheduler = context.model.scheduler;
  if (!scheduler) return;
  const total = context.model.training?.totalSteps;
  const walk = (block: SchedulerBlock, stretch: Stretch | undefined): void => {
    visit(block, stretch);
    if (!block.entry?.composite) return;
    if (block.entry.name === 'SequentialLR') {
      const milestones = block.params.get('milestones')?.value;
      const list = Array.isArray(milestones) ? milestones.filter((m): m is number => typeof m === 'number') : [];
      block.children.forEach((child, index) => {
        const from = index === 0 ? 0 : list[index - 1];
        const to = index < list.length ? list[index] : stretch?.length;
        const childStretch =
          from !== undefined && to !== undefined && to > from
            ? { length: to - from, from, handsOver: index < list.length }
            : undefined;
        walk(child, childStretch);
      });
    } else {
      for (const child of block.children) walk(child, stretch);
    }
  };
  const source = context.model.dialect === 'optim' ? ', from `training:`' : '';
  walk(scheduler, total !== undefined ? { length: total, source, handsOver: false } : undefined);
}

export const runLengthChecks: Rule = (context) => {
  const text = context.model.tree.text;
  forEachScheduler(context, (block, stretch) => {
    const entry = block.entry;
    if (!entry || !stretch) return;
    for (const param of block.params.values()) {
      const spec = findParam(entry, param.name);
      if (!spec) continue;
      const role = stepRole(spec);
      if (!role) continue;
      if (entry.name === 'SequentialLR') continue; // Its milestones are checked by sequentialMilestones.
      if (role === 'milestone') {
        checkMilestones(context, block, param, stretch, text);
        continue;
      }
      const value = numberOf(param);
      if (value === undefined || value <= 0) continue;
      const node: Span = param.node ?? param.keySpan;
      if (role === 'warmup') {
        const warming =
          entry.name !== 'LinearLR' ||
          Number(resolvedParam(block, 'start_factor')) < Number(resolvedParam(block, 'end_factor'));
        if (warming && (value > stretch.length || (value === stretch.length && !stretch.handsOver))) {
          context.report(
            'OL200',
            node,
            `Warmup of ${value} steps is not shorter than ${labelOf(stretch)}: the lr never reaches its peak.`,
          );
        }
      } else if (role === 'period') {
        if (value >= stretch.length)
          context.report(
            'OL216',
            node,
            `\`${param.name}\` is ${value}, but ${labelOf(stretch)} ends first: the lr never decays.`,
          );
      } else if (role === 'total') {
        checkTotal(context, block, param, value, stretch, text);
      }
    }
    if (entry.name === 'OneCycleLR' && !block.params.has('total_steps')) {
      const epochs = numberOf(block.params.get('epochs'));
      const perEpoch = numberOf(block.params.get('steps_per_epoch'));
      if (epochs !== undefined && perEpoch !== undefined && epochs * perEpoch < stretch.length) {
        const span = block.params.get('epochs')?.node ?? block.typeSpan;
        context.report(
          'OL203',
          span,
          `OneCycleLR is sized for epochs x steps_per_epoch = ${epochs * perEpoch} steps but runs for ${labelOf(stretch)}: PyTorch raises ValueError at step ${epochs * perEpoch + 1}.`,
        );
      }
    }
  });
};

function checkMilestones(
  context: RuleContext,
  block: SchedulerBlock,
  param: ParamValue,
  stretch: Stretch,
  text: string,
): void {
  const items = param.node?.kind === 'seq' ? param.node.items : [];
  const values = Array.isArray(param.value) ? param.value : [param.value];
  values.forEach((value, index) => {
    // A length equal to the run (`total_iters: 1000` or a last milestone of 1000 in a 1000-step run) is how a
    // schedule is written to end with the run; only a value past it is a mistake.
    if (typeof value !== 'number' || value <= stretch.length) return;
    const node = items[index] ?? param.node ?? param.keySpan;
    const clamp = stretch.length;
    context.report(
      'OL201',
      node,
      `\`${param.name}\` ${value} of ${block.entry?.name ?? 'the scheduler'} lies beyond the end of ${labelOf(stretch)}: it is never reached.`,
      items[index]
        ? [
            {
              title: `Clamp to ${clamp} (the run length)`,
              edits: [{ start: node.start, end: node.end, newText: String(clamp) }],
            },
          ]
        : param.node && typeof param.value === 'number'
          ? [{ title: `Clamp to ${clamp} (the run length)`, edits: [replaceValueEdit(text, param, String(clamp))] }]
          : [],
    );
  });
}

function checkTotal(
  context: RuleContext,
  block: SchedulerBlock,
  param: ParamValue,
  value: number,
  stretch: Stretch,
  text: string,
): void {
  const name = block.entry?.name ?? '';
  const span: Span = param.node ?? param.keySpan;
  const setTo = {
    title: `Set \`${param.name}\` to ${stretch.length}`,
    edits: [replaceValueEdit(text, param, String(stretch.length))],
  };
  if (name === 'OneCycleLR') {
    if (value < stretch.length) {
      context.report(
        'OL203',
        span,
        `OneCycleLR total_steps is ${value} but it runs for ${labelOf(stretch)}: PyTorch raises ValueError at step ${value + 1}.`,
        [{ ...setTo, preferred: true }],
      );
    } else if (value > stretch.length) {
      context.report(
        'OL215',
        span,
        `OneCycleLR total_steps is ${value} but ${labelOf(stretch)} is shorter: the annealing phase never finishes.`,
        [setTo],
      );
    }
    return;
  }
  if (name === 'CosineAnnealingLR') {
    if (value < stretch.length) {
      context.report(
        'OL206',
        span,
        `T_max is ${value} but the scheduler runs for ${labelOf(stretch)}: after step ${value} PyTorch's cosine climbs back up towards the base lr.`,
        [{ ...setTo, preferred: true }],
      );
    } else if (value > stretch.length) {
      context.report(
        'OL215',
        span,
        `T_max is ${value} but ${labelOf(stretch)} is shorter: the cosine stops before reaching eta_min.`,
        [setTo],
      );
    }
    return;
  }
  if (block.entry?.family === 'timm') {
    checkTimmCycles(context, block, value, stretch, span, setTo);
    return;
  }
  if (value !== stretch.length) {
    const effect =
      value < stretch.length
        ? 'the schedule ends early and the lr stays at its floor for the rest of the run'
        : 'the schedule never finishes';
    context.report('OL215', span, `\`${param.name}\` is ${value} but ${labelOf(stretch)} differs: ${effect}.`, [setTo]);
  }
}

/** timm's cycle schedulers end where their last cycle ends (`get_cycle_length()`), which counts epochs unless `t_in_epochs: false`. */
function checkTimmCycles(
  context: RuleContext,
  block: SchedulerBlock,
  tInitial: number,
  stretch: Stretch,
  span: Span,
  setTo: Fix,
): void {
  const resolved = resolveParams(block.entry as NonNullable<SchedulerBlock['entry']>, givenParams(block));
  const [cycleMul, cycleLimit, warmupT] = [resolved.cycle_mul, resolved.cycle_limit, resolved.warmup_t].map(Number) as [
    number,
    number,
    number,
  ];
  if (![cycleMul, cycleLimit, warmupT].every(Number.isFinite)) return;
  const end = timmCycleLength({
    tInitial,
    cycleMul,
    cycleLimit,
    warmupT,
    warmupPrefix: resolved.warmup_prefix === true,
  });
  const unit = timmUnit(resolved.t_in_epochs !== false).plural;
  const counted =
    unit === 'epochs'
      ? 't_initial counts epochs: t_in_epochs is true, the default'
      : 't_initial counts optimizer updates: t_in_epochs is false';
  if (end < stretch.length) {
    context.report(
      'OL215',
      span,
      `${block.entry?.name} ends its last cycle at ${end} ${unit} but ${labelOf(stretch)} is longer: the lr stays at lr_min for the last ${stretch.length - end} ${unit} (${counted}).`,
      cycleLimit === 1 && end === tInitial ? [setTo] : [],
    );
  } else if (end > stretch.length) {
    context.report(
      'OL215',
      span,
      `${block.entry?.name} ends its last cycle at ${end} ${unit} but ${labelOf(stretch)} is shorter: the lr never reaches lr_min (${counted}).`,
      cycleLimit === 1 && end === tInitial ? [setTo] : [],
    );
  }
}

export const sequentialMilestones: Rule = (context) => {
  forEachScheduler(context, (block, stretch) => {
    if (block.entry?.name !== 'SequentialLR') return;
    const param = block.params.get('milestones');
    if (!param) {
      context.report('OL106', block.typeSpan, 'SequentialLR needs `milestones:` (one fewer than its schedulers).');
      return;
    }
    const values = Array.isArray(param.value) ? param.value : undefined;
    if (!values) return;
    const span = param.node ?? param.keySpan;
    if (values.length !== block.children.length - 1) {
      context.report(
        'OL202',
        span,
        `SequentialLR has ${block.children.length} schedulers, so it needs ${Math.max(0, block.children.length - 1)} milestones (got ${values.length}); PyTorch raises ValueError.`,
      );
    }
    const items = param.node?.kind === 'seq' ? param.node.items : [];
    for (let i = 1; i < values.length; i++) {
      const previous = values[i - 1];
      const current = values[i];
      if (typeof previous === 'number' && typeof current === 'number' && current <= previous) {
        context.report(
          'OL202',
          items[i] ?? span,
          `SequentialLR milestones must increase: ${current} follows ${previous}.`,
        );
      }
    }
    if (stretch) {
      values.forEach((value, index) => {
        if (typeof value === 'number' && value >= stretch.length) {
          const node = items[index] ?? span;
          context.report(
            'OL201',
            node,
            `Milestone ${value} is never reached: ${labelOf(stretch)} ends at step ${stretch.length - 1}, so the next scheduler never runs.`,
          );
        }
      });
    }
    if (values[0] === 0) {
      context.report(
        'OL202',
        items[0] ?? span,
        'A SequentialLR milestone at 0 is broken in PyTorch: the first scheduler still sets lr[0] and the second one then decays from it instead of restarting.',
      );
    }
  });
};

export const schedulerVersusOptimizer: Rule = (context) => {
  const optimizer = context.model.optimizer;
  const base = baseLr(context);
  const text = context.model.tree.text;
  const json = context.model.tree.format === 'json';
  forEachScheduler(context, (block) => {
    const entry = block.entry;
    if (!entry) return;
    // OneCycleLR: max_lr below the optimizer's lr.
    if (entry.name === 'OneCycleLR' && base !== undefined && optimizer?.params.has('lr')) {
      const maxLr = resolvedParam(block, 'max_lr');
      const peak =
        typeof maxLr === 'number' ? maxLr : Array.isArray(maxLr) && typeof maxLr[0] === 'number' ? maxLr[0] : undefined;
      if (peak !== undefined && peak < base) {
        const span = block.params.get('max_lr')?.node ?? block.typeSpan;
        context.report(
          'OL204',
          span,
          `OneCycleLR max_lr ${formatNumber(peak)} is below the optimizer lr ${formatNumber(base)}; OneCycleLR ignores the optimizer lr and peaks at max_lr. Was max_lr meant to be the larger one?`,
        );
      }
    }
    // eta_min above the starting lr: the cosine rises.
    if (findParam(entry, 'eta_min') && base !== undefined) {
      const etaMin = resolvedParam(block, 'eta_min');
      if (typeof etaMin === 'number' && etaMin > base) {
        const span = block.params.get('eta_min')?.node ?? block.typeSpan;
        context.report(
          'OL205',
          span,
          `eta_min ${formatNumber(etaMin)} is above the optimizer lr ${formatNumber(base)}: the cosine rises instead of decaying.`,
        );
      }
    }
    // Momentum cycling on an optimizer that cannot cycle it.
    // DeepSpeed's OneCycle only logs a warning and skips momentum cycling on an optimizer without betas: nothing raises.
    if (
      entry.cyclesMomentum &&
      entry.family !== 'deepspeed' &&
      optimizer?.entry &&
      resolvedParam(block, 'cycle_momentum') !== false
    ) {
      const canCycle =
        entry.name === 'OneCycleLR'
          ? optimizer.entry.hasMomentum || optimizer.entry.hasBetas
          : optimizer.entry.hasMomentum;
      if (!canCycle) {
        const existing = block.params.get('cycle_momentum');
        const edit = existing
          ? replaceValueEdit(text, existing, 'false')
          : block.node
            ? insertEntryEdit(text, block.node, 'cycle_momentum', 'false', json)
            : undefined;
        context.report(
          'OL210',
          existing?.node ?? block.typeSpan,
          `${entry.name} cycles momentum by default, but ${optimizer.entry.name} has no \`momentum\`${entry.name === 'OneCycleLR' ? ' or `betas`' : ''}: PyTorch raises ValueError. Set \`cycle_momentum: false\`.`,
          edit ? [{ title: 'Set `cycle_momentum: false`', edits: [edit], preferred: true }] : [],
        );
      }
    }
  });
};

export const optimizerTraps: Rule = (context) => {
  const optimizer = context.model.optimizer;
  const entry = optimizer?.entry;
  if (!optimizer || !entry) return;
  // Coupled L2 weight decay in an adaptive optimizer.
  const decay = optimizer.params.get('weight_decay');
  const decayValue = numberOf(decay);
  if (decay && decayValue !== undefined && decayValue > 0 && entry.adaptive && entry.weightDecay === 'l2') {
    const variant = entry.decoupledVariant;
    const prefix = optimizer.typeName.startsWith('torch.optim.') ? 'torch.optim.' : '';
    context.report(
      'OL207',
      decay.keySpan,
      `${entry.name}'s weight_decay is coupled L2 (added to the gradient, then rescaled by the adaptive denominator), which decays large weights less.${variant ? ` Decoupled decay is ${variant}.` : ''}`,
      variant
        ? [
            {
              title: `Switch to ${variant} (decoupled weight decay)`,
              edits: [{ ...optimizer.typeSpan, newText: `${prefix}${variant}` }],
              preferred: true,
            },
          ]
        : [],
    );
  }
  // An lr far outside the usual range, unless the scheduler overrides it.
  const lrParam = optimizer.params.get('lr');
  const lr = numberOf(lrParam);
  const overridden = context.model.scheduler?.entry?.overridesLr === true;
  if (lrParam && lr !== undefined && lr > 0 && !overridden) {
    const [low, high] = entry.typicalLr;
    if (lr < low / 10 || lr > high * 10) {
      const how =
        lr > high * 10
          ? `more than ten times above the usual range for ${entry.name}`
          : `more than ten times below the usual range for ${entry.name}`;
      context.report(
        'OL208',
        lrParam.node ?? lrParam.keySpan,
        `lr ${formatNumber(lr)} is ${how} (${formatNumber(low)} to ${formatNumber(high)}): a typo in the exponent?`,
      );
    }
  }
  // What PyTorch accepts but cannot train with, and what it refuses in combination: the same checks as the engines.
  const resolved = resolvedOptimizerParams(context.model) ?? {};
  const momentum = optimizer.params.get('momentum');
  const diverging = divergingMomentum(entry, resolved);
  if (diverging && momentum) context.report('OL225', momentum.node ?? momentum.keySpan, diverging);
  for (const violation of optimizerConstraintViolations(entry, resolved)) {
    const param = optimizer.params.get(violation.param);
    context.report('OL226', param?.node ?? param?.keySpan ?? optimizer.typeSpan, violation.message);
  }
};
