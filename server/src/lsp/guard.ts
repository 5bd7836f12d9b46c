// Runs a request handler so that a failure is logged and answered with a fallback, never a crashed server.

import type { CancellationToken, Connection } from 'vscode-languageserver';

export function guard<P, R>(
  connection: Connection,
  name: string,
  fallback: R,
  handler: (params: P, token?: CancellationToken) => R | Promise<R>,
): (params: P, token?: CancellationToken) => Promise<R> {
  // The cancellation token is passed through: a client that cancels the request ($/cancelRequest) cancels the job.
  return async (params: P, token?: CancellationToken) => {
    try {
      return await handler(params, token);
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      connection.console.error(`${name} failed: ${detail}`);
      return fallback;
    }
  };
}
