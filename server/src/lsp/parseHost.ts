// Parses large YAML documents in a worker_threads worker, so that the server's thread only rebuilds the tree, in slices.

import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { EncodedTree } from '../core/syntax/treeCodec';

/** What the server sends: the text, and a one-int flag it sets to 1 when the version is superseded. */
export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly cancel: SharedArrayBuffer;
}

/** What the worker answers: the tree as flat arrays (transferred, not copied), or undefined when it was cancelled. */
export interface ParseReply {
  readonly id: number;
  readonly encoded: EncodedTree | undefined;
}

/** One parse in flight: `result` settles with the tree, undefined when cancelled; it rejects when the worker fails. */
export interface ParseJob {
  readonly result: Promise<EncodedTree | undefined>;
  cancel(): void;
}

/** After this many worker failures the server parses on its own thread only (in slices, as before). */
const MAX_FAILURES = 3;

/**
 * One worker, started on the first parse and kept; requests queue in it and are parsed one at a time, a cancelled
 * one is skipped (or stopped at its next slice). A worker that fails rejects its pending parses and is replaced.
 */
export class ParseWorkerHost {
  private worker: Worker | null = null;
  private failures = 0;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (encoded: EncodedTree | undefined) => void; reject: (error: Error) => void }
  >();
  private readonly present: boolean;

  /** `script`: the bundled worker (`dist/parseWorker.js`), or a TypeScript file started through tsx (tests). */
  constructor(private readonly script: string) {
    this.present = existsSync(script);
  }

  /** Whether parses can be sent to the worker (its script exists and it has not failed too often). */
  get available(): boolean {
    return this.present && this.failures < MAX_FAILURES;
  }

  parse(text: string): ParseJob {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const cancel = new SharedArrayBuffer(4);
    const result = new Promise<EncodedTree | undefined>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const request: ParseRequest = { id, text, cancel };
    // A parse in flight keeps the process alive; an idle worker does not.
    worker.ref();
    worker.postMessage(request);
    return { result, cancel: () => Atomics.store(new Int32Array(cancel), 0, 1) };
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A TypeScript worker (tests) is started through tsx's CommonJS hook, as the compute host does.
    const typescript = this.script.endsWith('.ts');
    const entry = typescript
      ? `require('tsx/cjs/api').register(); require(${JSON.stringify(this.script)});`
      : this.script;
    const worker = new Worker(entry, {
      eval: typescript,
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (reply: ParseReply) => {
      const waiter = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      waiter?.resolve(reply.encoded);
    });
    worker.on('error', (error: Error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`The parse worker exited (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.failures++;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
