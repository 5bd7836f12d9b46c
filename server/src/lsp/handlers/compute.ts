// On-demand compute: the LR range test (and the backends list) run in the compute worker, with LSP work-done
// progress, cancellation, and a status notification for the client's status bar.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CancellationToken } from 'vscode-languageserver';
import { toPlain } from '../../core/syntax/tree';
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
  type RangeTestOutcome,
} from '../../protocol';
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
    const optimizerParams = Object.fromEntries([...optimizer.params.values()].map((param) => [param.name, param.value]));
    const documentPath = params.uri.startsWith('file:') ? fileURLToPath(params.uri) : undefined;
    const preferred = options.preferredBackend();
    const jobParams: RangeTestJobParams = {
      rangeTest: section.params,
      optimizer: { type: optimizer.entry.name, params: optimizerParams },
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
