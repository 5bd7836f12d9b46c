// The parse worker (issue 15): large YAML is read off the server's thread and comes back as the same syntax tree.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseTree } from '../../server/src/core/syntax/parse';
import { decodeTreeSteps } from '../../server/src/core/syntax/treeCodec';
import { ParseWorkerHost } from '../../server/src/lsp/parseHost';

const WORKER = path.resolve(__dirname, '..', '..', 'server', 'src', 'lsp', 'parseWorker.ts');
const host = new ParseWorkerHost(WORKER);
after(() => host.dispose());

function rebuild(encoded: Parameters<typeof decodeTreeSteps>[0], text: string): ReturnType<typeof parseTree> {
  const steps = decodeTreeSteps(encoded, text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

const lines = ['optimizer:', '  type: AdamW', '  lr: -1.0e-3', 'simulate:', '  compare:'];
for (let i = 0; i < 2000; i++) lines.push(`    - {type: SGD, lr: ${(i % 9) + 1}.0e-3, label: "run-${i}"}`);
const TEXT = `${lines.join('\n')}\n`;

test('the worker parses YAML into the same tree as the server thread would, errors included', async () => {
  assert.ok(host.available);
  for (const text of [TEXT, 'optimizer:\n  type: "AdamW\n  lr: [0.1\n', 'a: &x [*x]\n---\nb: 1\n']) {
    const encoded = await host.parse(text).result;
    assert.ok(encoded, 'not cancelled');
    assert.deepEqual(rebuild(encoded, text), parseTree(text, 'yaml'));
  }
});

test('a parse cancelled before its turn answers undefined, and the next one is still answered', async () => {
  const first = host.parse(TEXT);
  const second = host.parse(TEXT);
  second.cancel();
  const third = host.parse('optimizer:\n  type: SGD\n');
  assert.ok(await first.result);
  assert.equal(await second.result, undefined);
  const encoded = await third.result;
  assert.ok(encoded);
  assert.deepEqual(rebuild(encoded, 'optimizer:\n  type: SGD\n'), parseTree('optimizer:\n  type: SGD\n', 'yaml'));
});

test('without its script the host is unavailable, so the server parses on its own thread', () => {
  assert.equal(new ParseWorkerHost(path.join(__dirname, 'no-such-worker.js')).available, false);
});

test('a worker that dies rejects its parse (the server then parses itself); after three failures the host gives up', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'optlens-parse-worker-'));
  try {
    const script = path.join(folder, 'dying.js');
    writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const dying = new ParseWorkerHost(script);
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(dying.available, true, `attempt ${attempt}`);
      await assert.rejects(dying.parse('a: 1\n').result, /exit code 3/);
    }
    assert.equal(dying.available, false);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
