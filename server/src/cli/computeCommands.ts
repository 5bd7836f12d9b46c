// `optlens simulate` and `optlens range-test`: the same jobs as the editor, run in-process for CI.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../core/analysis';
import { convertConfig } from '../core/convert/index';
import { runSimulation, simulationRequest } from '../core/features/simulation';
import { parseRangeTestSection } from '../core/rangeTest/section';
import { toPlain } from '../core/syntax/tree';
import { givenParams } from '../core/modelValues';
import { rangeTestJob, type RangeTestResult } from '../compute/jobs';
import { BACKEND_ORDER, type BackendName } from '../compute/backends';
import { readOrExplain, UsageError, type CliIo } from './commands';
import { formatOfPath } from './lint';
import { linePlotPng } from './plot/png';
import { linePlotSvg } from './plot/svg';
import type { LinePlotSpec } from './plot/linePlot';

function writePlot(io: CliIo, file: string, spec: LinePlotSpec): string | undefined {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (extension === 'svg') io.writeFile(file, linePlotSvg(spec));
  else if (extension === 'png') io.writeFile(file, linePlotPng(spec));
  else return `--out ${file}: the plot format is chosen by the extension, which must be .svg or .png.`;
  return undefined;
}

function loadModel(io: CliIo, file: string): ReturnType<typeof analyze>['model'] | undefined {
  const text = readOrExplain(io, file);
  if (text === undefined) return undefined;
  const analysis = analyze(text, { format: formatOfPath(file) });
  return analysis.model ?? undefined;
}

export async function simulateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean', default: false }, out: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('simulate needs exactly one FILE');
  const file = positionals[0]!;
  const model = loadModel(io, file);
  if (!model) return model === undefined ? 2 : 1;
  if (!model.simulate) {
    io.stderr(`optlens: ${file} has no simulate: section\n`);
    return 1;
  }
  const { request, issues } = simulationRequest(model);
  for (const issue of issues) io.stderr(`optlens: ${file}: ${issue.message}\n`);
  if (!request) return 1;
  const started = process.hrtime.bigint();
  const { result, stability } = runSimulation(request);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const issue of result.issues) io.stderr(`optlens: ${issue.message}\n`);
  if (values.json) {
    io.stdout(`${JSON.stringify({
      runs: result.runs.map((run) => ({ label: run.label, optimizer: run.optimizer, x: run.x, loss: run.loss, ...(run.divergedAt !== undefined ? { divergedAt: run.divergedAt } : {}) })),
      ...(result.heatmap ? { heatmap: result.heatmap } : {}),
      ...(stability ? { stability } : {}),
      backend: 'float64-js',
      seconds,
    })}\n`);
  } else {
    io.stdout(`${file}: ${result.landscape?.id ?? 'landscape'}, ${request.steps} steps, ${result.runs.length} runs (${seconds.toFixed(2)} s, plain Float64Array loops)\n`);
    for (const run of result.runs) {
      const final = run.loss.at(-1);
      io.stdout(`  ${run.label}: final loss ${final === undefined ? 'n/a' : final.toPrecision(4)}${run.divergedAt !== undefined ? `, diverged at step ${run.divergedAt}` : ''}\n`);
    }
    if (stability) io.stdout(`  stability limit 2/lambda_max = ${stability.limit.toPrecision(4)}; configured lr ${stability.lr} is ${stability.lr < stability.limit ? 'below' : 'above'} it\n`);
  }
  if (values.out !== undefined) {
    const error = writePlot(io, values.out, {
      title: `Loss against step on ${result.landscape?.id ?? 'the landscape'}`,
      xLabel: 'step',
      yLabel: 'loss',
      logY: true,
      series: result.runs.map((run) => ({ label: run.label, x: run.steps, y: run.loss })),
    });
    if (error) {
      io.stderr(`optlens: ${error}\n`);
      return 2;
    }
  }
  return result.issues.length > 0 && result.runs.length === 0 ? 1 : 0;
}

