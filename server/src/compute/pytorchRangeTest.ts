// The range test on the user's own PyTorch model: the Python runner trains, the core's recorder smooths, stops and
// suggests. Runs on the caller's event loop (the language server or the CLI): the work is in the Python process,
// and this side only reads its lines, so nothing here blocks.

import { RangeTestRecorder, rangeTestLearningRates, type RangeTestPoint } from '../core/rangeTest/index';
import type { RangeTestPlan, RangeTestRun, RangeTestRuntime } from '../core/features/rangeTest';
import { startPythonRunner, type PythonRunnerSpec, type RunnerEnd, type RunnerHello } from './pythonRunner';

type PytorchPlan = Extract<RangeTestPlan, { kind: 'pytorch' }>;

export interface PytorchRangeTestOptions {
  readonly plan: PytorchPlan;
  /** The workspace folder: the runner's cwd and the first entry of `sys.path`. */
  readonly workspace: string;
  readonly interpreter: string;
  readonly interpreterSource: string;
  /** The runner script; default: the bundled one. */
  readonly script?: string;
  readonly onPoint?: (point: RangeTestPoint, total: number, runtime: RangeTestRuntime | undefined) => void;
  readonly onHello?: (runtime: RangeTestRuntime) => void;
  /** The runner's stderr (the user's prints and warnings), for the output channel. */
  readonly onStderr?: (text: string) => void;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly startTimeoutMs?: number;
  readonly stepTimeoutMs?: number;
}

export type PytorchRangeTestOutcome =
  | { readonly status: 'completed' | 'cancelled'; readonly run: RangeTestRun; readonly firstPointSeconds?: number }
  | {
      readonly status: 'failed';
      /** One or two sentences for the user. */
      readonly reason: string;
      readonly kind: string;
      /** The innermost frame of the user's own code, when the user's code raised. */
      readonly file?: string;
      readonly line?: number;
      /** The partial curve when the failure came after some points (e.g. a crash at step 40). */
      readonly partial?: RangeTestRun;
    };

function runtimeOf(hello: RunnerHello, interpreter: string, interpreterSource: string): RangeTestRuntime {
  return {
    python: hello.python,
    torch: hello.torch,
    device: hello.device,
    deviceName: hello.deviceName,
    interpreter: hello.executable || interpreter,
    interpreterSource,
  };
}

/** The runner's job spec for a plan (the JSON line it reads first). */
export function runnerSpec(plan: PytorchPlan, workspace: string, lrs: readonly number[]): PythonRunnerSpec {
  const models = plan.models;
  return {
    workspace,
    mode: models.mode,
    ...(models.mode === 'entrypoints'
      ? { model: models.model, data: models.data, loss: models.loss }
      : {
          lightning: {
            model: { ...models.model, init_args: { ...models.model.init_args } },
            data: models.data ? { ...models.data, init_args: { ...models.data.init_args } } : null,
          },
        }),
    optimizer: plan.optimizer ? { class_path: plan.optimizer.classPath, kwargs: { ...plan.optimizer.kwargs } } : null,
    device: plan.params.device,
    lrs: [...lrs],
    seed: plan.params.seed,
  };
}

/** Says what went wrong in words for the user, with the interpreter where it matters. */
function failureReason(end: Extract<RunnerEnd, { status: 'failed' }>, interpreter: string): string {
  const where = end.file ? ` (${end.file}${end.line !== undefined ? `:${end.line}` : ''})` : '';
  switch (end.kind) {
    case 'python-missing':
      return `No Python interpreter at \`${interpreter}\`: set optimizerLens.python.interpreter (or select an interpreter in the Python extension). ${end.message}`;
    case 'torch-missing':
      return end.message.includes(interpreter) ? end.message : `${end.message} (interpreter: ${interpreter})`;
    case 'user-code':
      return `Your code raised${where}: ${end.summary ?? end.message}`;
    default:
      return end.message;
  }
}

/**
 * Runs the plan's range test in the user's Python. Never rejects: a failure (missing torch, the user's code raised,
 * the runner crashed or timed out) is an outcome with its reason. Aborting `signal` ends the process within a second
 * and returns the partial curve as `cancelled`.
 */
export async function runPytorchRangeTest(options: PytorchRangeTestOptions): Promise<PytorchRangeTestOutcome> {
  const started = performance.now();
  const { plan } = options;
  const params = plan.params;
  const ramp = rangeTestLearningRates(params.startLr, params.endLr, params.numIter, params.stepMode);
  const recorder = new RangeTestRecorder({ ramp, smooth: params.smooth, divergeThreshold: params.divergeThreshold });
  let runtime: RangeTestRuntime | undefined;
  let firstPointSeconds: number | undefined;

  if (options.signal?.aborted)
    return { status: 'failed', kind: 'cancelled', reason: 'The range test was cancelled before it started.' };
  const handle = startPythonRunner({
    interpreter: options.interpreter,
    ...(options.script ? { script: options.script } : {}),
    spec: runnerSpec(plan, options.workspace, ramp),
    onHello: (hello) => {
      runtime = runtimeOf(hello, options.interpreter, options.interpreterSource);
      options.onHello?.(runtime);
    },
    onStep: (step) => {
      if (recorder.mustStop) return;
      const { point, stop } = recorder.add(step.loss);
      if (point) {
        firstPointSeconds ??= (performance.now() - started) / 1000;
        options.onPoint?.(point, ramp.length, runtime);
      }
      // The core decides that the curve has diverged; the runner is told to stop after the current step.
      if (stop) handle.stop();
    },
    ...(options.onStderr ? { onStderr: options.onStderr } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
    ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
  });
  const onAbort = () => handle.cancel();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let done: Awaited<typeof handle.done>;
  try {
    done = await handle.done;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  const end = done.end;
  const cancelled = end.status === 'cancelled';
  const curve = recorder.finish(cancelled ? 'cancelled' : 'completed', params.numIter);
  const run: RangeTestRun = {
    backend: 'pytorch',
    backendAttempts: [],
    task: describeModels(plan),
    lrs: curve.lrs,
    losses: curve.losses,
    smoothed: curve.smoothed,
    stopped: curve.stopped,
    suggestions: curve.suggestions,
    notes: [...plan.notes, ...curve.notes],
    seconds: (performance.now() - started) / 1000,
    ...(runtime ? { runtime } : {}),
  };
  if (end.status === 'failed') {
    return {
      status: 'failed',
      kind: end.kind,
      reason: failureReason(end, options.interpreter),
      ...(end.file ? { file: end.file } : {}),
      ...(end.line !== undefined ? { line: end.line } : {}),
      ...(curve.lrs.length > 0 ? { partial: run } : {}),
    };
  }
  return {
    status: cancelled ? 'cancelled' : 'completed',
    run,
    ...(firstPointSeconds !== undefined ? { firstPointSeconds } : {}),
  };
}

/** e.g. `pytorch: train.models:build_model on train.data:train_loader (cross_entropy)`. */
export function describeModels(plan: PytorchPlan): string {
  const models = plan.models;
  if (models.mode === 'lightning')
    return `pytorch (Lightning): ${models.model.class_path}${models.data ? ` on ${models.data.class_path}` : ''}`;
  return `pytorch: ${models.model} on ${models.data}${models.loss ? ` (${models.loss})` : ' (loss from the model)'}`;
}
