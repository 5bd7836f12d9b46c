// Runs a request handler so that a failure is logged and answered with a fallback, never a crashed server.

import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { ServerContext } from './context';

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

/**
 * `guard` for a request about one open document (`params.textDocument`): the handler gets its analysis and the
 * document of that version; a document with no analysis is answered with `fallback` too.
 */
export function guardDocument<P extends { readonly textDocument: { readonly uri: string } }, R>(
  context: Pick<ServerContext, 'connection' | 'analysisOf' | 'firstAnalysisOf'>,
  name: string,
  fallback: R,
  handler: (found: NonNullable<ReturnType<ServerContext['analysisOf']>>, params: P) => R,
): (params: P, token?: CancellationToken) => Promise<R> {
  return guard(context.connection, name, fallback, async (params: P) => {
    const found = await analysisForRequest(context, params.textDocument.uri);
    return found ? handler(found, params) : fallback;
  });
}

/**
 * What a request about the document `uri` reads (`analysisOf`), once a large document just opened has its first
 * analysis: every request about one document (the custom ones keyed by `uri` too) waits for it, without holding the
 * thread, as superseded ones hand over to newer versions a few times at most, instead of analysing it all at once here.
 */
export async function analysisForRequest(
  context: Pick<ServerContext, 'analysisOf' | 'firstAnalysisOf'>,
  uri: string,
): Promise<ReturnType<ServerContext['analysisOf']>> {
  for (let turn = 0; turn < 3; turn++) {
    const first = context.firstAnalysisOf?.(uri);
    if (!first) break;
    await first;
  }
  return context.analysisOf(uri);
}
