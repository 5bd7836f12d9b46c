// The worker side of the compute protocol: runs jobs by name and posts progress, results and failures.

import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Job, JobProgress } from './jobs';
import { RangeTestInputError } from './tasks';

/** Host to worker: run a job. `cancelFlag` is an Int32Array over a SharedArrayBuffer; 1 means cancel. */
export interface RunJobMessage {
  readonly type: 'run';
  readonly id: number;
  readonly name: string;
  readonly params: unknown;
  readonly cancelFlag: SharedArrayBuffer;
}

/** Worker to host. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly id: number; readonly progress: JobProgress }
  | { readonly type: 'done'; readonly id: number; readonly result: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly reason: string; readonly inputError: boolean };

/**
 * Serves jobs on the worker's parent port, one at a time. The cancellation flag is read with Atomics, so a
 * job sees a cancel between two iterations without the worker having to drain its message queue.
 */
export function serveJobs(
  jobs: Readonly<Record<string, Job<never, unknown>>>,
  port: MessagePort | null = parentPort,
): void {
  if (!port) throw new Error('serveJobs must run inside a worker thread');
  port.on('message', (message: RunJobMessage) => {
    if (message?.type !== 'run') return;
    const job = jobs[message.name] as Job<unknown, unknown> | undefined;
    const flag = new Int32Array(message.cancelFlag);
    const post = (reply: WorkerMessage) => port.postMessage(reply);
    if (!job) {
      post({ type: 'failed', id: message.id, reason: `Unknown compute job "${message.name}".`, inputError: false });
      return;
    }
    const progress = (update: JobProgress) => post({ type: 'progress', id: message.id, progress: update });
    const isCancelled = () => Atomics.load(flag, 0) !== 0;
    job(message.params, progress, isCancelled).then(
      (result) => post({ type: 'done', id: message.id, result }),
      (error: unknown) => {
        const inputError = error instanceof RangeTestInputError;
        const reason =
          error instanceof Error ? (inputError ? error.message : `${error.name}: ${error.message}`) : String(error);
        post({ type: 'failed', id: message.id, reason, inputError });
      },
    );
  });
}
