// Reading one config file for any `optlens` subcommand: the same dialect detection as the editor, one set of exit codes.

import { analyze, isTurnedOffForFile, type Analysis } from '../core/analysis';
import type { ConfigModel } from '../core/model';
import { NATIVE_FILE_NAME } from '../core/dialects/index';
import type { SourceFormat } from '../core/syntax/tree';

/**
 * The exit codes of every subcommand. 0: done, nothing wrong. 1: the config has errors, or the job could not run on it
 * (no scheduler, not an optimizer config, turned off for the file). 2: the command line is wrong or a file is unreadable.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The minimal I/O a reader needs (a subset of the CLI's I/O, so tests run in-process). */
export interface ReadIo {
  stderr(text: string): void;
  /** Throws (with a Node error code) when the file cannot be read. */
  readFile(file: string): string;
}

export function formatOfPath(file: string): SourceFormat {
  return /\.jsonc?$/i.test(file) ? 'json' : 'yaml';
}

/** The file read and analysed as the editor would: native by name, anything else detected by content. */
export function analyzeFile(file: string, text: string): Analysis {
  return analyze(text, {
    format: formatOfPath(file),
    dialect: NATIVE_FILE_NAME.test(file) ? 'optim' : 'auto',
    fileName: file,
  });
}

export type ReadResult =
  | { readonly kind: 'config'; readonly text: string; readonly analysis: Analysis; readonly model: ConfigModel }
  /** Readable, but there is nothing to work on: `exitCode` says how the command ends and `message` was printed. */
  | {
      readonly kind: 'skipped';
      readonly text: string;
      readonly reason: 'turned-off' | 'not-a-config';
      readonly exitCode: number;
      readonly message: string;
    }
  | { readonly kind: 'unreadable'; readonly exitCode: number; readonly message: string };

export interface ReadOptions {
  /**
   * What a skipped file means for this command: `lint` has nothing to report (exit 0, and it stays silent about files
   * that are not configs, as in the editor); a command asked to compute something from the file cannot (exit 1).
   */
  readonly skippedIsFailure: boolean;
}

/** A one-line reason for an I/O error. */
export function whyUnreadable(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT'
    ? 'no such file'
    : code === 'EISDIR'
      ? 'is a directory'
      : code === 'EACCES'
        ? 'permission denied'
        : (error as Error).message;
}

/** Reads and analyses `file`, printing a one-line message on stderr for every outcome other than a config. */
export function readConfig(io: ReadIo, file: string, options: ReadOptions): ReadResult {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (error) {
    const message = `optlens: cannot read ${file}: ${whyUnreadable(error)}`;
    io.stderr(`${message}\n`);
    return { kind: 'unreadable', exitCode: EXIT.usage, message };
  }
  const exitCode = options.skippedIsFailure ? EXIT.failed : EXIT.ok;
  if (isTurnedOffForFile(text)) {
    const message = `optlens: ${file}: skipped: \`# optlens-disable-file\` turns Optimizer Lens off for this file${options.skippedIsFailure ? '; nothing computed' : ''}`;
    io.stderr(`${message}\n`);
    return { kind: 'skipped', text, reason: 'turned-off', exitCode, message };
  }
  const analysis = analyzeFile(file, text);
  if (!analysis.model) {
    const message = `optlens: ${file} is not recognised as an optimizer config (a native *.optim.yaml|json file, or a DeepSpeed, Lightning CLI, Hugging Face, Hydra or torchtune config)`;
    // lint stays silent on such files, as the editor does; the other commands say why they did nothing.
    if (options.skippedIsFailure) io.stderr(`${message}\n`);
    return { kind: 'skipped', text, reason: 'not-a-config', exitCode, message };
  }
  return { kind: 'config', text, analysis, model: analysis.model };
}
