// `optlens simulate` and `optlens range-test`: the same jobs as the editor, run in-process for CI.

import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CONVERT_TARGETS, convertTargetNamed } from '../core/catalog/dialects';
import { convertConfig } from '../core/convert/index';
import { runSimulation, simulationRequest, toSimulationView } from '../core/features/simulation';
import {
  planRangeTest,
  toRangeTestView,
  type RangeTestOverrides,
  type RangeTestViewData,
} from '../core/features/rangeTest';
import { RANGE_TEST_TASKS, type RangeTestTaskName } from '../core/rangeTest/types';
import { runPytorchRangeTest } from '../compute/pytorchRangeTest';
import { resolveInterpreter } from '../compute/pythonRunner';
import { rangeTestJob, type RangeTestResult } from '../compute/jobs';
import { BACKEND_ORDER, type BackendName } from '../compute/backends';
import { UsageError, type CliIo } from './commands';
import { readConfig } from './readConfig';
import { linePlotPng } from './plot/png';
import { linePlotSvg } from '../core/plot/svg';
import type { LinePlotSpec } from '../core/plot/linePlot';

function writePlot(io: CliIo, file: string, spec: LinePlotSpec): string | undefined {
  const extension = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (extension === 'svg') io.writeFile(file, linePlotSvg(spec));
  else if (extension === 'png') io.writeFile(file, linePlotPng(spec));
  else return `--out ${file}: the plot format is chosen by the extension, which must be .svg or .png.`;
  return undefined;
}

