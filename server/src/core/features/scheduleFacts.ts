// Runs the schedule engine on a config's scheduler: the bridge from the semantic model to the engine's plain request.

import { givenParams, resolvedOptimizerParams } from '../modelValues';
import type { ConfigModel, ParamValue, SchedulerBlock } from '../model';
import { evaluateSchedule, summarizeSchedule } from '../schedule/index';
import type { OptimizerContext, SchedulerConfig, ScheduleSeries, ScheduleSummary } from '../schedule/types';
import { nodeAt, type Span } from '../syntax/tree';

/** Steps shown when the file does not say how long the run is. */
export const DEFAULT_PREVIEW_STEPS = 1000;
/** The longest schedule evaluated on request; longer requests are refused with a message. */
export const MAX_SCHEDULE_STEPS = 10_000_000;

export interface ScheduleFacts {
  readonly series: ScheduleSeries;
  readonly summary: ScheduleSummary | undefined;
  readonly steps: number;
  /** True when the run length came from `training:` (or the dialect's equivalent). */
  readonly stepsFromRun: boolean;
  readonly title: string;
  /** Issues located in the file. */
  readonly located: readonly {
    readonly span: Span;
    readonly message: string;
    readonly severity: 'error' | 'warning';
    readonly path?: readonly (string | number)[];
  }[];
  /** Notes about assumptions made (default lr, default length). */
  readonly notes: readonly string[];
}

export function schedulerConfig(block: SchedulerBlock): SchedulerConfig {
  const params = givenParams(block);
  if (block.children.length > 0 || block.entry?.composite) params.schedulers = block.children.map(schedulerConfig);
  return { type: block.entry?.name ?? block.typeName, params };
}

export function optimizerContext(model: ConfigModel, notes: string[]): OptimizerContext {
  const optimizer = model.optimizer;
  const entry = optimizer?.entry;
  if (!optimizer || !entry) {
    notes.push('No known optimizer in the file: the schedule is drawn from a base lr of 1e-3.');
    return { lr: 1e-3 };
  }
  const resolved = resolvedOptimizerParams(model) ?? {};
  const lr = typeof resolved.lr === 'number' ? resolved.lr : 1e-3;
  if (typeof resolved.lr !== 'number')
    notes.push(`${entry.name} has no lr in the file: the schedule is drawn from a base lr of 1e-3.`);
  const momentum =
    entry.hasMomentum && typeof resolved.momentum === 'number' ? resolved.momentum : entry.hasMomentum ? 0 : undefined;
  const betasValue = resolved.betas;
  const betas =
    entry.hasBetas &&
    Array.isArray(betasValue) &&
    betasValue.length === 2 &&
    betasValue.every((b) => typeof b === 'number')
      ? ([betasValue[0] as number, betasValue[1] as number] as const)
      : entry.hasBetas
        ? ([0.9, 0.999] as const)
        : undefined;
  return { lr, ...(momentum !== undefined ? { momentum } : {}), ...(betas ? { betas } : {}) };
}

/** Parameters of the block (and its children) whose values are only known at run time. */
function opaqueParams(block: SchedulerBlock, found: ParamValue[] = []): ParamValue[] {
  for (const param of block.params.values()) if (param.opaque !== undefined) found.push(param);
  for (const child of block.children) opaqueParams(child, found);
  return found;
}

export function scheduleTitle(block: SchedulerBlock): string {
  const name = block.entry?.name ?? block.typeName;
  return block.children.length > 0 ? `${name}(${block.children.map(scheduleTitle).join(', ')})` : name;
}

/** Evaluate the file's schedule. `undefined` when there is no scheduler or its type is unknown. */
export function computeSchedule(
  model: ConfigModel,
  options: { steps?: number; metrics?: ArrayLike<number> } = {},
): ScheduleFacts | undefined {
  const block = model.scheduler;
  if (!block?.entry) return undefined;
  const notes: string[] = [];
  const runSteps = model.training?.totalSteps;
  let steps = options.steps ?? runSteps ?? DEFAULT_PREVIEW_STEPS;
  if (options.steps === undefined && runSteps === undefined)
    notes.push(
      `The file gives no run length${model.dialect === 'optim' ? ' (`training.steps`)' : ''}: showing ${DEFAULT_PREVIEW_STEPS} steps.`,
    );
  if (!Number.isFinite(steps) || steps < 1) steps = DEFAULT_PREVIEW_STEPS;
  if (steps > MAX_SCHEDULE_STEPS) {
    notes.push(
      `${steps} steps is more than the ${MAX_SCHEDULE_STEPS} that are evaluated; showing the first ${MAX_SCHEDULE_STEPS}.`,
    );
    steps = MAX_SCHEDULE_STEPS;
  }
  // What every answer shares: the run length and the title.
  const frame = {
    steps: Math.floor(steps),
    stepsFromRun: options.steps === undefined && runSteps !== undefined,
    title: scheduleTitle(block),
  };
  // Drawing a curve from values nobody gave (defaults for run-time values, invented metrics) would be a made-up
  // curve, so these two cases answer with no curve and a note saying why.
  const undrawable = (why: string): ScheduleFacts => ({
    series: { lr: new Float64Array(0), markers: [], issues: [] },
    summary: undefined,
    ...frame,
    located: [],
    notes: [...notes, why],
  });
  const opaque = opaqueParams(block);
  if (opaque.length > 0)
    return undrawable(
      `The schedule depends on values only known at run time (${opaque.map((param) => `\`${param.key}\``).join(', ')}), so it cannot be drawn from the file alone.`,
    );
  if (block.entry.needsMetric && !options.metrics)
    return undrawable(
      `${block.entry.name} lowers the lr when the monitored metric stops improving, so its curve depends on your metrics: type them in the schedule panel (or give them to \`optlens schedule --metrics\`) to draw it.`,
    );
  const series = evaluateSchedule({
    scheduler: schedulerConfig(block),
    optimizer: optimizerContext(model, notes),
    steps: frame.steps,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const located = series.issues.map((issue) => ({
    span: (block.node ? nodeAt(block.node, issue.path) : undefined) ?? block.typeSpan,
    message: issue.message,
    severity: issue.severity,
    path: issue.path,
  }));
  return {
    series,
    summary: series.lr.length > 0 ? summarizeSchedule(series) : undefined,
    ...frame,
    located,
    notes: [...notes, ...(series.notes ?? [])],
  };
}
