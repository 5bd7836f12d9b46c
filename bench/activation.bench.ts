// Benchmark: what activation costs a workspace without optimizer configs. The extension activates on every YAML and
// JSON file, so two things are paid there: loading dist/client.js (measured here, in fresh Node processes, with a
// stand-in for the `vscode` module) and the candidate check on each opened document (measured here on typical files).
// activate()'s own body and the server start are measured inside VS Code by test/extension/suite/activation.suite.ts
// (figures in test/artifacts/activation-timing.json).
// Run: node --import tsx bench/activation.bench.ts   (after npm run build, or npm run build:production for the .vsix)

import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { candidateVerdict, manifestFileGlobs, type CandidateDocument } from '../client/src/activation';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '..');
const CLIENT = path.join(ROOT, 'dist', 'client.js');
const ROUNDS = 15;

/** Loads the bundle once in this process and prints the milliseconds; `vscode` is a callable, constructible proxy. */
const LOAD_SCRIPT = `
const Module = require('node:module');
const stub = new Proxy(function () {}, { get: (_t, key) => (key === Symbol.toPrimitive ? () => 0 : stub), apply: () => stub, construct: () => stub });
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const started = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));
`;

function describe(values: number[]): string {
  return `median ${median(values).toFixed(2)} ms, min ${Math.min(...values).toFixed(2)}, max ${Math.max(...values).toFixed(2)} (${values.length} rounds)`;
}

const loads: number[] = [];
for (let round = 0; round < ROUNDS; round++)
  loads.push(Number(execFileSync(process.execPath, ['-e', LOAD_SCRIPT, CLIENT], { encoding: 'utf8' })));
console.log(`load dist/client.js (${(statSync(CLIENT).size / 1024).toFixed(0)} KiB): ${describe(loads)}`);

const globs = manifestFileGlobs(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
const bigYaml = `items:\n${'  - {name: item, value: 12345, tags: [a, b, c]}\n'.repeat(25_000)}`;
const documents: [string, CandidateDocument][] = [
  [
    'package.json (not a config)',
    {
      languageId: 'json',
      scheme: 'file',
      path: '/w/package.json',
      text: readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
    },
  ],
  [
    `a ${(bigYaml.length / 1e6).toFixed(1)} MB YAML data file (not a config)`,
    { languageId: 'yaml', scheme: 'file', path: '/w/data.yaml', text: bigYaml },
  ],
  [
    'a DeepSpeed config by content',
    {
      languageId: 'json',
      scheme: 'file',
      path: '/w/train.json',
      text: '{"train_batch_size": 8, "optimizer": {"type": "AdamW", "params": {"lr": 1e-4}}}',
    },
  ],
];
for (const [label, document] of documents) {
  const times: number[] = [];
  let verdict = '';
  for (let round = 0; round < 200; round++) {
    const started = process.hrtime.bigint();
    verdict = candidateVerdict(document, {}, globs).reason;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  console.log(`candidate check, ${label}: ${describe(times)}; verdict: ${verdict}`);
}
