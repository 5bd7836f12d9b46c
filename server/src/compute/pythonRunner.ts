// Starts and drives the Python runner that does the LR range test on the user's own PyTorch model
// (`python/optlens_range_test.py`, protocol in docs/pytorch-runner-protocol.md): one process per job, in its own
// process group, JSON lines on stdout, a stop line or a signal to end it. Nothing of the runner outlives `done`.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export const RUNNER_PROTOCOL = 1;

/** The runner's file name; it ships in `dist/python/` and lives in `server/src/compute/python/` in the source tree. */
export const RUNNER_SCRIPT_NAME = 'optlens_range_test.py';

/** A jsonargparse-style class reference, as LightningCLI writes it. */
export interface ClassSpec {
  class_path: string;
  init_args?: Record<string, unknown>;
}

/**
 * The job spec, written to the runner's stdin as one JSON line with the same (snake_case) keys; the driver adds
 * `protocol`. See docs/pytorch-runner-protocol.md for each field.
 */
export interface PythonRunnerSpec {
  /** Absolute path of the workspace folder: the runner's cwd and first entry of `sys.path`. */
  workspace: string;
  mode: 'entrypoints' | 'lightning';
  /** entrypoints: `module:callable` returning a `torch.nn.Module`. */
  model?: string;
  /** entrypoints: `module:callable` returning an iterable of batches (or a generator function). */
  data?: string;
  /** entrypoints: `cross_entropy`, `mse`, a `module:callable(outputs, targets)`, or null when the model returns its loss. */
  loss?: string | null;
  /** entrypoints, optional: `module:callable(model)` returning the parameters or parameter groups for the optimizer. */
  params?: string | null;
  /** lightning: the module and (optionally) the data module, instantiated like LightningCLI does. */
  lightning?: { model: ClassSpec; data?: ClassSpec | null };
  /** `class_path` (`torch.optim.AdamW`, `AdamW` or any `module.Class`) and keyword arguments; null: configure_optimizers(). */
  optimizer: { class_path: string; kwargs?: Record<string, unknown> } | null;
  /** `auto` (cuda, then mps, then cpu) or a torch device string such as `cuda:1`. */
  device: string;
  /** One learning rate per step. */
  lrs: number[];
  seed: number;
}

export interface RunnerHello {
  python: string;
  torch: string;
  executable: string;
  device: string;
  deviceName: string;
  pid?: number;
}
export interface RunnerStep {
  index: number;
  lr: number;
  loss: number;
}

export type RunnerFailureKind =
  | 'python-missing'
  | 'torch-missing'
  | 'spec'
  | 'import'
  | 'user-code'
  | 'bad-loss'
  | 'data'
  | 'optimizer'
  | 'device'
  | 'internal'
  | 'protocol'
  | 'crashed'
  | 'timeout';

export type RunnerEnd =
  | { status: 'completed' | 'stopped'; steps: number }
  | { status: 'cancelled' }
  | {
      status: 'failed';
      kind: RunnerFailureKind;
      message: string;
      summary?: string;
      file?: string;
      line?: number;
      traceback?: string;
    };

export interface RunnerOutcome {
  hello?: RunnerHello;
  end: RunnerEnd;
  /** Wall time from the spawn to the end, in seconds. */
  seconds: number;
  /** From the spawn to the first step line (Python start, torch import, model and data building, one step). */
  firstStepSeconds?: number;
  /** The runner's own timing of its step loop (from its end line), in seconds. */
  loopSeconds?: number;
}

export interface RunnerHandle {
  /** The runner's process id (also its process group's), once spawned. */
  readonly pid: number | undefined;
  /** Ask the runner to stop after the current step (graceful; kills it if it does not end within `stopGraceMs`). */
  stop(): void;
  /** End the process now (SIGTERM, then SIGKILL of the whole process group after ~300 ms); resolves `done` as cancelled. */
  cancel(): void;
  readonly done: Promise<RunnerOutcome>;
}

