// Benchmark: full re-analysis and hover latency of the language core, and how they grow with file size.
// Run: node --import tsx bench/analysis.bench.ts   (targets: 300 lines < 5 ms median, hover < 2 ms, linear growth)

import { analyze } from '../server/src/core/analysis';
import { hover } from '../server/src/core/features/hover';
import { complete } from '../server/src/core/features/completion';

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
    out.push(`    # stage ${i}`, '    - type: CosineAnnealingLR', `      T_max: ${stepsPerChild}`, '      eta_min: 1.0e-6');
  }
  out.push(`  milestones: [${Array.from({ length: children - 1 }, (_, i) => (i + 1) * stepsPerChild).join(', ')}]`, 'training:', `  steps: ${children * stepsPerChild}`);
  return `${out.join('\n')}\n`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
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

export function main(): void {
  const rows: string[] = [];
  let base: { lines: number; ms: number } | undefined;
  for (const lines of [300, 1000, 3000, 10000]) {
    const text = syntheticConfig(lines);
    const actualLines = text.split('\n').length - 1;
    // Warm up the JIT before measuring.
    for (let i = 0; i < 20; i++) analyze(text, { format: 'yaml' });
    const runs = lines <= 1000 ? 200 : 30;
    const analysisMs = timeIt(runs, () => analyze(text, { format: 'yaml' }));
    const analysis = analyze(text, { format: 'yaml' });
    const offset = text.indexOf('eta_min', Math.floor(text.length / 2)) + 2;
    const hoverMs = timeIt(runs * 5, () => hover(analysis, offset));
    const completionMs = timeIt(runs * 5, () => complete(analysis, offset));
    base ??= { lines: actualLines, ms: analysisMs };
    const perLine = analysisMs / actualLines / (base.ms / base.lines);
    rows.push(`${String(actualLines).padStart(6)} lines | analysis ${analysisMs.toFixed(3).padStart(8)} ms | hover ${hoverMs.toFixed(4)} ms | completion ${completionMs.toFixed(4)} ms | time per line vs 300-line file ${perLine.toFixed(2)}x | problems ${analysis.problems.length}`);
  }
  console.log('Optimizer Lens core analysis benchmark (median of repeated runs, same process)');
  console.log(rows.join('\n'));
  console.log('Targets: 300-line analysis < 5 ms median; hover < 2 ms; per-line cost roughly flat (linear growth).');
}

if (require.main === module) main();
