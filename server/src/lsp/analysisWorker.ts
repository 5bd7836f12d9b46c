// The analysis worker: analyses a large YAML text off the server's thread. It answers the problems as soon as the rules
// have run (the diagnostics go out then), and after them the syntax tree as flat arrays, for the server to rebuild.

import { parentPort } from 'node:worker_threads';
import { analysisSteps } from '../core/analysis';
import { encodeTree } from '../core/syntax/treeCodec';
import type { AnalysisReply, AnalysisRequest } from './analysisHost';

/** Analyses one request, checking its cancel flag between slices (a newer version makes it moot). */
function analyze(request: AnalysisRequest, send: (reply: AnalysisReply, transfer?: ArrayBuffer[]) => void): void {
  const cancelled = new Int32Array(request.cancel);
  const steps = analysisSteps(request.text, request.options);
  for (;;) {
    if (Atomics.load(cancelled, 0) !== 0) {
      send({ id: request.id, kind: 'cancelled' });
      return;
    }
    const step = steps.next();
    if (step.done) {
      const analysis = step.value;
      send({
        id: request.id,
        kind: 'checked',
        checked: { problems: analysis.problems, hasModel: analysis.model !== null },
      });
      const encoded = encodeTree(analysis.tree);
      send({ id: request.id, kind: 'tree', encoded }, [
        encoded.ints.buffer as ArrayBuffer,
        encoded.numbers.buffer as ArrayBuffer,
      ]);
      return;
    }
  }
}

const port = parentPort;
port?.on('message', (request: AnalysisRequest) => {
  analyze(request, (reply, transfer) => port.postMessage(reply, transfer ?? []));
});