export interface StartRunnerOptions {
  /** e.g. /usr/bin/python3 */
  interpreter: string;
  /** Default: the bundled optlens_range_test.py (see `defaultRunnerScript`). */
  script?: string;
  spec: PythonRunnerSpec;
  onHello?(hello: RunnerHello): void;
  onStep?(step: RunnerStep): void;
  /** The runner's stderr (the user's prints and warnings included), as it arrives. */
  onStderr?(text: string): void;
  /** No hello within this time → failed 'timeout' (default 120 s: importing torch can be slow). */
  startTimeoutMs?: number;
  /** No step line within this time after the previous one (or the hello) → failed 'timeout' (default 600 s). */
  stepTimeoutMs?: number;
  /** After `stop()`, the process is killed if it has not ended within this time (default 1 s). */
  stopGraceMs?: number;
  env?: NodeJS.ProcessEnv;
}

const MAX_LINE_CHARS = 1 << 20;
const KILL_AFTER_TERM_MS = 300;
const STDERR_TAIL_CHARS = 4000;
const RUNNER_KINDS: readonly RunnerFailureKind[] = [
  'spec',
  'torch-missing',
  'import',
  'user-code',
  'bad-loss',
  'data',
  'optimizer',
  'device',
  'internal',
];

/**
 * The runner script: next to the bundle (`dist/python/`), or in the source tree (this file's `python/` folder, which is
 * the same relative path), or the source tree seen from `dist/`.
 */
export function defaultRunnerScript(directory: string = __dirname): string {
  const candidates = [
    path.join(directory, 'python', RUNNER_SCRIPT_NAME),
    path.join(directory, '..', 'server', 'src', 'compute', 'python', RUNNER_SCRIPT_NAME),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
}

/**
 * Whether a process of the group `pgid` is still running. Killed members can stay zombies until init reaps them (some
 * container inits do so lazily); on Linux those count as gone, read from /proc.
 */
export function processGroupRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    }
    return false;
  } catch {
    return true;
  }
}

/** Which Python runs the job: the setting, else the Python extension's active environment, else `python3` (`python` on Windows). */
export function resolveInterpreter(options: {
  setting?: string;
  pythonExtension?: string;
  platform?: NodeJS.Platform;
}): {
  path: string;
  source: 'setting' | 'python-extension' | 'path';
} {
  const setting = options.setting?.trim();
  if (setting) return { path: setting, source: 'setting' };
  const fromExtension = options.pythonExtension?.trim();
  if (fromExtension) return { path: fromExtension, source: 'python-extension' };
  return { path: (options.platform ?? process.platform) === 'win32' ? 'python' : 'python3', source: 'path' };
}

/**
 * Splits a byte stream into lines, whatever the chunking (UTF-8 characters split across chunks included). A line longer
 * than `maxChars` without a newline is an error, so a runner that never writes one cannot grow memory without bound.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly maxChars: number = MAX_LINE_CHARS) {}

  /** The complete lines in this chunk (without `\n` or `\r\n`), or `{ overflow }` with the line's start. */
  push(chunk: Buffer | string): { lines: string[]; overflow?: string } {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    const lines = parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
    for (const line of lines) if (line.length > this.maxChars) return { lines: [], overflow: line.slice(0, 200) };
    if (this.pending.length > this.maxChars) return { lines, overflow: this.pending.slice(0, 200) };
    return { lines };
  }

  /** What is left when the stream ends (a last line without a newline). */
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest.length > 0 ? [rest] : [];
  }
}

type Message =
  | { type: 'hello'; hello: RunnerHello }
  | { type: 'step'; step: RunnerStep }
  | { type: 'end'; reason: 'completed' | 'stopped'; steps: number; seconds?: number }
  | { type: 'error'; end: Extract<RunnerEnd, { status: 'failed' }> };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** One stdout line to a message, or a string saying why it is not one. */
