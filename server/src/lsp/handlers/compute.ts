// On-demand compute: the LR range test (and the backends list) run in the compute worker, with LSP work-done
// progress, cancellation, and a status notification for the client's status bar.

import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver';
import { appliedLiteral, learningRateEdits } from '../../core/features/applyLearningRate';
import {
  planRangeTest,
  toRangeTestView,
  type RangeTestPlan,
  type RangeTestRuntime,
} from '../../core/features/rangeTest';
import type { Analysis } from '../../core/analysis';
import type { ConfigModel } from '../../core/model';
import { formatLearningRate } from '../../core/rangeTest/index';
import { runPytorchRangeTest } from '../../compute/pytorchRangeTest';
import { resolveInterpreter } from '../../compute/pythonRunner';
import type { ComputeHost, JobOutcome } from '../../compute/computeHost';
import type { BackendName } from '../../compute/backends';
import { bundledWasmDirectory, type RangeTestJobParams, type RangeTestResult } from '../../compute/jobs';
import {
  ApplyLearningRateRequest,
  ComputeBackendsRequest,
  JobStatusNotification,
  RangeTestPlanRequest,
  RangeTestPointNotification,
  RangeTestRequest,
  SimulationRequest,
  type RangeTestCommandSettings,
  type RangeTestOutcome,
  type RangeTestPlanView,
  type SimulationOutcome,
} from '../../protocol';
import { simulationRequest, toSimulationView, type SimulationSummary } from '../../core/features/simulation';
import type { ServerContext } from '../context';
import { toRange } from '../convert';
import { analysisForRequest, guard } from '../guard';

export interface ComputeOptions {
  /** The compute host (owns the worker); created by the server. */
  readonly host: ComputeHost;
  /** The folder of the bundled server, where dist/worker.js and dist/wasm/ live. */
  readonly bundleDirectory: string;
  /** A backend the user picked in settings, tried first. */
  readonly preferredBackend: () => BackendName | undefined;
  /** The workspace folder that holds a document (paths and Python imports resolve from it). */
  readonly workspaceRootOf: (documentPath: string) => string;
  /** The Python runner script (tests); default: the bundled one next to the server. */
  readonly runnerScript?: string;
}

/** The settings a quick pick shows for a plan. */
function commandSettings(params: {
  startLr: number;
  endLr: number;
  numIter: number;
  seed: number;
  model?: string;
  data?: string;
  loss?: string;
  device?: string;
}): RangeTestCommandSettings {
  return {
    startLr: params.startLr,
    endLr: params.endLr,
    numIter: params.numIter,
    seed: params.seed,
    ...(params.model !== undefined ? { model: params.model } : {}),
    ...(params.data !== undefined ? { data: params.data } : {}),
    ...(params.loss !== undefined ? { loss: params.loss } : {}),
    ...(params.device !== undefined ? { device: params.device } : {}),
  };
}

/** The plan as the client sees it before anything runs. */
export function planView(analysis: Analysis, plan: RangeTestPlan): RangeTestPlanView {
  switch (plan.kind) {
    case 'refused':
      return plan;
    case 'needs-settings':
      return {
        kind: 'needs-settings',
        dialect: plan.dialect,
        missing: plan.missing,
        message: plan.message,
        settings: commandSettings(plan.params),
      };
    case 'worker':
      return plan.proxy
        ? {
            kind: 'proxy',
            task: plan.params.task,
            description: plan.taskDescription,
            reason: plan.proxyReason ?? 'no-section',
            native: analysis.model?.dialect === 'optim',
            optimizerLabel: plan.optimizerLabel,
            settings: commandSettings(plan.params),
          }
        : {
            kind: 'worker',
            task: plan.params.task,
            description: plan.taskDescription,
            optimizerLabel: plan.optimizerLabel,
            settings: commandSettings(plan.params),
          };
    case 'pytorch': {
      const models = plan.models;
      return {
        kind: 'pytorch',
        source: plan.source,
        optimizerLabel: plan.optimizerLabel,
        modelLabel: models.mode === 'lightning' ? models.model.class_path : models.model,
        dataLabel:
          models.mode === 'lightning' ? (models.data?.class_path ?? "the module's train_dataloader()") : models.data,
        settings: commandSettings(plan.params),
      };
    }
  }
}

