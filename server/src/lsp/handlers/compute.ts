// On-demand compute: the LR range test (and the backends list) run in the compute worker, with LSP work-done
// progress, cancellation, and a status notification for the client's status bar.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver';
import { toPlain } from '../../core/syntax/tree';
import { givenParams } from '../../core/modelValues';
import { parseRangeTestSection } from '../../core/rangeTest/section';
import { applyTarget, learningRateEdits } from '../../core/features/applyLearningRate';
import { formatNumber } from '../../core/rules/context';
import type { ComputeHost, JobOutcome } from '../../compute/computeHost';
import type { BackendName } from '../../compute/backends';
import { bundledWasmDirectory, type RangeTestJobParams, type RangeTestResult } from '../../compute/jobs';
import {
  ApplyLearningRateRequest,
  ComputeBackendsRequest,
  JobStatusNotification,
  RangeTestRequest,
  SimulationRequest,
  type RangeTestOutcome,
  type SimulationOutcome,
  type SimulationView,
} from '../../protocol';
import { simulationRequest, type SimulationSummary } from '../../core/features/simulation';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { guard } from '../guard';

export interface ComputeOptions {
  /** The compute host (owns the worker); created by the server. */
  readonly host: ComputeHost;
  /** The folder of the bundled server, where dist/worker.js and dist/wasm/ live. */
  readonly bundleDirectory: string;
  /** A backend the user picked in settings, tried first. */
  readonly preferredBackend: () => BackendName | undefined;
}

export function registerCompute(context: ServerContext, options: ComputeOptions): void {
  const { connection } = context;

  connection.onRequest(RangeTestRequest.type, guard(connection, 'rangeTest', { status: 'failed', reason: 'The range test failed unexpectedly; see the Optimizer Lens output.' } as RangeTestOutcome, async (params, token?: CancellationToken): Promise<RangeTestOutcome> => {
    const found = context.analysisOf(params.uri);
    const model = found?.analysis.model;
    if (!found || !model) return { status: 'failed', reason: 'The document is not an optimizer config that Optimizer Lens has analysed.' };
    const optimizer = model.optimizer;
    if (!optimizer?.entry) {
      return { status: 'failed', reason: optimizer ? `Unknown optimizer \`${optimizer.typeName}\`: fix it before running a range test.` : 'The file has no `optimizer:` section to test.' };
    }
    const section = parseRangeTestSection(model.rangeTest ? toPlain(model.rangeTest.node) ?? {} : {});
    const blocking = section.issues.filter((issue) => issue.severity === 'error');
    if (!section.params || blocking.length > 0) {
      return { status: 'failed', reason: `The range_test section has problems: ${blocking.map((issue) => issue.message).join(' ')}` };
    }
    const documentPath = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : undefined;
    const preferred = options.preferredBackend();
    const jobParams: RangeTestJobParams = {
      rangeTest: section.params,
      optimizer: { type: optimizer.entry.name, params: givenParams(optimizer) },
      backend: { wasmPaths: bundledWasmDirectory(options.bundleDirectory), ...(preferred ? { preferred } : {}) },
      ...(documentPath ? { workspaceRoot: path.dirname(documentPath) } : {}),
    };

    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Optimizer Lens: LR range test', 0, `${section.params.task}, ${optimizer.entry.name}`, true);
    progress.token.onCancellationRequested(() => abort.abort());
    void connection.sendNotification(JobStatusNotification.type, { running: true, title: 'LR range test' });
    let outcome: JobOutcome<RangeTestResult>;
    try {
      outcome = await options.host.run<RangeTestResult>({ name: 'rangeTest', params: jobParams }, (update) => {
        progress.report(Math.round((update.fraction ?? 0) * 100), update.message);
      }, abort.signal);
    } finally {
      progress.done();
    }
    if (outcome.status === 'failed') {
      void connection.sendNotification(JobStatusNotification.type, { running: false });
      return { status: 'failed', reason: outcome.reason };
    }
    if (!outcome.result) {
      void connection.sendNotification(JobStatusNotification.type, { running: false });
      return { status: 'failed', reason: 'The range test was cancelled before it produced any point.' };
    }
    const result = outcome.result;
    void connection.sendNotification(JobStatusNotification.type, { running: false, backend: result.backend });
    const target = applyTarget(found.analysis);
    const current = (target === 'lr' ? optimizer.params.get('lr') : model.scheduler?.params.get('max_lr'))?.value;
    const label = [...optimizer.params.values()].filter((param) => param.name !== 'lr').map((param) => `${param.name}=${typeof param.value === 'number' ? formatNumber(param.value) : JSON.stringify(param.value)}`).join(', ');
    return {
      status: outcome.status,
      view: {
        uri: params.uri,
        backend: result.backend,
        backendAttempts: result.backendAttempts.map((attempt) => ({ name: attempt.name, loaded: attempt.loaded, ...(attempt.reason ? { reason: attempt.reason } : {}) })),
        task: result.task,
        optimizerLabel: `${optimizer.entry.name}(${label})`,
        lrs: result.lrs,
        losses: result.losses,
        smoothed: result.smoothed,
        stopped: result.stopped,
        suggestions: result.suggestions,
        notes: result.notes,
        seconds: result.seconds,
        applyTarget: target,
        ...(typeof current === 'number' ? { currentLr: current } : {}),
      },
    };
  }));

  connection.onRequest(ApplyLearningRateRequest.type, guard(connection, 'applyLearningRate', null, (params) => {
    const found = context.analysisOf(params.uri);
    if (!found) return null;
    const edits = learningRateEdits(found.analysis, params.lr, params.target);
    if (edits.length === 0) return null;
    return { edits: edits.map((edit) => ({ range: toRange(found.document, edit), newText: edit.newText })) };
  }));

  connection.onRequest(ComputeBackendsRequest.type, guard(connection, 'computeBackends', [], async () => {
    const outcome = await options.host.run<{ name: string; loaded: boolean; reason?: string }[]>({
      name: 'listBackends',
      params: { backend: { wasmPaths: bundledWasmDirectory(options.bundleDirectory) } },
    });
    if (outcome.status === 'completed') return outcome.result;
    return [{ name: 'worker', loaded: false, reason: outcome.status === 'failed' ? outcome.reason : 'cancelled' }];
  }));
}

