// The subcommands of `optlens`, written against a small I/O interface so tests can run them in-process.

import { parseArgs } from 'node:util';
import type { ScheduleFacts } from '../core/features/scheduleFacts';
import { scheduleSeriesJson, scheduleView } from '../core/features/scheduleView';
import { NO_SCHEDULER_HINTS } from '../core/catalog/dialects';
import { formatNumber } from '../core/rules/context';
import { formatSarif, formatText, lintRecords, type LintRecord } from './lint';
import { EXIT, readConfig, whyUnreadable } from './readConfig';
import { renderScheduleFile } from './render';
import { convertCommand, rangeTestCommand, simulateCommand } from './computeCommands';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Throws (with a Node error code) when the file cannot be read. */
  readFile(file: string): string;
  writeFile(file: string, data: string | Uint8Array): void;
  /** stderr is a terminal: progress lines may be redrawn in place. */
  readonly interactive?: boolean;
}

export const VERSION = '0.1.0';

const USAGE = `Usage: optlens <command> [options]

Commands:
  lint [--format text|json|sarif] FILE...       Check optimizer/scheduler configs. Exit 0: no errors, 1: errors, 2: usage.
  schedule FILE [--steps N] [--metrics LIST|FILE] [--json] [--out FILE.svg|png|html]
                                                Evaluate the file's LR schedule with PyTorch's semantics.
  simulate FILE [--json] [--out FILE.svg|png]   Run the file's simulate: section (optimizer trajectories on a landscape).
  range-test FILE [--json] [--backend NAME] [--workspace DIR] [--out FILE.svg|png]
                                                Run the LR range test of the file's optimizer (range_test: section).
  convert FILE --to optim|deepspeed|lightning|hf [--out FILE]
                                                Write the same optimizer and schedule in another dialect; says what is lost.
  help                                          Show this help.
  version                                       Print the version.

Every command reads native *.optim.yaml|json files and DeepSpeed, Lightning CLI, Hugging Face and Hydra configs.
Exit codes: 0 done; 1 errors in the config, or nothing to compute (no scheduler, not an optimizer config, or turned
off by \`# optlens-disable-file\`); 2 usage error or unreadable file. lint exits 0 on a file that is turned off.
`;