export function registerCompute(context: ServerContext, options: ComputeOptions): void {
  const { connection } = context;

  // One range test at a time per server: a new run (of any file) cancels the one before.
  let runningRangeTest: AbortController | null = null;

  connection.onRequest(
    RangeTestPlanRequest.type,
    guard(
      connection,
      'rangeTestPlan',
      {
        kind: 'refused',
        reason: 'The range test could not be planned; see the Optimizer Lens output.',
      } as RangeTestPlanView,
      async (params): Promise<RangeTestPlanView> => {
        const found = await analysisForRequest(context, params.uri);
        if (!found) return { kind: 'refused', reason: NOT_ANALYSED };
        return planView(found.analysis, planRangeTest(found.analysis, params.overrides ?? {}));
      },
    ),
  );

  connection.onRequest(
    RangeTestRequest.type,
    guardJob(context, 'rangeTest', 'The range test', async ({ analysis }, params, token): Promise<RangeTestOutcome> => {
      const plan = planRangeTest(analysis, params.overrides ?? {});
      if (plan.kind === 'refused') return { status: 'failed', reason: plan.reason };
      if (plan.kind === 'needs-settings') return { status: 'failed', reason: plan.message };
      const runsUserFiles = plan.kind === 'pytorch' || plan.params.task === 'user';
      if (runsUserFiles && !context.workspaceTrusted()) {
        return {
          status: 'failed',
          kind: 'untrusted',
          reason:
            plan.kind === 'pytorch'
              ? 'Running the range test on your own model runs code from this workspace, which needs a trusted workspace (Workspace Trust). Lint, hover and plots keep working.'
              : 'Running the range test on files from the workspace needs a trusted workspace (Workspace Trust). Lint, hover and plots keep working.',
        };
      }
      const documentPath = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : undefined;
      const workspaceRoot = documentPath ? options.workspaceRootOf(documentPath) : undefined;

      runningRangeTest?.abort();
      const abort = new AbortController();
      runningRangeTest = abort;
      token?.onCancellationRequested(() => abort.abort());
      // A client that shows its own progress (ours: a cancellable notification fed by the point notifications) asks
      // for none, so there is no reporter; other LSP clients get work-done progress.
      const progress = params.clientProgress ? undefined : await connection.window.createWorkDoneProgress();
      const title =
        plan.kind === 'pytorch'
          ? 'Optimizer Lens: LR range test on your model'
          : `Optimizer Lens: LR range test on a proxy (${plan.params.task})`;
      progress?.begin(title, 0, plan.optimizerLabel, true);
      progress?.token.onCancellationRequested(() => abort.abort());
      void connection.sendNotification(JobStatusNotification.type, { running: true, title: 'LR range test' });
      const sendPoint = (
        point: { index: number; lr: number; loss: number; smoothed: number },
        total: number,
        extra: { runtime?: RangeTestRuntime; backend?: string },
      ) => {
        progress?.report(
          Math.round(((point.index + 1) / total) * 100),
          `step ${point.index + 1}/${total}, lr ${formatLearningRate(point.lr)}, loss ${point.loss.toPrecision(4)}`,
        );
        void connection.sendNotification(RangeTestPointNotification.type, {
          uri: params.uri,
          index: point.index,
          total,
          lr: point.lr,
          loss: point.loss,
          smoothed: point.smoothed,
          ...extra,
        });
      };
      try {
        if (plan.kind === 'pytorch') {
          if (!workspaceRoot)
            return {
              status: 'failed',
              reason:
                'The range test on your model needs a config saved in a workspace folder (its folder goes first on sys.path).',
            };
          const python = params.python ?? resolveInterpreter({ setting: context.settings().pythonInterpreter });
          connection.console.info(
            `range test on your model: ${python.path} (${python.source}), workspace ${workspaceRoot}`,
          );
          let announced = false;
          const outcome = await runPytorchRangeTest({
            plan,
            workspace: workspaceRoot,
            interpreter: python.path,
            interpreterSource: python.source,
            ...(options.runnerScript ? { script: options.runnerScript } : {}),
            signal: abort.signal,
            onHello: (runtime) =>
              connection.console.info(
                `range test runner: Python ${runtime.python}, torch ${runtime.torch}, ${runtime.device} ${runtime.deviceName}`,
              ),
            onStderr: (text) => connection.console.log(text.replace(/\n$/, '')),
            onPoint: (point, total, runtime) => {
              sendPoint(point, total, { backend: 'pytorch', ...(runtime && !announced ? { runtime } : {}) });
              announced ||= runtime !== undefined;
            },
          });
          if (outcome.status === 'failed') {
            return {
              status: 'failed',
              reason: outcome.reason,
              kind: outcome.kind,
              ...(outcome.file ? { file: outcome.file } : {}),
              ...(outcome.line !== undefined ? { line: outcome.line } : {}),
            };
          }
          void connection.sendNotification(JobStatusNotification.type, {
            running: false,
            backend: `pytorch ${outcome.run.runtime?.device ?? ''}`.trim(),
          });
          return {
            status: outcome.status,
            view: toRangeTestView(analysis, params.uri, outcome.run, 'your-model', plan.optimizerLabel),
          };
        }

        const preferred = options.preferredBackend();
        const jobParams: RangeTestJobParams = {
          rangeTest: plan.params,
          optimizer: plan.optimizer,
          backend: { wasmPaths: bundledWasmDirectory(options.bundleDirectory), ...(preferred ? { preferred } : {}) },
          ...(workspaceRoot ? { workspaceRoot } : {}),
        };
        const outcome: JobOutcome<RangeTestResult> = await options.host.run<RangeTestResult>(
          { name: 'rangeTest', params: jobParams },
          (update) => {
            const point = update.data as { index: number; lr: number; loss: number; smoothed: number } | undefined;
            if (point && typeof point.index === 'number') sendPoint(point, plan.params.numIter, {});
            else progress?.report(Math.round((update.fraction ?? 0) * 100), update.message);
          },
          abort.signal,
        );
        if (outcome.status === 'failed') return { status: 'failed', reason: outcome.reason };
        if (!outcome.result)
          return { status: 'failed', reason: 'The range test was cancelled before it produced any point.' };
        void connection.sendNotification(JobStatusNotification.type, {
          running: false,
          backend: outcome.result.backend,
        });
        return {
          status: outcome.status,
          view: toRangeTestView(
            analysis,
            params.uri,
            outcome.result,
            plan.proxy ? 'proxy' : 'your-model',
            plan.optimizerLabel,
          ),
        };
      } finally {
        progress?.done();
        if (runningRangeTest === abort) runningRangeTest = null;
        void connection.sendNotification(JobStatusNotification.type, { running: false });
      }
    }),
  );

  connection.onRequest(
    ApplyLearningRateRequest.type,
    guard(connection, 'applyLearningRate', null, async (params) => {
      // It writes into the file: from this version's analysis, never from an older one's offsets.
      const found = context.currentAnalysisOf
        ? await context.currentAnalysisOf(params.uri)
        : await analysisForRequest(context, params.uri);
      if (!found) return null;
      const edits = learningRateEdits(found.analysis, params.lr, params.target);
      if (edits.length === 0) return null;
      return {
        edits: edits.map((edit) => ({ range: toRange(found.document, edit), newText: edit.newText })),
        written: appliedLiteral(found.analysis, params.lr),
      };
    }),
  );

  connection.onRequest(
    ComputeBackendsRequest.type,
    guard(connection, 'computeBackends', [], async () => {
      const outcome = await options.host.run<{ name: string; loaded: boolean; reason?: string }[]>({
        name: 'listBackends',
        params: { backend: { wasmPaths: bundledWasmDirectory(options.bundleDirectory) } },
      });
      if (outcome.status === 'completed') return outcome.result;
      return [{ name: 'worker', loaded: false, reason: outcome.status === 'failed' ? outcome.reason : 'cancelled' }];
    }),
  );
}

