#!/usr/bin/env node
// The `optlens` command line: lint configs and compute schedules in CI, with the same core as the editor.

import { readFileSync, writeFileSync } from 'node:fs';
import { run } from './commands';

const io = {
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  readFile: (file: string) => readFileSync(file, 'utf8'),
  writeFile: (file: string, data: string | Uint8Array) => writeFileSync(file, data),
  interactive: process.stderr.isTTY === true,
};

run(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `optlens: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
