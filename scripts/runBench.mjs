// Runs a benchmark the way the extension ships: bundled by esbuild into plain JavaScript, then run by Node.
// (Through tsx the same loops are 30-40% slower, which would measure the loader, not the code.)
// Usage: node scripts/runBench.mjs bench/schedule.bench.ts [args...]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/runBench.mjs bench/<name>.bench.ts [args...]');
  process.exit(2);
}
const outfile = path.join('out', 'bench', `${path.basename(entry, '.ts')}.cjs`);
await esbuild.build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', 'onnxruntime-node'],
});
// The bundle keeps the entry's file name in argv[1], so `if (argv[1].endsWith(...)) main()` guards still fire.
const result = spawnSync(process.execPath, [outfile, ...args], {
  stdio: 'inherit',
  env: { ...process.env, OPTLENS_BENCH_ENTRY: entry },
});
process.exit(result.status ?? 1);