/** How a compute request fails before or outside its job. */
type JobFailure = { readonly status: 'failed'; readonly reason: string };

const NOT_ANALYSED = 'The document is not an optimizer config that Optimizer Lens has analysed.';

/**
 * `guard` for a compute request on one document (`params.uri`): the handler gets the document's analysis and model;
 * a document with no model is answered with a failure, and so is a throwing handler (`job` names it: "The simulation").
 */
function guardJob<P extends { readonly uri: string }, R>(
  context: ServerContext,
  name: string,
  job: string,
  handler: (found: { analysis: Analysis; model: ConfigModel }, params: P, token?: CancellationToken) => Promise<R>,
): (params: P, token?: CancellationToken) => Promise<R | JobFailure> {
  const unexpected: JobFailure = {
    status: 'failed',
    reason: `${job} failed unexpectedly; see the Optimizer Lens output.`,
  };
  return guard(context.connection, name, unexpected, async (params: P, token?: CancellationToken) => {
    const analysis = (await analysisForRequest(context, params.uri))?.analysis;
    if (!analysis?.model) return { status: 'failed', reason: NOT_ANALYSED };
    return handler({ analysis, model: analysis.model }, params, token);
  });
}

export function registerSimulation(context: ServerContext, options: ComputeOptions): void {
  const { connection } = context;
  connection.onRequest(
    SimulationRequest.type,
    guardJob(context, 'simulate', 'The simulation', async ({ model }, params, token): Promise<SimulationOutcome> => {
      if (!model.simulate)
        return { status: 'failed', reason: 'The file has no `simulate:` section (see docs/simulate.md).' };
      const { request, issues } = simulationRequest(model);
      if (!request)
        return {
          status: 'failed',
          reason: `The simulate section has problems: ${issues.map((issue) => issue.message).join(' ')}`,
        };
      const abort = new AbortController();
      token?.onCancellationRequested(() => abort.abort());
      const progress = await connection.window.createWorkDoneProgress();
      progress.begin(
        'Optimizer Lens: simulation',
        0,
        `${request.optimizers.length} optimizers, ${request.steps} steps`,
        true,
      );
      progress.token.onCancellationRequested(() => abort.abort());
      void connection.sendNotification(JobStatusNotification.type, { running: true, title: 'Simulation' });
      let outcome: JobOutcome<SimulationSummary>;
      try {
        outcome = await options.host.run<SimulationSummary>(
          { name: 'simulate', params: request },
          (update) => progress.report(Math.round((update.fraction ?? 0) * 100), update.message),
          abort.signal,
        );
      } finally {
        progress.done();
      }
      void connection.sendNotification(JobStatusNotification.type, {
        running: false,
        ...(outcome.status === 'completed' ? { backend: 'float64-js' } : {}),
      });
      if (outcome.status === 'failed') return { status: 'failed', reason: outcome.reason };
      if (!outcome.result) return { status: 'failed', reason: 'The simulation was cancelled.' };
      return {
        status: outcome.result.result.cancelled ? 'cancelled' : outcome.status,
        view: toSimulationView(params.uri, outcome.result, outcome.seconds),
      };
    }),
  );
}
