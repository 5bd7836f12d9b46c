// Publishes diagnostics as the user types (debounced) and at once on open and save.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisChangedNotification } from '../../protocol';
import type { ServerContext } from '../context';
import { toDiagnostic } from '../convert';

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The version last published per document: opening a document fires both "open" and "change" for one version. */
  private readonly published = new Map<string, number>();

  constructor(private readonly context: ServerContext) {}

  schedule(document: TextDocument): void {
    this.cancel(document.uri);
    if (this.published.get(document.uri) === document.version) return;
    const delay = this.context.settings().diagnosticsDelay;
    if (delay === 0) {
      this.publish(document);
      return;
    }
    this.timers.set(document.uri, setTimeout(() => {
      this.timers.delete(document.uri);
      this.publish(document);
    }, delay));
  }

  publish(document: TextDocument): void {
    this.cancel(document.uri);
    const { connection, cache, extensionRoot } = this.context;
    try {
      const current = this.context.documents.get(document.uri) ?? document;
      const analysis = cache.get(current);
      const diagnostics = analysis ? analysis.problems.map((problem) => toDiagnostic(current, problem, extensionRoot)) : [];
      void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
      this.published.set(current.uri, current.version);
      if (analysis) void connection.sendNotification(AnalysisChangedNotification.type, { uri: current.uri, version: current.version });
    } catch (error) {
      connection.console.error(`diagnostics failed for ${document.uri}: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  clear(uri: string): void {
    this.cancel(uri);
    this.published.delete(uri);
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}
