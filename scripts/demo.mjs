// The README's main job on the bundled examples: lint them, then compute and draw a schedule.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

function optlens(...args) {
  console.log(`\n$ optlens ${args.join(' ')}`);
  return spawnSync(process.execPath, ['dist/optlens.js', ...args], { stdio: 'inherit' }).status;
}

mkdirSync('out', { recursive: true });
optlens('lint', 'examples/transformer-warmup-cosine.optim.yaml', 'examples/resnet-onecycle.optim.json');
// This one is full of mistakes on purpose; its exit code 1 is expected.
optlens('lint', 'examples/common-mistakes.optim.yaml');
const status = optlens('schedule', 'examples/transformer-warmup-cosine.optim.yaml', '--out', 'out/schedule.svg');
process.exit(status ?? 1);
