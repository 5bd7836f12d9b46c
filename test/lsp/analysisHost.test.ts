// The analysis worker (issue 15): large YAML is analysed off the server's thread; the problems come first, then the same
// syntax tree the server's thread would build.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyze, type AnalysisOptions } from '../../server/src/core/analysis';
import { parseTree } from '../../server/src/core/syntax/parse';
import { decodeTreeSteps } from '../../server/src/core/syntax/treeCodec';
import { AnalysisWorkerHost } from '../../server/src/lsp/analysisHost';

const WORKER = path.resolve(__dirname, '..', '..', 'server', 'src', 'lsp', 'analysisWorker.ts');
const host = new AnalysisWorkerHost(WORKER);
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
const OPTIONS: AnalysisOptions = { format: 'yaml', dialect: 'auto', fileName: 'file:///big.optim.yaml' };

test('the worker finds the same problems and parses YAML into the same tree as the server thread would, errors included', async () => {
  assert.ok(host.available);
  for (const text of [TEXT, 'optimizer:\n  type: "AdamW\n  lr: [0.1\n', 'a: &x [*x]\n---\nb: 1\n']) {
    const job = host.analyze(text, OPTIONS);
    const checked = await job.checked;
    assert.ok(checked, 'not cancelled');
    const here = analyze(text, OPTIONS);
    assert.deepEqual(checked.problems, here.problems);
    assert.equal(checked.hasModel, here.model !== null);
    const encoded = await job.tree;
    assert.ok(encoded, 'not cancelled');
    assert.deepEqual(rebuild(encoded, text), parseTree(text, 'yaml'));
  }
  // The text above has a negative lr: the problems are real ones, not an empty list compared with another.
  assert.ok((await host.analyze(TEXT, OPTIONS).checked)?.problems.some((problem) => problem.code === 'OL105'));
});

test('the problems arrive before the tree', async () => {
  const job = host.analyze(TEXT, OPTIONS);
  const order: string[] = [];
  await Promise.all([job.checked.then(() => order.push('checked')), job.tree.then(() => order.push('tree'))]);
  assert.deepEqual(order, ['checked', 'tree']);
});

test('a parse cancelled before its turn answers undefined, and the next one is still answered', async () => {
  const first = host.analyze(TEXT, OPTIONS);
  const second = host.analyze(TEXT, OPTIONS);
  second.cancel();
  const third = host.analyze('optimizer:\n  type: SGD\n', OPTIONS);
  assert.ok(await first.tree);
  assert.equal(await second.checked, undefined);
  assert.equal(await second.tree, undefined);
  const encoded = await third.tree;
  assert.ok(encoded);
  assert.deepEqual(rebuild(encoded, 'optimizer:\n  type: SGD\n'), parseTree('optimizer:\n  type: SGD\n', 'yaml'));
});

test('without its script the host is unavailable, so the server parses on its own thread', () => {
  assert.equal(new AnalysisWorkerHost(path.join(__dirname, 'no-such-worker.js')).available, false);
});

test('a worker that dies rejects its analysis (the server then analyses itself); after three failures the host gives up', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'optlens-parse-worker-'));
  try {
    const script = path.join(folder, 'dying.js');
    writeFileSync(script, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const dying = new AnalysisWorkerHost(script);
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(dying.available, true, `attempt ${attempt}`);
      const job = dying.analyze('a: 1\n', OPTIONS);
      await assert.rejects(job.checked, /exit code 3/);
      await assert.rejects(job.tree, /exit code 3/);
    }
    assert.equal(dying.available, false);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
