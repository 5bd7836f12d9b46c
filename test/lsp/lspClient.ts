// A minimal LSP client for protocol tests: starts the *bundled* server over stdio and waits on events, never on timers.

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { ensureFreshBundles } from '../freshBundles';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ExitNotification,
  type Diagnostic,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.js');

/** The bundles the protocol tests start: the server, its compute and parse workers and the Python runner it ships. */
export const PROTOCOL_BUNDLES = [
  'dist/server.js',
  'dist/worker.js',
  'dist/analysisWorker.js',
  'dist/python/optlens_range_test.py',
];

/** Builds the bundles when one is missing or older than a source file, so the tests always exercise what ships, as it is now. */
export function ensureBuilt(): void {
  ensureFreshBundles(PROTOCOL_BUNDLES, ROOT);
}

export interface TestServer {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  open(uri: string, text: string, languageId?: string): Promise<Diagnostic[]>;
  change(uri: string, version: number, text: string): Promise<Diagnostic[]>;
  /** Resolves with the next diagnostics published for `uri` (for `version`, when given). */
  nextDiagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

/**
 * One server for the tests of the `describe` this is called in: started before the first, stopped after the last.
 * The returned function gives the running server.
 */
export function suiteServer(...options: Parameters<typeof startTestServer>): () => TestServer {
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer(...options);
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the suite server is not running (call suiteServer inside describe)');
    return server;
  };
}

export async function startTestServer(
  settings: Record<string, unknown> = { diagnosticsDelay: 0 },
  extraCapabilities: Record<string, unknown> = {},
  extraInitializationOptions: Record<string, unknown> = {},
  /** More initialize params, e.g. `workspaceFolders`. */
  extraInitializeParams: Record<string, unknown> = {},
  /** The server to start: the bundle, or a copy of it elsewhere (a benchmark starts one without its workers beside it). */
  bundle: string = SERVER_BUNDLE,
): Promise<TestServer> {
  ensureBuilt();
  const child = spawn(process.execPath, [bundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const waiters: {
    uri: string;
    version?: number;
    resolve: (diagnostics: Diagnostic[]) => void;
    reject: (error: Error) => void;
  }[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A crashed server fails the waiting test with its stderr instead of leaving it pending.
  child.once('exit', (code) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`server exited with ${code}: ${stderr}`));
  });
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    for (let i = 0; i < waiters.length; i++) {
      const waiter = waiters[i]!;
      if (waiter.uri === params.uri && (waiter.version === undefined || waiter.version === params.version)) {
        waiters.splice(i, 1);
        waiter.resolve(params.diagnostics);
        return;
      }
    }
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: { textDocument: { hover: { contentFormat: ['markdown'] } }, ...extraCapabilities },
    initializationOptions: { settings, ...extraInitializationOptions },
    ...extraInitializeParams,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const nextDiagnostics = (uri: string, version?: number): Promise<Diagnostic[]> =>
    new Promise((resolve, reject) =>
      waiters.push({ uri, ...(version !== undefined ? { version } : {}), resolve, reject }),
    );
  return {
    connection,
    process: child,
    nextDiagnostics,
    async open(uri, text, languageId = 'optim') {
      const published = nextDiagnostics(uri, 1);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId, version: 1, text },
      });
      return published;
    },
    async change(uri, version, text) {
      const published = nextDiagnostics(uri, version);
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
      return published;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        child.kill();
      }
      await exited;
      connection.dispose();
    },
  };
}
