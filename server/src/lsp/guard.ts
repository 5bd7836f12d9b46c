// Runs a request handler so that a failure is logged and answered with a fallback, never a crashed server.

import type { Connection } from 'vscode-languageserver';

export function guard<P, R>(connection: Connection, name: string, fallback: R, handler: (params: P) => R | Promise<R>): (params: P) => Promise<R> {
  return async (params: P) => {
    try {
      return await handler(params);
    } catch (error) {
      const detail = error instanceof Error ? error.stack ?? error.message : String(error);
      connection.console.error(`${name} failed: ${detail}`);
      return fallback;
    }
  };
}
