// Publishes diagnostics as the user types (debounced) and at once on open and save; the newest version wins.

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../../core/analysis';
import type { Problem } from '../../core/model';
import { AnalysisChangedNotification } from '../../protocol';
import type { ServerContext } from '../context';
import { toDiagnostic } from '../convert';

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The version last published per document: opening a document fires both "open" and "change" for one version. */
  private readonly published = new Map<string, number>();
  /** The analysis each document's diagnostics wait for: a second publish of the same running version joins it. */
  private readonly inFlight = new Map<string, Promise<Analysis | null | undefined>>();

  constructor(private readonly context: ServerContext) {}

  schedule(document: TextDocument): void {
    this.cancel(document.uri);
    if (this.published.get(document.uri) === document.version) return;
    const delay = this.context.settings().diagnosticsDelay;
    if (delay === 0) {
      this.publish(document);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        this.publish(document);
      }, delay),
    );
  }

  /**
   * Analyses the document's current version in slices (requests are served in between) and publishes its problems.
   * A newer version abandons the analysis of this one, so a burst of edits publishes only the last version.
   */
  publish(document: TextDocument): void {
    this.cancel(document.uri);
    const { cache, documents } = this.context;
    const current = documents.get(document.uri) ?? document;
    const { uri, version } = current;
    // Captured now: the open document is updated in place by later edits.
    const isCurrent = (): boolean => (documents.get(uri) ?? document).version === version;
    let analysed: Promise<Analysis | null | undefined>;
    // A large document's problems come from the analysis worker before the server has rebuilt its tree: publish them
    // then; the finished analysis only tells the client that hover, lenses and panels can read the new version.
    let sentEarly = false;
    const early = (problems: readonly Problem[] | null): void => {
      if (!isCurrent()) return;
      this.sendDiagnostics(current, version, problems);
      sentEarly = true;
    };
    try {
      analysed = cache.analyzeInSlices(current, isCurrent, early);
    } catch (error) {
      this.failed(uri, error);
      return;
    }
    if (this.inFlight.get(uri) === analysed) return;
    this.inFlight.set(uri, analysed);
    const settled = (): void => {
      if (this.inFlight.get(uri) === analysed) this.inFlight.delete(uri);
    };
    analysed.then(
      (analysis) => {
        settled();
        // Abandoned for a newer version (which publishes itself), or closed meanwhile.
        if (analysis === undefined || !isCurrent()) return;
        this.send(current, version, analysis, sentEarly);
      },
      (error: unknown) => {
        settled();
        this.failed(uri, error);
      },
    );
  }

  /** `sentEarly`: this analysis's problems were published already (from the analysis worker). */
  private send(document: TextDocument, version: number, analysis: Analysis | null, sentEarly: boolean): void {
    if (!sentEarly) this.sendDiagnostics(document, version, analysis?.problems ?? null);
    if (analysis)
      void this.context.connection.sendNotification(AnalysisChangedNotification.type, { uri: document.uri, version });
  }

  private sendDiagnostics(document: TextDocument, version: number, problems: readonly Problem[] | null): void {
    const { connection, extensionRoot } = this.context;
    try {
      const diagnostics = problems ? problems.map((problem) => toDiagnostic(document, problem, extensionRoot)) : [];
      void connection.sendDiagnostics({ uri: document.uri, version, diagnostics });
      this.published.set(document.uri, version);
    } catch (error) {
      this.failed(document.uri, error);
    }
  }

  private failed(uri: string, error: unknown): void {
    this.context.connection.console.error(
      `diagnostics failed for ${uri}: ${error instanceof Error ? error.stack : String(error)}`,
    );
  }

  clear(uri: string): void {
    this.cancel(uri);
    this.inFlight.delete(uri);
    this.published.delete(uri);
    void this.context.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }
}
