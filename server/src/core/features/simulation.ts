// The bridge from a config's `simulate:` section to the simulator, and from its result to the panel's view.

import type { ConfigModel } from '../model';
import { optimizerConfigOf } from '../modelValues';
import { parseSimulateSection, runStatements, simulate, type RunStatement, type SimulateRequest, type SimulateResult } from '../simulate/index';
import { builtinLandscape } from '../landscape/index';
import { nodeAt, toPlain, type Span } from '../syntax/tree';
import { computeSchedule } from './scheduleFacts';

export interface LocatedIssue {
  readonly span: Span;
  readonly message: string;
}

/** The simulation the file asks for, with the configured optimizer first and its schedule as lr factors. */
export function simulationRequest(model: ConfigModel, options: { readonly withSchedule?: boolean } = {}): { request: SimulateRequest | null; issues: LocatedIssue[] } {
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
export function runSimulation(request: SimulateRequest, progress?: (fraction: number) => void, isCancelled?: () => boolean): SimulationSummary {
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
