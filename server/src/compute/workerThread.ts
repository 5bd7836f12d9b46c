// Starts a worker_threads worker from a bundled script, or from a TypeScript file in the tests: one home for both hosts
// (the compute host's job worker and the language server's analysis worker).

import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface WorkerStart {
  readonly execArgv?: readonly string[];
  readonly resourceLimits?: ResourceLimits;
}

/**
 * A worker running `script`. A TypeScript script (tests) is started through tsx's CommonJS hook: `--import tsx` in a
 * worker's execArgv does not reach the worker's own module loader on Node 20. Its stdout and stderr go to the parent's.
 */
export function startWorker(script: string, options: WorkerStart = {}): Worker {
  const typescript = script.endsWith('.ts');
  const entry = typescript ? `require('tsx/cjs/api').register(); require(${JSON.stringify(script)});` : script;
  return new Worker(entry, {
    eval: typescript,
    execArgv: [...(options.execArgv ?? [])],
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    stdout: false,
    stderr: false,
  });
}

/**
 * One worker, started on first use and kept. `release` forgets it (a failed or discarded worker) so that the next use
 * starts a fresh one; `dispose` stops it. Events of a worker already released are told apart with `holds`.
 */
export class KeptWorker {
  private worker: Worker | null = null;

  /** `start`: starts a worker and wires its events (called on first use and after a release). */
  constructor(private readonly start: () => Worker) {}

  get(): Worker {
    this.worker ??= this.start();
    return this.worker;
  }

  holds(worker: Worker): boolean {
    return this.worker === worker;
  }

  /** Forgets `worker` if it is the one kept; true when it was. */
  release(worker: Worker): boolean {
    if (this.worker !== worker) return false;
    this.worker = null;
    return true;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
