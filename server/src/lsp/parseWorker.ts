// The parse worker: reads a large YAML text into the syntax tree off the server's thread, and sends it back as flat arrays.

import { parentPort } from 'node:worker_threads';
import { parseTreeSteps } from '../core/syntax/parseSteps';
import { encodeTree } from '../core/syntax/treeCodec';
import type { ParseReply, ParseRequest } from './parseHost';

/** Parses one request, checking its cancel flag between slices of the parse (a newer version makes it moot). */
function parse(request: ParseRequest): { reply: ParseReply; transfer: ArrayBuffer[] } {
  const cancelled = new Int32Array(request.cancel);
  const steps = parseTreeSteps(request.text, 'yaml');
  for (;;) {
    if (Atomics.load(cancelled, 0) !== 0) return { reply: { id: request.id, encoded: undefined }, transfer: [] };
    const step = steps.next();
    if (step.done) {
      const encoded = encodeTree(step.value);
      return {
        reply: { id: request.id, encoded },
        transfer: [encoded.ints.buffer as ArrayBuffer, encoded.numbers.buffer as ArrayBuffer],
      };
    }
  }
}

const port = parentPort;
port?.on('message', (request: ParseRequest) => {
  const { reply, transfer } = parse(request);
  port.postMessage(reply, transfer);
});