export async function simulateCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('simulate needs exactly one FILE');
  const file = positionals[0]!;
  const read = readConfig(io, file, { skippedIsFailure: true });
  if (read.kind !== 'config') return read.exitCode;
  const model = read.model;
  if (!model.simulate) {
    io.stderr(`optlens: ${file} has no simulate: section\n`);
    return 1;
  }
  const { request, issues } = simulationRequest(model);
  for (const issue of issues) io.stderr(`optlens: ${file}: ${issue.message}\n`);
  if (!request) return 1;
  const started = process.hrtime.bigint();
  const summary = runSimulation(request);
  const { result, statements } = summary;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  for (const issue of result.issues) io.stderr(`optlens: ${issue.message}\n`);
  if (values.json) {
    // The panel's view, plus what a script needs to tell runs apart: each run's optimizer and where it diverged.
    const view = toSimulationView(file, summary, seconds);
    io.stdout(
      `${JSON.stringify({
        ...view,
        runs: view.runs.map((run, index) => {
          const source = result.runs[index]!;
          return {
            ...run,
            optimizer: source.optimizer,
            ...(source.divergedAt !== undefined ? { divergedAt: source.divergedAt } : {}),
          };
        }),
      })}\n`,
    );
  } else {
    io.stdout(
      `${file}: ${result.landscape?.id ?? 'landscape'}, ${request.steps} steps, ${result.runs.length} runs (${seconds.toFixed(2)} s, plain Float64Array loops)\n`,
    );
    for (const run of result.runs) {
      const final = run.loss.at(-1);
      io.stdout(
        `  ${run.label}: final loss ${final === undefined ? 'n/a' : final.toPrecision(4)}${run.divergedAt !== undefined ? `, diverged at step ${run.divergedAt}` : ''}\n`,
      );
    }
    for (const statement of statements) io.stdout(`  ${statement.label}: ${statement.text}\n`);
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

/** A positive number flag, or a usage error naming it. */
function numberFlag(name: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (
    !Number.isFinite(parsed) ||
    (integer && !Number.isInteger(parsed)) ||
    parsed < 0 ||
    (name !== 'seed' && parsed === 0)
  ) {
    throw new UsageError(
      `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} must be a ${integer ? 'non-negative integer' : 'positive number'} (got ${value})`,
    );
  }
  return parsed;
}

const RANGE_TEST_OPTIONS = {
  json: { type: 'boolean', default: false },
  out: { type: 'string' },
  backend: { type: 'string' },
  workspace: { type: 'string' },
  python: { type: 'string' },
  task: { type: 'string' },
  model: { type: 'string' },
  data: { type: 'string' },
  loss: { type: 'string' },
  device: { type: 'string' },
  'start-lr': { type: 'string' },
  'end-lr': { type: 'string' },
  'num-iter': { type: 'string' },
  seed: { type: 'string' },
} as const;

export async function rangeTestCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: RANGE_TEST_OPTIONS });
  if (positionals.length !== 1) throw new UsageError('range-test needs exactly one FILE');
  const backend = values.backend;
  if (backend !== undefined && !BACKEND_ORDER.includes(backend as BackendName))
    throw new UsageError(`--backend must be one of ${BACKEND_ORDER.join(', ')}`);
  const task = values.task;
  if (task !== undefined && !(RANGE_TEST_TASKS as readonly string[]).includes(task))
    throw new UsageError(`--task must be one of ${RANGE_TEST_TASKS.join(', ')}`);
  const overrides: RangeTestOverrides = {
    ...(task !== undefined ? { task: task as RangeTestTaskName } : {}),
    ...(values.model !== undefined ? { model: values.model } : {}),
    ...(values.data !== undefined ? { data: values.data } : {}),
    ...(values.loss !== undefined ? { loss: values.loss === 'none' ? null : values.loss } : {}),
    ...(values.device !== undefined ? { device: values.device } : {}),
    ...optional('startLr', numberFlag('startLr', values['start-lr'], false)),
    ...optional('endLr', numberFlag('endLr', values['end-lr'], false)),
    ...optional('numIter', numberFlag('numIter', values['num-iter'], true)),
    ...optional('seed', numberFlag('seed', values.seed, true)),
  };
  const file = positionals[0]!;
  const read = readConfig(io, file, { skippedIsFailure: true });
  if (read.kind !== 'config') return read.exitCode;
  // range_test.model/data (and Python imports) resolve from the workspace: the current directory unless --workspace.
  const workspaceRoot = path.resolve(values.workspace ?? '.');
  const plan = planRangeTest(read.analysis, overrides);
  if (plan.kind === 'refused') {
    io.stderr(`optlens: ${file}: ${plan.reason}\n`);
    return 1;
  }
  if (plan.kind === 'needs-settings') {
    io.stderr(
      `optlens: ${file}: ${plan.message} Pass --model module:callable and --data module:callable (and --loss), or --task spiral for a synthetic proxy.\n`,
    );
    return 2;
  }
  const progressLine = (message: string): void => {
    if (io.interactive && !values.json) io.stderr(`\r${message}`.padEnd(60));
  };

  let view: RangeTestViewData;
  if (plan.kind === 'pytorch') {
    // --python, else python3 on the PATH (the CLI has no editor setting or Python extension to ask).
    const interpreter = values.python !== undefined ? { path: values.python, source: 'cli' } : resolveInterpreter({});
    const outcome = await runPytorchRangeTest({
      plan,
      workspace: workspaceRoot,
      interpreter: interpreter.path,
      interpreterSource: interpreter.source,
      onStderr: (text) => io.stderr(text),
      onPoint: (point, total) =>
        progressLine(
          `step ${point.index + 1}/${total}, lr ${point.lr.toExponential(2)}, loss ${point.loss.toPrecision(4)}`,
        ),
    });
    if (io.interactive && !values.json) io.stderr('\n');
    if (outcome.status === 'failed') {
      io.stderr(`optlens: the range test failed: ${outcome.reason}\n`);
      if (values.json)
        io.stdout(
          `${JSON.stringify({ status: 'failed', kind: outcome.kind, reason: outcome.reason, ...(outcome.file ? { file: outcome.file, line: outcome.line } : {}) })}\n`,
        );
      return 1;
    }
    view = toRangeTestView(read.analysis, file, outcome.run, 'your-model', plan.optimizerLabel);
  } else {
    let result: RangeTestResult;
    try {
      result = await rangeTestJob(
        {
          rangeTest: plan.params,
          optimizer: plan.optimizer,
          // No wasmPaths: the job finds dist/wasm next to the bundle, or the package's own copy when run from source.
          backend: backend ? { preferred: backend as BackendName } : {},
          workspaceRoot,
        },
        (update) => progressLine(update.message),
        () => false,
      );
    } catch (error) {
      io.stderr(`\noptlens: the range test failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    if (io.interactive && !values.json) io.stderr('\n');
    for (const attempt of result.backendAttempts) {
      if (!attempt.loaded)
        io.stderr(`optlens: backend ${attempt.name} not used: ${attempt.reason ?? 'unknown reason'}\n`);
    }
    if (plan.proxy)
      io.stderr(
        `optlens: this range test trained ${plan.taskDescription}, not your model: its lr says nothing about your model. Use task: pytorch (or --model/--data) for your own.\n`,
      );
    view = toRangeTestView(read.analysis, file, result, plan.proxy ? 'proxy' : 'your-model', plan.optimizerLabel);
  }

  const suggestions = {
    valley: view.suggestions.valley?.lr ?? null,
    steepest: view.suggestions.steepest?.lr ?? null,
    minimum: view.suggestions.minimum?.lr ?? null,
  };
  if (values.json) {
    io.stdout(
      `${JSON.stringify({
        backend: view.backend,
        ...(view.runtime
          ? {
              device: `${view.runtime.device}${view.runtime.deviceName && view.runtime.deviceName !== view.runtime.device ? ` ${view.runtime.deviceName}` : ''}`,
              torch: view.runtime.torch,
              python: view.runtime.python,
            }
          : {}),
        measuredOn: view.measuredOn,
        task: view.task,
        lrs: view.lrs,
        losses: view.losses,
        smoothed: view.smoothed,
        stopped: view.stopped,
        suggestions,
        notes: view.notes,
        seconds: view.seconds,
      })}\n`,
    );
  } else {
    const where = view.runtime
      ? `pytorch ${view.runtime.torch} on ${view.runtime.device}${view.runtime.deviceName && view.runtime.deviceName !== view.runtime.device ? ` (${view.runtime.deviceName})` : ''}`
      : `backend ${view.backend}`;
    io.stdout(
      `${file}: LR range test on ${view.task} with ${view.optimizerLabel}, ${where}, ${view.lrs.length} points, ${view.stopped}, ${view.seconds.toFixed(2)} s\n`,
    );
    if (view.measuredOn === 'proxy') io.stdout('  measured on a synthetic proxy model, not yours\n');
    for (const [name, suggestion] of Object.entries(view.suggestions)) {
      io.stdout(`  ${name}: ${suggestion ? `${suggestion.lr.toPrecision(3)}: ${suggestion.explanation}` : 'none'}\n`);
    }
    for (const note of view.notes) io.stdout(`  note: ${note}\n`);
  }
  if (values.out !== undefined) {
    const markers = Object.entries(view.suggestions).flatMap(([name, suggestion]) =>
      suggestion ? [{ x: suggestion.lr, label: `${name} ${suggestion.lr.toPrecision(2)}` }] : [],
    );
    const error = writePlot(io, values.out, {
      title: `LR range test (${view.task}, ${view.optimizerLabel.split('(')[0]}, ${view.runtime ? `pytorch ${view.runtime.device}` : view.backend})`,
      xLabel: 'learning rate',
      yLabel: 'loss',
      logX: true,
      series: [
        { label: 'loss', x: [...view.lrs], y: [...view.losses], dashed: true },
        { label: 'smoothed', x: [...view.lrs], y: [...view.smoothed] },
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

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

export async function convertCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { to: { type: 'string' }, out: { type: 'string', short: 'o' } },
  });
  if (positionals.length !== 1) throw new UsageError('convert needs exactly one FILE');
  const to = convertTargetNamed(values.to);
  if (!to) throw new UsageError(`--to must be one of ${CONVERT_TARGETS.join(', ')}`);
  const file = positionals[0]!;
  const read = readConfig(io, file, { skippedIsFailure: true });
  if (read.kind !== 'config') return read.exitCode;
  const result = convertConfig(read.model, to);
  if (values.out !== undefined) io.writeFile(values.out, result.text);
  else io.stdout(result.text);
  for (const item of result.lost) io.stderr(`optlens: not carried over: ${item}\n`);
  return 0;
}
