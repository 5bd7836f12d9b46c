// The bridge from a config's `simulate:` section to the simulator, and from its result to the panel's view.
// One home for both, used by the LSP handler, the CLI and the webview fixture generator.

import type { ConfigModel } from '../model';
import { optimizerConfigOf } from '../modelValues';
import {
  parseSimulateSection,
  runStatements,
  simulate,
  type RunStatement,
  type SimulateRequest,
  type SimulateResult,
} from '../simulate/index';
import { builtinLandscape } from '../landscape/index';
import { nodeAt, toPlain, type Span } from '../syntax/tree';
import { computeSchedule } from './scheduleFacts';
import type { SimulationView } from '../views';

export interface LocatedIssue {
  readonly span: Span;
  readonly message: string;
}

/** The simulation the file asks for, with the configured optimizer first and its schedule as lr factors. */
export function simulationRequest(
  model: ConfigModel,
  options: { readonly withSchedule?: boolean } = {},
): { request: SimulateRequest | null; issues: LocatedIssue[] } {
  const section = model.simulate;
  if (!section) return { request: null, issues: [] };
  const optimizer = optimizerConfigOf(model.optimizer);
  const parsed = parseSimulateSection(toPlain(section.node), optimizer);
  const issues = parsed.issues.map((issue) => ({
    span: (section.node ? nodeAt(section.node, issue.path) : undefined) ?? section.keySpan,
    message: issue.message,
  }));
  if (!parsed.request) return { request: null, issues };
  let request = parsed.request;
  // The configured schedule, applied step by step, as factors of each run's own lr.
  if (options.withSchedule !== false && model.scheduler?.entry && !model.scheduler.entry.needsMetric) {
    const facts = computeSchedule(model, { steps: request.steps });
    const base = facts?.series.lr[0];
    const lr = facts?.series.lr;
    const optimizerLr = model.optimizer?.params.get('lr')?.value;
    const reference = typeof optimizerLr === 'number' && optimizerLr > 0 ? optimizerLr : base;
    if (lr && lr.length > 0 && reference !== undefined && reference > 0) {
      request = { ...request, lrFactors: Array.from(lr, (value) => value / reference) };
    }
  }
  return { request, issues };
}

export interface SimulationSummary {
  readonly result: SimulateResult;
  /** One statement per run, in the order of `result.runs`: a stability bound where one holds, else what the run did. */
  readonly statements: readonly RunStatement[];
}

/** Runs a request in-process (the CLI; the language server runs the same function in its compute worker). */
export function runSimulation(
  request: SimulateRequest,
  progress?: (fraction: number) => void,
  isCancelled?: () => boolean,
): SimulationSummary {
  const result = simulate(request, progress, isCancelled);
  // The landscape knows its own Hessian where it is constant (diagonal quadratics); nothing here names functions.
  const eigenvalues = builtinLandscape(request.function).landscape?.eigenvalues;
  const statements = runStatements(result.runs, {
    ...(eigenvalues && eigenvalues.length > 0 ? { eigenvalues } : {}),
    noisy: request.noise !== undefined && request.noise.std > 0,
    ...(request.lrFactors ? { lrFactors: request.lrFactors } : {}),
  });
  return { result, statements };
}

/**
 * The simulation panel's data from a simulation summary: trajectories, the sampled surface, the per-run statements
 * and the heatmap, with the product's labels (e.g. the heatmap's metric is `final_loss` or `steps_to_tolerance`, as
 * written in the file). The panel, the CLI's `--json` and the webview tests' fixtures all come from here.
 */
export function toSimulationView(uri: string, summary: SimulationSummary, seconds: number): SimulationView {
  const { result, statements } = summary;
  const surface = result.surface;
  const heatmap = result.heatmap;
  return {
    uri,
    functionLabel: result.landscape
      ? result.landscape.id === 'expression'
        ? result.landscape.formula
        : result.landscape.id
      : 'landscape',
    dim: result.landscape?.dim ?? result.runs[0]?.x[0]?.length ?? 0,
    ...(surface ? { grid: { xs: surface.x, ys: surface.y, values: surface.values.flat() } } : {}),
    minima: result.landscape?.minima ?? [],
    runs: result.runs.map((run) => ({
      label: run.label,
      x: run.x,
      loss: run.loss,
      steps: run.steps,
      ...(run.stepSize ? { stepSize: run.stepSize } : {}),
      ...(run.divergedAt !== undefined ? { stoppedEarly: `diverged at step ${run.divergedAt}` } : {}),
    })),
    ...(statements.length > 0
      ? {
          stability: statements.map((statement) => ({
            run: statement.label,
            basis: statement.basis,
            verdict: statement.verdict,
            text: statement.text,
            ...(statement.bound ? { bound: statement.bound } : {}),
          })),
        }
      : {}),
    ...(heatmap
      ? {
          heatmap: {
            xLabel: heatmap.xAxis.name,
            yLabel: heatmap.yAxis.name,
            xs: heatmap.xAxis.values,
            ys: heatmap.yAxis.values,
            values: heatmap.values.flat(),
            metric: heatmap.metric,
          },
        }
      : {}),
    notes: result.issues.map((issue) => issue.message),
    backend: 'float64-js (plain Float64Array loops)',
    seconds,
  };
}
