// The bridge from a config's `simulate:` section to the simulator, and from its result to the panel's view.

import type { ConfigModel } from '../model';
import { parseSimulateSection, simulate, type SimulateRequest, type SimulateResult } from '../simulate/index';
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
  const optimizer = model.optimizer?.entry
    ? { type: model.optimizer.entry.name, params: Object.fromEntries([...model.optimizer.params.values()].map((param) => [param.name, param.value])) }
    : null;
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

/** Eigenvalues of the quadratic landscapes, for the 2/lambda_max stability annotation. */
export function quadraticEigenvalues(request: SimulateRequest): readonly number[] | undefined {
  const spec = request.function;
  if (spec === 'quadratic_ill') return [1, 100];
  if (typeof spec === 'object' && 'type' in spec && spec.type === 'quadratic') {
    const diag: unknown = (spec as Readonly<Record<string, unknown>>).diag;
    if (Array.isArray(diag)) return diag.filter((value): value is number => typeof value === 'number');
  }
  return undefined;
}

export interface SimulationSummary {
  readonly result: SimulateResult;
  readonly stability?: { readonly lambdaMax: number; readonly limit: number; readonly lr: number };
}

/** Runs a request in-process (the CLI; the language server runs the same function in its compute worker). */
export function runSimulation(request: SimulateRequest, progress?: (fraction: number) => void, isCancelled?: () => boolean): SimulationSummary {
  const result = simulate(request, progress, isCancelled);
  const eigenvalues = quadraticEigenvalues(request);
  const lr = request.optimizers[0]?.params.lr;
  if (eigenvalues && eigenvalues.length > 0 && typeof lr === 'number') {
    const lambdaMax = Math.max(...eigenvalues);
    return { result, stability: { lambdaMax, limit: 2 / lambdaMax, lr } };
  }
  return { result };
}
