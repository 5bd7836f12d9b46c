// Benchmark: full re-analysis and hover latency of the language core, and how they grow with file size.
// Beside each analysis, the bare YAML parse of the same text (the parser alone, as the core calls it), measured
// alternately in the same run, and the ratio; and the longest slice of the cooperative analysis (issue 15), both as the
// server runs it on its own thread (below OFF_THREAD_ANALYSIS_MIN) and after the analysis worker (the tree, model and
// schedule rebuilt in slices, the worker's problems taken as they are).
// Run: node --import tsx bench/analysis.bench.ts   (targets: 300 lines < 5 ms median, hover < 2 ms, analysis/parse <= 1.5x)

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { analysisSteps, analyze } from '../server/src/core/analysis';
import { parseTree, YAML_PARSE_OPTIONS } from '../server/src/core/syntax/parse';
import { decodeTreeSteps, encodeTree } from '../server/src/core/syntax/treeCodec';
import { hover } from '../server/src/core/features/hover';
import { complete } from '../server/src/core/features/completion';
import { compareListConfig as compareList } from '../test/largeConfig';
import { median } from './stats';

/** A native config of about `lines` lines: a SequentialLR with many children, plus comments. */
export function syntheticConfig(lines: number): string {
  const children = Math.max(2, Math.floor((lines - 12) / 4));
  const stepsPerChild = 20;
  const out = [
    '# synthetic benchmark config',
    'optimizer:',
    '  type: AdamW',
    '  lr: 3.0e-4',
    '  betas: [0.9, 0.999]',
    '  weight_decay: 0.05',
    'scheduler:',
    '  type: SequentialLR',
    '  schedulers:',
  ];
  for (let i = 0; i < children; i++) {
    out.push(
      `    # stage ${i}`,
      '    - type: CosineAnnealingLR',
      `      T_max: ${stepsPerChild}`,
      '      eta_min: 1.0e-6',
    );
  }
  out.push(
    `  milestones: [${Array.from({ length: children - 1 }, (_, i) => (i + 1) * stepsPerChild).join(', ')}]`,
    'training:',
    `  steps: ${children * stepsPerChild}`,
  );
  return `${out.join('\n')}\n`;
}

/** A config like lsp-probe's documents: the 30-line example plus a long `simulate: compare:` list, about `bytes` long. */
export function compareListConfig(bytes: number): string {
  const head = readFileSync(
    path.join(__dirname, '..', 'examples', 'transformer-warmup-cosine.optim.yaml'),
    'utf8',
  ).trimEnd();
  return compareList(
    { bytes },
    { head, simulateSteps: 500, kinds: ['SGD', 'Adam', 'AdamW', 'RMSprop'], weightDecay: true },
  );
}

function timeIt(runs: number, body: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    body();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

/** Median analysis and bare-parse times, measured alternately so that the machine's load falls on both alike. */
function analysisAgainstParse(text: string, runs: number): { analysisMs: number; parseMs: number; ratio: number } {
  const analysisTimes: number[] = [];
  const parseTimes: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const parseMs = timeIt(1, () => YAML.parseAllDocuments(text, YAML_PARSE_OPTIONS));
    const analysisMs = timeIt(1, () => analyze(text, { format: 'yaml' }));
    parseTimes.push(parseMs);
    analysisTimes.push(analysisMs);
    ratios.push(analysisMs / parseMs);
  }
  return { analysisMs: median(analysisTimes), parseMs: median(parseTimes), ratio: median(ratios) };
}

/** The longest stretch of `analysisSteps` between two pauses: what a request can wait behind in the server. */
function longestSlice(text: string, offThread = false): { steps: number; longestMs: number } {
  const steps = offThread
    ? analysisSteps(
        text,
        { format: 'yaml' },
        decodeTreeSteps(encodeTree(parseTree(text, 'yaml')), text),
        analyze(text, { format: 'yaml' }).problems,
      )
    : analysisSteps(text, { format: 'yaml' });
  let longestMs = 0;
  for (let count = 1; ; count++) {
    const start = process.hrtime.bigint();
    const step = steps.next();
    longestMs = Math.max(longestMs, Number(process.hrtime.bigint() - start) / 1e6);
    if (step.done) return { steps: count, longestMs };
  }
}

