// Analyses large YAML documents in a worker_threads worker, so that the server's thread publishes the problems as soon
// as they are known and only rebuilds the tree (in slices) for the requests that need it.

import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { AnalysisOptions } from '../core/analysis';
import type { Problem } from '../core/model';
import type { EncodedTree } from '../core/syntax/treeCodec';
import { KeptWorker, startWorker } from '../compute/workerThread';

/** What the server sends: the text and options, and a one-int flag it sets to 1 when the version is superseded. */
export interface AnalysisRequest {
  readonly id: number;
  readonly text: string;
  readonly options: AnalysisOptions;
  readonly cancel: SharedArrayBuffer;
}

/** What the worker found: the problems (final: settings and suppressions applied) and whether the file has a model. */
export interface Checked {
  readonly problems: readonly Problem[];
  /** False when no dialect recognised the file (then it is not an optimizer config, unless it is a native file). */
  readonly hasModel: boolean;
}

/**
 * The worker's answers to one request, in this order: `checked` as soon as the rules have run, then `tree`, the syntax
 * tree as flat arrays (transferred, not copied). A cancelled request is answered once, with `cancelled`.
 */
export type AnalysisReply =
  | { readonly id: number; readonly kind: 'checked'; readonly checked: Checked }
  | { readonly id: number; readonly kind: 'tree'; readonly encoded: EncodedTree }
  | { readonly id: number; readonly kind: 'cancelled' };

/**
 * One analysis in flight. `checked` settles first (the diagnostics can go out), `tree` after it; both settle with
 * undefined when the request was cancelled, and reject when the worker fails.
 */
export interface AnalysisJob {
  readonly checked: Promise<Checked | undefined>;
  readonly tree: Promise<EncodedTree | undefined>;
  cancel(): void;
}

/** After this many worker failures the server analyses on its own thread only (in slices, as before). */
const MAX_FAILURES = 3;

interface Waiter {
  readonly checked: (checked: Checked | undefined) => void;
  readonly tree: (encoded: EncodedTree | undefined) => void;
  readonly reject: (error: Error) => void;
}

/**
 * One worker, started on the first request and kept; requests queue in it and are analysed one at a time, a cancelled
 * one is skipped (or stopped at its next slice). A worker that fails rejects its pending requests and is replaced.
 */
export class AnalysisWorkerHost {
  private readonly worker = new KeptWorker(() => this.startWorker());
  private failures = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Waiter>();
  private readonly present: boolean;

  /** `script`: the bundled worker (`dist/analysisWorker.js`), or a TypeScript file started through tsx (tests). */
  constructor(private readonly script: string) {
    this.present = existsSync(script);
  }

  /** Whether requests can be sent to the worker (its script exists and it has not failed too often). */
  get available(): boolean {
    return this.present && this.failures < MAX_FAILURES;
  }

  analyze(text: string, options: AnalysisOptions): AnalysisJob {
    const worker = this.worker.get();
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const checked = deferred<Checked | undefined>();
    const tree = deferred<EncodedTree | undefined>();
    this.pending.set(id, {
      checked: checked.resolve,
      tree: tree.resolve,
      reject: (error) => {
        checked.reject(error);
        tree.reject(error);
      },
    });
    const request: AnalysisRequest = { id, text, options, cancel };
    // A request in flight keeps the process alive; an idle worker does not.
    worker.ref();
    worker.postMessage(request);
    return { checked: checked.promise, tree: tree.promise, cancel: () => Atomics.store(new Int32Array(cancel), 0, 1) };
  }

  async dispose(): Promise<void> {
    await this.worker.dispose();
  }

  private startWorker(): Worker {
    const worker = startWorker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.on('message', (reply: AnalysisReply) => {
      const waiter = this.pending.get(reply.id);
      if (reply.kind === 'checked') {
        waiter?.checked(reply.checked);
        return;
      }
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.kind === 'tree') waiter?.tree(reply.encoded);
      else {
        waiter?.checked(undefined);
        waiter?.tree(undefined);
      }
    });
    worker.on('error', (error: Error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`The analysis worker exited (exit code ${code}).`)));
    return worker;
  }

  private fail(worker: Worker, error: Error): void {
    if (!this.worker.release(worker)) return;
    this.failures++;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** A promise with its settle functions. A rejection nobody waits for (a version superseded meanwhile) is not reported. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
