// Owns the compute worker: runs one job at a time in it, relays progress, cancels, and replaces a worker that
// failed, ran out of memory or crashed.

import type { ResourceLimits, Worker } from 'node:worker_threads';
import { KeptWorker, startWorker } from './workerThread';
import type { JobProgress } from './jobs';
import type { RunJobMessage, WorkerMessage } from './jobServer';

export interface JobRequest {
  /** A key of JOBS in jobs.ts, e.g. `rangeTest` or `listBackends`. */
  readonly name: string;
  readonly params: unknown;
}

export type JobOutcome<Result = unknown> =
  | { readonly status: 'completed'; readonly result: Result; readonly seconds: number }
  /** `result` is the partial result when the job stopped itself in time; absent when the worker was terminated. */
  | { readonly status: 'cancelled'; readonly result?: Result; readonly seconds: number }
  | {
      readonly status: 'failed';
      /** One or two sentences for the user. */
      readonly reason: string;
      /** `input`: the user's config or files; `error`: the job threw; `out-of-memory` and `crashed`: the worker died. */
      readonly kind: 'input' | 'error' | 'out-of-memory' | 'crashed';
      readonly seconds: number;
    };

export interface ComputeHostOptions {
  /** Node options for the worker. A `.ts` script (tests) is loaded through tsx. */
  readonly execArgv?: string[];
  /** Memory bounds of the worker; the JS heap defaults to 2048 MB. */
  readonly resourceLimits?: ResourceLimits;
  /** How long a cancelled job may take to stop itself before the worker is terminated. */
  readonly cancelGraceMs?: number;
}

interface RunningJob {
  readonly id: number;
  readonly started: number;
  readonly onProgress: (progress: JobProgress) => void;
  readonly finish: (outcome: JobOutcome) => void;
  cancelled: boolean;
}

const DEFAULT_RESOURCE_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 2048 };

/**
 * Runs compute jobs in a worker_threads worker. Jobs queue and run one at a time. The worker is started on
 * the first job and kept for the next; after any failure it is thrown away, so the next job starts clean.
 */
export class ComputeHost {
  private readonly worker = new KeptWorker(() => this.startWorker());
  private running: RunningJob | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly options: ComputeHostOptions;

  constructor(
    private readonly workerScript: string,
    options: ComputeHostOptions = {},
  ) {
    this.options = options;
  }

  /** Runs a job; never rejects. `cancellation` aborting stops the job within `cancelGraceMs` (150 ms by default). */
  run<Result = unknown>(
    job: JobRequest,
    onProgress: (progress: JobProgress) => void = () => {},
    cancellation?: AbortSignal,
  ): Promise<JobOutcome<Result>> {
    const result = this.queue.then(() => this.start(job, onProgress, cancellation));
    this.queue = result.catch(() => undefined);
    return result as Promise<JobOutcome<Result>>;
  }

  /** Stops the worker; a later job starts a new one. */
  async dispose(): Promise<void> {
    await this.worker.dispose();
  }

  private startWorker(): Worker {
    const worker = startWorker(this.workerScript, {
      execArgv: this.options.execArgv ?? [],
      resourceLimits: this.options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS,
    });
    worker.on('message', (message: WorkerMessage) => this.onMessage(worker, message));
    worker.on('error', (error: Error & { code?: string }) => {
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const limit = (this.options.resourceLimits ?? DEFAULT_RESOURCE_LIMITS).maxOldGenerationSizeMb;
      this.failWorker(
        worker,
        outOfMemory
          ? {
              kind: 'out-of-memory',
              reason: `The compute worker ran out of memory (limit ${limit} MB); lower batch_size or use a smaller model.`,
            }
          : { kind: 'crashed', reason: `The compute worker crashed: ${error.message}` },
      );
    });
    worker.on('exit', (code) =>
      this.failWorker(worker, {
        kind: 'crashed',
        reason: `The compute worker exited unexpectedly (exit code ${code}).`,
      }),
    );
    return worker;
  }

  private start(
    job: JobRequest,
    onProgress: (progress: JobProgress) => void,
    cancellation?: AbortSignal,
  ): Promise<JobOutcome> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    if (cancellation?.aborted) return Promise.resolve({ status: 'cancelled', seconds: 0 });
    return new Promise<JobOutcome>((resolve) => {
      const worker = this.worker.get();
      // A running job keeps the process alive; an idle worker must not (see finish below).
      worker.ref();
      const cancelFlag = new SharedArrayBuffer(4);
      const id = this.nextId++;
      let graceTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        running.cancelled = true;
        Atomics.store(new Int32Array(cancelFlag), 0, 1);
        graceTimer = setTimeout(() => {
          if (this.running !== running) return;
          // The job did not stop in time (a long kernel, or a job that never checks the flag): end the worker.
          this.running = null;
          this.discardWorker(worker);
          resolve({ status: 'cancelled', seconds: seconds() });
        }, this.options.cancelGraceMs ?? 150);
      };
      const running: RunningJob = {
        id,
        started,
        onProgress,
        cancelled: false,
        finish: (outcome) => {
          clearTimeout(graceTimer);
          worker.unref();
          cancellation?.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      this.running = running;
      cancellation?.addEventListener('abort', onAbort, { once: true });
      const message: RunJobMessage = { type: 'run', id, name: job.name, params: job.params, cancelFlag };
      worker.postMessage(message);
    });
  }

  private onMessage(worker: Worker, message: WorkerMessage): void {
    const running = this.running;
    if (!running || message.id !== running.id || !this.worker.holds(worker)) return;
    const seconds = (performance.now() - running.started) / 1000;
    switch (message.type) {
      case 'progress':
        running.onProgress(message.progress);
        return;
      case 'done':
        this.running = null;
        running.finish(
          running.cancelled
            ? { status: 'cancelled', result: message.result, seconds }
            : { status: 'completed', result: message.result, seconds },
        );
        return;
      case 'failed':
        this.running = null;
        // A job that threw may have left the TensorFlow.js engine in any state; the next job gets a fresh worker.
        this.discardWorker(worker);
        running.finish({
          status: 'failed',
          kind: message.inputError ? 'input' : 'error',
          reason: message.reason,
          seconds,
        });
        return;
    }
  }

  private failWorker(worker: Worker, failure: { kind: 'out-of-memory' | 'crashed'; reason: string }): void {
    if (!this.worker.release(worker)) return;
    const running = this.running;
    this.running = null;
    void worker.terminate().catch(() => undefined);
    if (running)
      running.finish({ status: 'failed', ...failure, seconds: (performance.now() - running.started) / 1000 });
  }

  private discardWorker(worker: Worker): void {
    this.worker.release(worker);
    worker.removeAllListeners('exit');
    void worker.terminate().catch(() => undefined);
  }
}
