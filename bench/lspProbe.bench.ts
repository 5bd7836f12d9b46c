// Benchmark: the bundled server measured from outside by lsp-probe (../shared/tools/lsp-probe), against Red Hat's
// yaml-language-server on the same documents, and one analysis measured in both places (issue 15).
// yaml-language-server is installed from npm into a temporary folder by this script: it is not a dependency of the
// extension. Run: node --import tsx bench/lspProbe.bench.ts [--rounds N] [--yaml-ls-home DIR] [--skip-compare]
// (about 2 minutes per round on the 2-core machine; --yaml-ls-home reuses a folder holding node_modules/yaml-language-server).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analysis';
import { ensureBuilt, ROOT, SERVER_BUNDLE } from '../test/lsp/lspClient';
import { median } from './stats';

const PROBE_HOME = process.env.LSP_PROBE_HOME ?? path.resolve(ROOT, '..', 'shared', 'tools', 'lsp-probe');
const PROBE = path.join(PROBE_HOME, 'probe.mjs');
const GEN = path.join(PROBE_HOME, 'examples', 'optlens-vs-yamlls', 'gen.mjs');

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

function installYamlLanguageServer(work: string): string {
  const given = option('--yaml-ls-home');
  if (given) return path.resolve(given);
  const home = path.join(work, 'yls');
  mkdirSync(home, { recursive: true });
  writeFileSync(path.join(home, 'package.json'), '{"name":"yls-bench","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', 'yaml-language-server'], {
    cwd: home,
    stdio: 'inherit',
  });
  return home;
}

interface ProbeRun {
  readonly first_diag_ms?: number;
  readonly spaced?: { readonly p50?: number; readonly samples?: readonly number[] };
  readonly error?: string;
}

/** One analysis of the 300-line document: in this process (warm and cold) and from outside (an edit's diagnostics, delay 0). */
function oneAnalysisBothWays(documents: string): void {
  const file = path.join(documents, '300-line.optim.yaml');
  const text = readFileSync(file, 'utf8');
  const options = { format: 'yaml' as const, dialect: 'auto' as const, fileName: 'file:///300-line.optim.yaml' };
  const coldStart = process.hrtime.bigint();
  analyze(text, options);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  const warm: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = process.hrtime.bigint();
    analyze(text, options);
    warm.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const out = path.join(documents, 'inside-outside.json');
  const settings = JSON.stringify({ optimizerLens: { diagnosticsDelay: 0 } });
  const args = [
    PROBE,
    'run',
    '--name',
    'optlens',
    '--language-id',
    'optim',
    '--file',
    file,
    '--settings',
    settings,
    '--hover-n',
    '0',
    '--completion-n',
    '0',
    '--edit',
    '3.0e-4',
    '--spaced',
    '60',
    '--out',
    out,
    '--',
    process.execPath,
    SERVER_BUNDLE,
    '--stdio',
  ];
  execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const run = JSON.parse(readFileSync(out, 'utf8')) as ProbeRun;
  if (run.error) throw new Error(`lsp-probe run failed: ${run.error}`);
  const samples = run.spaced?.samples ?? [];
  const firstTen = samples.slice(0, 10);
  const lastHalf = samples.slice(Math.floor(samples.length / 2));
  console.log('One analysis of the 300-line document (diagnosticsDelay 0), in-process and from outside:');
  console.log(
    `  in-process analyze: warm median ${median(warm).toFixed(2)} ms, first call in a fresh process ${coldMs.toFixed(1)} ms`,
  );
  if (samples.length > 0) {
    console.log(
      `  from outside (lsp-probe, edit -> its diagnostics): first 10 edits median ${median(firstTen).toFixed(2)} ms, last ${lastHalf.length} median ${median(lastHalf).toFixed(2)} ms, open -> first diagnostics ${run.first_diag_ms?.toFixed(1)} ms`,
    );
    console.log(
      `  ratio outside/in-process (warm, last edits): ${(median(lastHalf) / median(warm)).toFixed(2)}x; first edits against the warm in-process figure: ${(median(firstTen) / median(warm)).toFixed(2)}x`,
    );
  } else {
    console.log(`  from outside: spaced p50 ${run.spaced?.p50} ms (this probe version gives no per-edit samples)`);
  }
}

export function main(): void {
  ensureBuilt();
  for (const tool of [PROBE, GEN])
    if (!existsSync(tool)) throw new Error(`lsp-probe not found at ${tool}: set LSP_PROBE_HOME`);
  const work = mkdtempSync(path.join(tmpdir(), 'optlens-probe-'));
  const documents = path.join(work, 'docs');
  console.log(`lsp-probe benchmark in ${work}; load average before: ${load()}`);
  const yamlHome = process.argv.includes('--skip-compare') ? work : installYamlLanguageServer(work);
  execFileSync(process.execPath, [GEN, documents, ROOT, yamlHome], { stdio: ['ignore', 'ignore', 'inherit'] });
  oneAnalysisBothWays(documents);
  if (process.argv.includes('--skip-compare')) return;
  const planFile = path.join(documents, 'plan.json');
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { rounds: number };
  plan.rounds = Number(option('--rounds') ?? 2);
  writeFileSync(planFile, JSON.stringify(plan, null, 1));
  const tables = path.join(work, 'tables.md');
  try {
    execFileSync(
      process.execPath,
      [PROBE, 'compare', '--plan', planFile, '--out', path.join(work, 'result.json'), '--markdown', tables],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch (error) {
    console.log(
      `lsp-probe compare reported a failed run (exit ${(error as { status?: number }).status}); the tables below say which`,
    );
  }
  console.log(
    `Optimizer Lens / yaml-language-server, ${plan.rounds} round(s), medians (ratio < 1: Optimizer Lens is faster):`,
  );
  if (existsSync(tables)) console.log(readFileSync(tables, 'utf8'));
  console.log(`load average after: ${load()}`);
}

if (process.argv[1]?.endsWith('lspProbe.bench.ts')) main();
