// Wires the language server: documents, the analysis cache, settings, and every handler in one place.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { workspaceFolderOf } from '../compute/workspacePaths';
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysisCache';
import type { ServerContext } from './context';
import { ComputeHost } from '../compute/computeHost';
import { registerCodeActions } from './handlers/codeActions';
import { registerCompute, registerSimulation } from './handlers/compute';
import { registerCompletion } from './handlers/completion';
import { registerConvert } from './handlers/convert';
import { DiagnosticsPublisher } from './handlers/diagnostics';
import { registerHover } from './handlers/hover';
import { registerSchedule } from './handlers/schedule';
import { registerStructure } from './handlers/structure';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';
import { WorkspaceTrustNotification, type TrustInitializationOptions } from '../protocol';

export interface ServerOptions {
  /** Defaults to the parent of the folder holding the bundled server (dist/..). */
  readonly extensionRoot?: string;
  /** The compute worker script; dist/worker.js next to the bundled server by default. */
  readonly workerScript?: string;
  /** Where the worker finds dist/wasm/; the bundled server's folder by default. */
  readonly bundleDirectory?: string;
}

/** File paths of LSP workspace folders (non-file URIs are skipped: nothing can be imported from them). */
function folderPaths(folders: readonly { uri: string }[]): string[] {
  return folders.filter((folder) => folder.uri.startsWith('file:')).map((folder) => fileURLToPath(folder.uri));
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let canPullConfiguration = false;
  let workspaceTrusted = true;
  /** The workspace folders as file paths (jobs resolve paths and Python imports from the one holding a document). */
  let workspaceFolders: readonly string[] = [];
  let canWatchFolders = false;
  const cache = new AnalysisCache(() => settings);
  const context: ServerContext = {
    connection,
    documents,
    cache,
    settings: () => settings,
    workspaceTrusted: () => workspaceTrusted,
    extensionRoot: options.extensionRoot ?? path.resolve(__dirname, '..'),
    analysisOf(uri) {
      const document = documents.get(uri);
      if (!document) return null;
      return cache.forRequest(document);
    },
    async currentAnalysisOf(uri) {
      const document = documents.get(uri);
      if (!document) return null;
      const version = document.version;
      const isCurrent = (): boolean => documents.get(uri)?.version === version;
      const found = cache.forRequest(document);
      if (found?.document.version === version) return found;
      // Joins the analysis of this version that is running (or starts it), in slices.
      const analysis = await cache.analyzeInSlices(document, isCurrent);
      return analysis && isCurrent() ? { document, analysis } : null;
    },
    firstAnalysisOf(uri) {
      const document = documents.get(uri);
      return document ? cache.firstAnalysis(document) : undefined;
    },
  };
  const diagnostics = new DiagnosticsPublisher(context);

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const initializationOptions = params.initializationOptions as
      ({ settings?: unknown } & TrustInitializationOptions) | undefined;
    const initial = initializationOptions?.settings;
    if (initial !== undefined) settings = readSettings(initial);
    // Absent (another LSP client, no Workspace Trust) means trusted; only an explicit false restricts.
    workspaceTrusted = initializationOptions?.workspaceTrusted !== false;
    workspaceFolders = folderPaths(
      params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []),
    );
    canWatchFolders = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' ', '"', '-', '{', ','], resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'optimizer-lens', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(folderPaths(event.removed));
        workspaceFolders = [...workspaceFolders.filter((folder) => !removed.has(folder)), ...folderPaths(event.added)];
      });
    }
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'optimizerLens' });
      void refreshSettings();
    }
  });

  async function refreshSettings(): Promise<void> {
    try {
      const raw: unknown = canPullConfiguration
        ? await connection.workspace.getConfiguration('optimizerLens')
        : undefined;
      settings = readSettings(raw);
    } catch (error) {
      connection.console.warn(`Could not read settings: ${error instanceof Error ? error.message : String(error)}`);
    }
    cache.clear();
    for (const document of documents.all()) diagnostics.publish(document);
  }

  connection.onNotification(WorkspaceTrustNotification.type, (params) => {
    workspaceTrusted = params.trusted;
  });

  connection.onDidChangeConfiguration((change) => {
    if (canPullConfiguration) void refreshSettings();
    else {
      settings = readSettings((change.settings as { optimizerLens?: unknown } | undefined)?.optimizerLens);
      cache.clear();
      for (const document of documents.all()) diagnostics.publish(document);
    }
  });

  documents.onDidOpen((event) => diagnostics.publish(event.document));
  documents.onDidChangeContent((event) => diagnostics.schedule(event.document));
  documents.onDidSave((event) => diagnostics.publish(event.document));
  documents.onDidClose((event) => {
    cache.forget(event.document.uri);
    diagnostics.clear(event.document.uri);
  });

  registerHover(context);
  registerCompletion(context);
  registerCodeActions(context);
  registerStructure(context);
  registerSchedule(context);
  registerConvert(context);
  // The worker starts on the first job, so a user who never runs one pays nothing for it.
  const host = new ComputeHost(options.workerScript ?? path.join(__dirname, 'worker.js'));
  const computeOptions = {
    host,
    bundleDirectory: options.bundleDirectory ?? __dirname,
    preferredBackend: () => settings.computeBackend,
    workspaceRootOf: (documentPath: string) => workspaceFolderOf(documentPath, workspaceFolders),
  };
  registerCompute(context, computeOptions);
  registerSimulation(context, computeOptions);
  connection.onShutdown(() => host.dispose());

  documents.listen(connection);
  connection.listen();
}