export function parseRunnerLine(line: string): Message | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not JSON';
  }
  if (!isRecord(value)) return 'not a JSON object';
  switch (value['type']) {
    case 'hello': {
      if (value['protocol'] !== RUNNER_PROTOCOL)
        return `the runner speaks protocol ${JSON.stringify(value['protocol'])}, this extension protocol ${RUNNER_PROTOCOL}`;
      const fields = ['python', 'torch', 'executable', 'device', 'device_name'] as const;
      if (fields.some((key) => typeof value[key] !== 'string')) return `a hello without ${fields.join(', ')}`;
      const hello: RunnerHello = {
        python: value['python'] as string,
        torch: value['torch'] as string,
        executable: value['executable'] as string,
        device: value['device'] as string,
        deviceName: value['device_name'] as string,
      };
      if (typeof value['pid'] === 'number') hello.pid = value['pid'];
      return { type: 'hello', hello };
    }
    case 'step': {
      const { index, lr, loss, nonfinite } = value;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || typeof lr !== 'number')
        return 'a step without index and lr';
      let restored: number;
      if (typeof loss === 'number') restored = loss;
      else if (loss === null && nonfinite === 'nan') restored = Number.NaN;
      else if (loss === null && nonfinite === 'inf') restored = Number.POSITIVE_INFINITY;
      else if (loss === null && nonfinite === '-inf') restored = Number.NEGATIVE_INFINITY;
      else return 'a step whose loss is neither a number nor null with nonfinite "nan", "inf" or "-inf"';
      return { type: 'step', step: { index, lr, loss: restored } };
    }
    case 'end': {
      const { reason, steps } = value;
      if ((reason !== 'completed' && reason !== 'stopped') || typeof steps !== 'number')
        return 'an end without reason and steps';
      return typeof value['seconds'] === 'number'
        ? { type: 'end', reason, steps, seconds: value['seconds'] }
        : { type: 'end', reason, steps };
    }
    case 'error': {
      const kind = value['kind'];
      if (typeof kind !== 'string' || typeof value['message'] !== 'string') return 'an error without kind and message';
      const end: Extract<RunnerEnd, { status: 'failed' }> = {
        status: 'failed',
        kind: (RUNNER_KINDS as readonly string[]).includes(kind) ? (kind as RunnerFailureKind) : 'internal',
        message: value['message'],
      };
      const summary = optionalString(value['summary']);
      const file = optionalString(value['file']);
      const traceback = optionalString(value['traceback']);
      if (summary !== undefined) end.summary = summary;
      if (file !== undefined) end.file = file;
      if (typeof value['line'] === 'number') end.line = value['line'];
      if (traceback !== undefined) end.traceback = traceback;
      return { type: 'error', end };
    }
    default:
      return `unknown message type ${JSON.stringify(value['type'])}`;
  }
}