/** The simulation panel's data from a simulation summary: trajectories, the sampled surface and the heatmap. */
export function toSimulationView(uri: string, summary: SimulationSummary, seconds: number): SimulationView {
  const { result, stability } = summary;
  const surface = result.surface;
  const heatmap = result.heatmap;
  return {
    uri,
    functionLabel: result.landscape ? (result.landscape.id === 'expression' ? result.landscape.formula : result.landscape.id) : 'landscape',
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
    ...(stability ? { stability } : {}),
    ...(heatmap ? {
      heatmap: {
        xLabel: heatmap.xAxis.name,
        yLabel: heatmap.yAxis.name,
        xs: heatmap.xAxis.values,
        ys: heatmap.yAxis.values,
        values: heatmap.values.flat(),
        metric: heatmap.metric,
      },
    } : {}),
    notes: result.issues.map((issue) => issue.message),
    backend: 'float64-js (plain Float64Array loops)',
    seconds,
  };
}

export function registerSimulation(context: ServerContext, options: ComputeOptions): void {
  const { connection } = context;
  connection.onRequest(SimulationRequest.type, guard(connection, 'simulate', { status: 'failed', reason: 'The simulation failed unexpectedly; see the Optimizer Lens output.' } as SimulationOutcome, async (params, token?: CancellationToken): Promise<SimulationOutcome> => {
    const found = context.analysisOf(params.uri);
    const model = found?.analysis.model;
    if (!found || !model) return { status: 'failed', reason: 'The document is not an optimizer config that Optimizer Lens has analysed.' };
    if (!model.simulate) return { status: 'failed', reason: 'The file has no `simulate:` section (see docs/simulate.md).' };
    const { request, issues } = simulationRequest(model);
    if (!request) return { status: 'failed', reason: `The simulate section has problems: ${issues.map((issue) => issue.message).join(' ')}` };
    const abort = new AbortController();
    token?.onCancellationRequested(() => abort.abort());
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('Optimizer Lens: simulation', 0, `${request.optimizers.length} optimizers, ${request.steps} steps`, true);
    progress.token.onCancellationRequested(() => abort.abort());
    void connection.sendNotification(JobStatusNotification.type, { running: true, title: 'Simulation' });
    let outcome: JobOutcome<SimulationSummary>;
    try {
      outcome = await options.host.run<SimulationSummary>({ name: 'simulate', params: request }, (update) => progress.report(Math.round((update.fraction ?? 0) * 100), update.message), abort.signal);
    } finally {
      progress.done();
    }
    void connection.sendNotification(JobStatusNotification.type, { running: false, ...(outcome.status === 'completed' ? { backend: 'float64-js' } : {}) });
    if (outcome.status === 'failed') return { status: 'failed', reason: outcome.reason };
    if (!outcome.result) return { status: 'failed', reason: 'The simulation was cancelled.' };
    return { status: outcome.result.result.cancelled ? 'cancelled' : outcome.status, view: toSimulationView(params.uri, outcome.result, outcome.seconds) };
  }));
}