export class UsageError extends Error {}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'lint':
        return lintCommand(rest, io);
      case 'schedule':
        return await scheduleCommand(rest, io);
      case 'simulate':
        return await simulateCommand(rest, io);
      case 'range-test':
        return await rangeTestCommand(rest, io);
      case 'convert':
        return await convertCommand(rest, io);
      case 'version':
      case '--version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return 0;
      case undefined:
        io.stderr(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`optlens: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** Reads a file, turning I/O errors into a one-line message. */
export function readOrExplain(io: CliIo, file: string): string | undefined {
  try {
    return io.readFile(file);
  } catch (error) {
    io.stderr(`optlens: cannot read ${file}: ${whyUnreadable(error)}\n`);
    return undefined;
  }
}

function lintCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { format: { type: 'string', short: 'f', default: 'text' } },
  });
  const format = values.format;
  if (format !== 'text' && format !== 'json' && format !== 'sarif')
    throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one FILE');
  const records: LintRecord[] = [];
  let unreadable = false;
  for (const file of positionals) {
    const read = readConfig(io, file, { skippedIsFailure: false });
    if (read.kind === 'unreadable') unreadable = true;
    else if (read.kind === 'config') records.push(...lintRecords(file, read.analysis));
  }
  if (format === 'json') io.stdout(`${JSON.stringify(records)}\n`);
  else if (format === 'sarif') io.stdout(formatSarif(records, VERSION));
  else io.stdout(formatText(records));
  if (unreadable) return EXIT.usage;
  return records.some((record) => record.severity === 'error') ? EXIT.failed : EXIT.ok;
}

function parseMetrics(io: CliIo, value: string): number[] {
  const inline = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const looksInline = inline.length > 0 && inline.every((part) => Number.isFinite(Number(part)));
  const source = looksInline
    ? inline
    : (() => {
        const text = readOrExplain(io, value);
        if (text === undefined)
          throw new UsageError(
            `--metrics: '${value}' is neither a comma-separated list of numbers nor a readable file`,
          );
        return text
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter((line) => line !== '' && !line.startsWith('#'));
      })();
  return source.map((part, index) => {
    const number = Number(part);
    if (!Number.isFinite(number)) throw new UsageError(`--metrics: item ${index + 1} ('${part}') is not a number`);
    return number;
  });
}

async function scheduleCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      steps: { type: 'string' },
      metrics: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      log: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw new UsageError('schedule needs exactly one FILE');
  const file = positionals[0]!;
  let steps: number | undefined;
  if (values.steps !== undefined) {
    steps = Number(values.steps);
    if (!Number.isInteger(steps) || steps < 1)
      throw new UsageError(`--steps must be a positive integer (got '${values.steps}')`);
    if (steps > 10_000_000) throw new UsageError(`--steps ${steps} is more than the 10000000 steps optlens evaluates`);
  }
  const metrics = values.metrics !== undefined ? parseMetrics(io, values.metrics) : undefined;
  const read = readConfig(io, file, { skippedIsFailure: true });
  if (read.kind !== 'config') return read.exitCode;
  const { analysis, model } = read;
  const syntax = analysis.problems.some((problem) => problem.code === 'OL001');
  if (syntax && !model.scheduler) {
    io.stderr(formatText(lintRecords(file, analysis).filter((record) => record.code === 'OL001')));
    return EXIT.failed;
  }
  if (!model.scheduler) {
    io.stderr(`optlens: ${file} has no scheduler${NO_SCHEDULER_HINTS[model.dialect]}\n`);
    return EXIT.failed;
  }
  if (!model.scheduler.entry) {
    io.stderr(`optlens: ${file}: unknown scheduler '${model.scheduler.typeName || '(no type)'}'\n`);
    return EXIT.failed;
  }
  // The same view as the panel's, for the same file and metrics; the notes go to stderr, so they stay out of the plot.
  const { facts, data, notes } = scheduleView(
    analysis,
    { ...(steps !== undefined ? { steps } : {}), ...(metrics ? { metrics } : {}) },
    { uri: file, version: 0, withNotes: false },
  );
  if (!facts || !data) {
    io.stderr(`optlens: ${file}: the schedule could not be evaluated\n`);
    return 1;
  }
  for (const issue of facts.located) io.stderr(`optlens: ${issue.severity}: ${issue.message}\n`);
  for (const note of notes) io.stderr(`optlens: note: ${note}\n`);
  if (values.json) io.stdout(`${JSON.stringify(scheduleSeriesJson(data))}\n`);
  else io.stdout(scheduleText(file, facts));
  if (values.out !== undefined) {
    const written = renderScheduleFile(values.out, data, { logY: values.log === true });
    if (written.error) {
      io.stderr(`optlens: ${written.error}\n`);
      return 2;
    }
    io.writeFile(values.out, written.data!);
    if (!values.json) io.stdout(`Wrote ${values.out}\n`);
  }
  // An empty series (values known only at run time, a plateau without --metrics) is a schedule not computed.
  return facts.located.some((issue) => issue.severity === 'error') || facts.series.lr.length === 0
    ? EXIT.failed
    : EXIT.ok;
}

/** Where each dialect keeps its scheduler, for the "no scheduler" message. */
function scheduleText(file: string, facts: ScheduleFacts): string {
  const summary = facts.summary;
  const lines = [
    `${file}: ${facts.title}, ${facts.series.lr.length} steps${facts.stepsFromRun ? ' (the run length from training:)' : ''}`,
  ];
  if (summary) {
    lines.push(
      `  start ${formatNumber(summary.start)}, peak ${formatNumber(summary.peak)} at step ${summary.peakStep}, final ${formatNumber(summary.final)}, lowest ${formatNumber(summary.min)} at step ${summary.minStep}`,
    );
  }
  const markers = facts.series.markers.slice(0, 12);
  if (markers.length > 0)
    lines.push(
      `  markers: ${markers.map((marker) => `${marker.label} @ ${marker.step}`).join('; ')}${facts.series.markers.length > markers.length ? ' ...' : ''}`,
    );
  if (facts.series.momentum)
    lines.push(
      `  momentum cycled: ${formatNumber(Math.min(...facts.series.momentum))}..${formatNumber(Math.max(...facts.series.momentum))}`,
    );
  if (facts.series.betas)
    lines.push(
      `  beta1 cycled: ${formatNumber(Math.min(...facts.series.betas[0]))}..${formatNumber(Math.max(...facts.series.betas[0]))}`,
    );
  return `${lines.join('\n')}\n`;
}