export function main(): void {
  console.log(
    `Optimizer Lens core analysis benchmark (median of repeated runs, same process; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')})`,
  );
  // The first analysis in a fresh process, before the JIT has compiled anything: what a just-started server pays.
  const first = compareListConfig(6_300);
  const coldStart = process.hrtime.bigint();
  analyze(first, { format: 'yaml' });
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const rows: string[] = [];
  let base: { lines: number; ms: number } | undefined;
  for (const lines of [300, 1000, 3000, 10000]) {
    const text = syntheticConfig(lines);
    const actualLines = text.split('\n').length - 1;
    // Warm up the JIT before measuring.
    for (let i = 0; i < 20; i++) analyze(text, { format: 'yaml' });
    const runs = lines <= 1000 ? 200 : 30;
    const { analysisMs, parseMs, ratio } = analysisAgainstParse(text, runs);
    const analysis = analyze(text, { format: 'yaml' });
    const offset = text.indexOf('eta_min', Math.floor(text.length / 2)) + 2;
    const hoverMs = timeIt(runs * 5, () => hover(analysis, offset));
    const completionMs = timeIt(runs * 5, () => complete(analysis, offset));
    base ??= { lines: actualLines, ms: analysisMs };
    const perLine = analysisMs / actualLines / (base.ms / base.lines);
    rows.push(
      `${String(actualLines).padStart(6)} lines | analysis ${analysisMs.toFixed(3).padStart(8)} ms | parse ${parseMs.toFixed(3).padStart(8)} ms | analysis/parse ${ratio.toFixed(2)}x | hover ${hoverMs.toFixed(4)} ms | completion ${completionMs.toFixed(4)} ms | per line vs 300 ${perLine.toFixed(2)}x | problems ${analysis.problems.length}`,
    );
  }
  console.log('SequentialLR with many children (the schedule engine grows with the file):');
  console.log(rows.join('\n'));
  console.log("A long simulate: compare: list (the shape of lsp-probe's documents), from 300 lines to 2 MB:");
  for (const bytes of [6_300, 208_000, 1_950_000]) {
    const text = compareListConfig(bytes);
    const runs = bytes < 10_000 ? 200 : bytes < 500_000 ? 15 : 5;
    for (let i = 0; i < Math.min(20, runs); i++) analyze(text, { format: 'yaml' });
    const { analysisMs, parseMs, ratio } = analysisAgainstParse(text, runs);
    const slices = longestSlice(text);
    // After the analysis worker: the tree rebuilt from flat arrays, then the model and schedule; the rules ran in the
    // worker, whose part is not timed.
    const afterWorker = Array.from({ length: 3 }, () => longestSlice(text, true));
    const worst = afterWorker.reduce((a, b) => (a.longestMs >= b.longestMs ? a : b));
    console.log(
      `${String(text.split('\n').length - 1).padStart(6)} lines ${(text.length / 1e6).toFixed(2)} MB | analysis ${analysisMs.toFixed(2).padStart(8)} ms | parse ${parseMs.toFixed(2).padStart(8)} ms | analysis/parse ${ratio.toFixed(2)}x | in thread: ${slices.steps} slices, longest ${slices.longestMs.toFixed(1)} ms | after the analysis worker: ${worst.steps} slices, longest ${afterWorker.map((run) => run.longestMs.toFixed(1)).join(' / ')} ms`,
    );
  }
  console.log(`first analysis in this process (cold JIT, 300-line compare list): ${coldMs.toFixed(1)} ms`);
  console.log(
    'Targets: 300-line analysis < 5 ms median; hover < 2 ms; analysis/parse <= 1.5x from 300 lines to 2 MB; per-line cost roughly flat.',
  );
}
if (require.main === module) main();