/** Starts the runner on one job. Every way it can end (including a bad interpreter) resolves `done`; nothing throws. */
export function startPythonRunner(options: StartRunnerOptions): RunnerHandle {
  const started = performance.now();
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  const stepTimeoutMs = options.stepTimeoutMs ?? 600_000;
  const stopGraceMs = options.stopGraceMs ?? 1000;
  const groupKill = process.platform !== 'win32';

  let hello: RunnerHello | undefined;
  let firstStepSeconds: number | undefined;
  let loopSeconds: number | undefined;
  let stepsSeen = 0;
  let lastStepIndex = -1;
  /** The outcome, once decided (an end/error line, a failure seen here, a cancel); `done` resolves once the process is gone. */
  let decided: RunnerEnd | undefined;
  let stopRequested = false;
  let exitDescription = '';
  let stderrTail = '';
  let resolveDone!: (outcome: RunnerOutcome) => void;
  const done = new Promise<RunnerOutcome>((resolve) => (resolveDone = resolve));
  let finished = false;
  const timers = new Set<NodeJS.Timeout>();
  let waitTimer: NodeJS.Timeout | undefined;

  const after = (ms: number, action: () => void): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
    return timer;
  };
  const finish = (end: RunnerEnd): void => {
    if (finished) return;
    finished = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const outcome: RunnerOutcome = { end, seconds: (performance.now() - started) / 1000 };
    if (hello) outcome.hello = hello;
    if (firstStepSeconds !== undefined) outcome.firstStepSeconds = firstStepSeconds;
    if (loopSeconds !== undefined) outcome.loopSeconds = loopSeconds;
    resolveDone(outcome);
  };
  const failedEnd = (kind: RunnerFailureKind, message: string): RunnerEnd => ({ status: 'failed', kind, message });

  const spec = options.spec;
  if (typeof spec.workspace !== 'string' || !path.isAbsolute(spec.workspace) || !existsSync(spec.workspace)) {
    finish(
      failedEnd(
        'spec',
        `The workspace folder ${JSON.stringify(spec.workspace)} does not exist (it must be an absolute path).`,
      ),
    );
    return { pid: undefined, stop: () => undefined, cancel: () => undefined, done };
  }
  const script = options.script ?? defaultRunnerScript();

  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(options.interpreter, ['-u', script], {
      cwd: spec.workspace,
      detached: groupKill,
      stdio: 'pipe',
      windowsHide: true,
      env: {
        ...(options.env ?? process.env),
        PYTHONUNBUFFERED: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONIOENCODING: 'utf-8',
      },
    });
  } catch (error) {
    finish(
      failedEnd(
        'python-missing',
        `Cannot start the Python interpreter ${JSON.stringify(options.interpreter)}: ${(error as Error).message}`,
      ),
    );
    return { pid: undefined, stop: () => undefined, cancel: () => undefined, done };
  }
  const pid = child.pid;

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    try {
      if (groupKill) process.kill(-pid, signal);
      else child.kill(signal);
    } catch {
      // ESRCH: already gone.
    }
  };
  /** Ends the process now: SIGTERM to the group, SIGKILL after KILL_AFTER_TERM_MS. `done` waits for its exit. */
  const terminate = (): void => {
    child.stdin.destroy();
    signalGroup('SIGTERM');
    after(KILL_AFTER_TERM_MS, () => signalGroup('SIGKILL'));
  };
  const decide = (end: RunnerEnd, kill: boolean): void => {
    if (decided) return;
    decided = end;
    if (waitTimer) clearTimeout(waitTimer);
    // A runner that reported its end exits by itself; one that does not within the grace time is ended.
    if (kill) terminate();
    else after(2000, terminate);
  };
  const armWait = (ms: number, what: () => string): void => {
    if (waitTimer) {
      clearTimeout(waitTimer);
      timers.delete(waitTimer);
    }
    waitTimer = after(ms, () => decide(failedEnd('timeout', what()), true));
  };
  armWait(
    startTimeoutMs,
    () =>
      `No hello from the Python runner within ${startTimeoutMs / 1000} s (starting Python and importing torch took too long).`,
  );

  const safely = (callback: () => void): void => {
    try {
      callback();
    } catch (error) {
      decide(failedEnd('internal', `A runner callback failed: ${(error as Error).message}`), true);
    }
  };

  const handleLine = (line: string): void => {
    if (decided) return;
    if (line.trim() === '') return;
    const message = parseRunnerLine(line);
    if (typeof message === 'string') {
      decide(
        failedEnd(
          'protocol',
          `The Python runner wrote something that is not protocol ${RUNNER_PROTOCOL} (${message}): ${JSON.stringify(line.slice(0, 200))}`,
        ),
        true,
      );
      return;
    }
    switch (message.type) {
      case 'hello':
        if (hello) {
          decide(failedEnd('protocol', 'The Python runner said hello twice.'), true);
          return;
        }
        hello = message.hello;
        armWait(
          stepTimeoutMs,
          () =>
            `No step from the Python runner within ${stepTimeoutMs / 1000} s after its start (building the model and data, or the first step, took too long).`,
        );
        safely(() => options.onHello?.(message.hello));
        return;
      case 'step':
        if (!hello) {
          decide(failedEnd('protocol', 'The Python runner sent a step before its hello.'), true);
          return;
        }
        firstStepSeconds ??= (performance.now() - started) / 1000;
        stepsSeen += 1;
        lastStepIndex = message.step.index;
        armWait(
          stepTimeoutMs,
          () => `No step from the Python runner within ${stepTimeoutMs / 1000} s after step ${lastStepIndex}.`,
        );
        safely(() => options.onStep?.(message.step));
        return;
      case 'end':
        loopSeconds = message.seconds;
        decide({ status: message.reason, steps: message.steps }, false);
        return;
      case 'error':
        decide(message.end, false);
        return;
    }
  };

  const splitter = new LineSplitter();
  child.stdout.on('data', (chunk: Buffer) => {
    if (decided) return;
    const { lines, overflow } = splitter.push(chunk);
    for (const line of lines) handleLine(line);
    if (overflow !== undefined && !decided) {
      decide(
        failedEnd(
          'protocol',
          `The Python runner wrote a line longer than ${MAX_LINE_CHARS} characters: ${JSON.stringify(overflow)}`,
        ),
        true,
      );
    }
  });
  const stderrDecoder = new StringDecoder('utf8');
  child.stderr.on('data', (chunk: Buffer) => {
    const text = stderrDecoder.write(chunk);
    stderrTail = (stderrTail + text).slice(-STDERR_TAIL_CHARS);
    if (text) safely(() => options.onStderr?.(text));
  });
  child.stdin.on('error', () => {
    // EPIPE: the runner is gone; its exit says why.
  });
  child.on('error', (error: NodeJS.ErrnoException) => {
    // Spawning failed (the process never ran), or a signal could not be sent.
    if (error.code === 'ENOENT' || error.code === 'EACCES' || error.code === 'ENOTDIR') {
      decide(
        failedEnd(
          'python-missing',
          error.code === 'ENOENT'
            ? `The Python interpreter ${JSON.stringify(options.interpreter)} was not found. Set optimizerLens.python.interpreter or select an environment in the Python extension.`
            : `The Python interpreter ${JSON.stringify(options.interpreter)} cannot be run (${error.code}).`,
        ),
        false,
      );
    } else if (!decided) {
      decide(failedEnd('crashed', `The Python runner could not be started: ${error.message}`), false);
    }
    if (pid === undefined) finish(decided!);
  });
  child.on('exit', (code, signal) => {
    exitDescription = signal ? `signal ${signal}` : `exit code ${code}`;
    // DataLoader workers and other children of the runner die with it.
    signalGroup('SIGKILL');
  });
  /** Resolves once no process of the group is left running (or after ~1 s); `done` waits for it. */
  const groupGone = (): Promise<void> =>
    new Promise((resolve) => {
      const deadline = performance.now() + 1000;
      const check = (): void => {
        if (!groupKill || pid === undefined || performance.now() > deadline || !processGroupRunning(pid))
          return resolve();
        setTimeout(check, 5);
      };
      check();
    });
  child.on('close', () => {
    for (const line of splitter.end()) handleLine(line);
    if (!decided) {
      if (stopRequested) {
        decided = { status: 'stopped', steps: stepsSeen };
      } else {
        const tail = stderrTail.trimEnd().split('\n').slice(-12).join('\n');
        decided = failedEnd(
          'crashed',
          `The Python runner ended (${exitDescription || 'no exit status'}) without reporting an end or an error.${tail ? `\nLast lines of its stderr:\n${tail}` : ''}`,
        );
      }
    }
    const end = decided;
    void groupGone().then(() => finish(end));
  });

  if (pid !== undefined) {
    child.stdin.write(`${JSON.stringify({ protocol: RUNNER_PROTOCOL, ...spec })}\n`);
  }

  return {
    pid,
    stop(): void {
      if (decided || finished || stopRequested) return;
      stopRequested = true;
      if (child.stdin.writable) child.stdin.write(`${JSON.stringify({ type: 'stop' })}\n`);
      after(stopGraceMs, () => decide({ status: 'stopped', steps: stepsSeen }, true));
    },
    cancel(): void {
      if (finished) return;
      if (!decided) decide({ status: 'cancelled' }, true);
      else terminate();
    },
    done,
  };
}
