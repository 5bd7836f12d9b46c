// The CLI's I/O in memory, for running `optlens` subcommands in-process: files to read (anything else is ENOENT, or
// is read from `fallback` when given), and everything written to stdout, stderr and files captured.

import type { CliIo } from '../../server/src/cli/commands';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
  readonly written: Record<string, string | Uint8Array>;
}

export function fakeIo(files: Record<string, string> = {}, fallback?: (file: string) => string): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    written: {},
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    readFile(file: string) {
      const text = files[file];
      if (text !== undefined) return text;
      if (fallback) return fallback(file);
      throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    },
    writeFile(file: string, data: string | Uint8Array) {
      io.written[file] = data;
    },
  };
  return io;
}