export async function rangeTestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean', default: false }, out: { type: 'string' }, backend: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('range-test needs exactly one FILE');
  const backend = values.backend;
  if (backend !== undefined && !BACKEND_ORDER.includes(backend as BackendName)) throw new UsageError(`--backend must be one of ${BACKEND_ORDER.join(', ')}`);
  const file = positionals[0]!;
  const model = loadModel(io, file);
  if (!model) return model === undefined ? 2 : 1;
  const optimizer = model.optimizer;
  if (!optimizer?.entry) {
    io.stderr(`optlens: ${file}: ${optimizer ? `unknown optimizer '${optimizer.typeName}'` : 'no optimizer: section'}\n`);
    return 1;
  }
  const section = parseRangeTestSection(model.rangeTest ? toPlain(model.rangeTest.node) ?? {} : {});
  const errors = section.issues.filter((issue) => issue.severity === 'error');
  for (const issue of section.issues) io.stderr(`optlens: ${file}: ${issue.message}\n`);
  if (!section.params || errors.length > 0) return 1;
  const progressLine = (message: string): void => {
    if (io.interactive && !values.json) io.stderr(`\r${message}`.padEnd(60));
  };
  let result: RangeTestResult;
  try {
    result = await rangeTestJob({
      rangeTest: section.params,
      optimizer: { type: optimizer.entry.name, params: givenParams(optimizer) },
      // No wasmPaths: the job finds dist/wasm next to the bundle, or the package's own copy when run from source.
      backend: backend ? { preferred: backend as BackendName } : {},
      workspaceRoot: path.dirname(path.resolve(file)),
    }, (update) => progressLine(update.message), () => false);
  } catch (error) {
    io.stderr(`\noptlens: the range test failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (io.interactive && !values.json) io.stderr('\n');
  for (const attempt of result.backendAttempts) {
    if (!attempt.loaded) io.stderr(`optlens: backend ${attempt.name} not used: ${attempt.reason ?? 'unknown reason'}\n`);
  }
  const suggestions = {
    steepest: result.suggestions.steepest?.lr ?? null,
    valley: result.suggestions.valley?.lr ?? null,
    minimum: result.suggestions.minimum?.lr ?? null,
  };
  if (values.json) {
    io.stdout(`${JSON.stringify({ backend: result.backend, lrs: result.lrs, losses: result.losses, smoothed: result.smoothed, stopped: result.stopped, suggestions, seconds: result.seconds })}\n`);
  } else {
    io.stdout(`${file}: LR range test on ${result.task} with ${optimizer.entry.name}, backend ${result.backend}, ${result.lrs.length} points, ${result.stopped}, ${result.seconds.toFixed(2)} s\n`);
    for (const [name, suggestion] of Object.entries(result.suggestions)) {
      io.stdout(`  ${name}: ${suggestion ? `${suggestion.lr.toPrecision(3)}: ${suggestion.explanation}` : 'none'}\n`);
    }
    for (const note of result.notes) io.stdout(`  note: ${note}\n`);
  }
  if (values.out !== undefined) {
    const markers = Object.entries(result.suggestions).flatMap(([name, suggestion]) => (suggestion ? [{ x: suggestion.lr, label: `${name} ${suggestion.lr.toPrecision(2)}` }] : []));
    const error = writePlot(io, values.out, {
      title: `LR range test (${result.task}, ${optimizer.entry.name}, ${result.backend})`,
      xLabel: 'learning rate',
      yLabel: 'loss',
      logX: true,
      series: [
        { label: 'loss', x: result.lrs, y: result.losses, dashed: true },
        { label: 'smoothed', x: result.lrs, y: result.smoothed },
      ],
      markers,
    });
    if (error) {
      io.stderr(`optlens: ${error}\n`);
      return 2;
    }
  }
  return 0;
}

const TARGETS = ['optim', 'deepspeed', 'lightning', 'hf'] as const;

export async function convertCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { to: { type: 'string' }, out: { type: 'string', short: 'o' } } });
  if (positionals.length !== 1) throw new UsageError('convert needs exactly one FILE');
  const to = TARGETS.find((target) => target === values.to);
  if (!to) throw new UsageError(`--to must be one of ${TARGETS.join(', ')}`);
  const file = positionals[0]!;
  const text = readOrExplain(io, file);
  if (text === undefined) return 2;
  const analysis = analyze(text, { format: formatOfPath(file), dialect: 'auto', fileName: file });
  if (!analysis.model) {
    io.stderr(`optlens: ${file} is not recognised as an optimizer config (native *.optim.*, DeepSpeed, Lightning, Hugging Face or Hydra)\n`);
    return 1;
  }
  const result = convertConfig(analysis.model, to);
  if (values.out !== undefined) io.writeFile(values.out, result.text);
  else io.stdout(result.text);
  for (const item of result.lost) io.stderr(`optlens: not carried over: ${item}\n`);
  return 0;
}
