// The schedule webview panel's host side: opens it beside the editor, owns its state, replays it to the webview
// and saves exports. The webview itself lives in `webview/src/schedule/`.
//
// Invariant: the host owns the state (document, last good schedule, pinned schedule, error) and only posts to a
// visible webview; it replays a full snapshot on `ready` and whenever the panel becomes visible again, because a
// hidden webview (no `retainContextWhenHidden`) is destroyed and receives nothing.

import * as vscode from 'vscode';
import type { ScheduleData } from '../../../server/src/protocol';
import { fileNameOf } from '../../../server/src/core/util/fileName';
import {
  isScheduleWebviewState,
  isWebviewToHostMessage,
  type ExportMessage,
  type HostToWebviewMessage,
  type SchedulePanelSnapshot,
} from '../../../webview/src/protocol';
import { SinglePanelSlot, createPanelBeside, panelHtml, panelWebviewOptions, saveWebviewExport } from './webviewPage';

/**
 * Computes the schedule of a document; `null` when it has none (or the request failed, already logged). `metrics`
 * feeds a metric-driven scheduler (ReduceLROnPlateau).
 */
export type ScheduleSource = (uri: string, metrics?: readonly number[]) => Promise<ScheduleData | null>;

const viewType = 'optimizerLens.schedule';

/** Edits arrive in bursts; one fetch per burst, still well inside the 100 ms the plot may lag behind typing. */
const refreshDebounceMs = 50;

/**
 * The registry of the (single) schedule panel. Create it once with `SchedulePanel.register`; it registers the
 * serializer that brings the panel back after a restart, and it is disposed with the extension.
 */
export class SchedulePanel implements vscode.Disposable {
  private readonly slot = new SinglePanelSlot<OpenSchedulePanel>();
  private readonly disposables: vscode.Disposable[] = [this.slot];

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly getSchedule: ScheduleSource,
  ) {}

  static register(context: vscode.ExtensionContext, getSchedule: ScheduleSource): SchedulePanel {
    const registry = new SchedulePanel(context, getSchedule);
    registry.disposables.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const uri = isScheduleWebviewState(state) ? state.uri : null;
          if (uri === null) {
            panel.dispose();
            return;
          }
          await registry.adopt(panel, uri).refreshNow();
        },
      }),
    );
    return registry;
  }

  /** Opens the panel beside the editor for `uri`, or reveals it and switches it to `uri`. */
  async show(uri: string): Promise<void> {
    const current = this.slot.current;
    if (current) {
      current.panel.reveal(undefined, true);
      current.switchTo(uri);
      await current.refreshNow();
      return;
    }
    await this.adopt(createPanelBeside(this.context, viewType, panelTitle(uri)), uri).refreshNow();
  }

  /** The active editor moved to another config: an open panel follows it. */
  follow(uri: string): void {
    const current = this.slot.current;
    if (!current || current.uri === uri) return;
    current.switchTo(uri);
    current.scheduleRefresh();
  }

  /** The analysis of `uri` changed: an open panel showing it re-renders (debounced). */
  refresh(uri: string): void {
    const current = this.slot.current;
    if (current?.uri === uri) current.scheduleRefresh();
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, uri: string): OpenSchedulePanel {
    return this.slot.replace(
      (onDisposed) => new OpenSchedulePanel(this.context, panel, uri, this.getSchedule, onDisposed),
    );
  }
}

/** One live panel: its state, its webview wiring and its pending refresh. */
class OpenSchedulePanel {
  private schedule: ScheduleData | null = null;
  private pinned: ScheduleData | null = null;
  private error: string | null = null;
  /** The metric series the user gave per document, for metric-driven schedules; kept while the panel lives. */
  private readonly metrics = new Map<string, readonly number[]>();
  /** Set when a refresh was wanted while the panel was hidden; it runs when the panel shows again. */
  private refreshWhenVisible = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Incremented per fetch so that a slow, stale answer never overwrites a newer one. */
  private fetchGeneration = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    public uri: string,
    private readonly getSchedule: ScheduleSource,
    onDisposed: () => void,
  ) {
    panel.title = panelTitle(uri);
    panel.webview.options = panelWebviewOptions(context);
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, {
      script: 'schedule.js',
      style: 'schedule.css',
      title: 'Schedule',
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) return;
        if (this.refreshWhenVisible) this.scheduleRefresh();
        this.postSnapshot();
      }),
      panel.onDidDispose(() => {
        if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
        for (const disposable of this.disposables.splice(0)) disposable.dispose();
        onDisposed();
      }),
    );
  }

  switchTo(uri: string): void {
    if (uri === this.uri) return;
    this.uri = uri;
    this.panel.title = panelTitle(uri);
  }

  scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refreshNow();
    }, refreshDebounceMs);
  }

  async refreshNow(): Promise<void> {
    if (!this.panel.visible) {
      this.refreshWhenVisible = true;
      return;
    }
    this.refreshWhenVisible = false;
    const generation = ++this.fetchGeneration;
    const uri = this.uri;
    let data: ScheduleData | null;
    try {
      data = await this.getSchedule(uri, this.metrics.get(uri));
    } catch (error) {
      data = null;
      this.error = `Could not compute the schedule: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (generation !== this.fetchGeneration || uri !== this.uri) return;
    // A metric-driven schedule without metrics is not an error: the panel asks for them.
    if (data !== null && (data.lr.length > 0 || data.needsMetrics === true)) {
      this.schedule = data;
      this.error = null;
      this.post({ type: 'setSchedule', schedule: data });
      return;
    }
    // Keep the last good plot of the same document greyed behind the message; a plot of another document
    // would mislead.
    if (this.schedule !== null && this.schedule.uri !== uri) this.schedule = null;
    this.error =
      data !== null && data.errors.length > 0
        ? data.errors.join('\n')
        : 'No schedule to draw: this file has no scheduler the panel can evaluate yet. Fix the problems listed in the Problems view, or add a `scheduler:` section.';
    if (this.schedule === null) this.postSnapshot();
    else this.post({ type: 'setError', message: this.error });
  }

  private snapshot(): SchedulePanelSnapshot {
    return { schedule: this.schedule, pinned: this.pinned, error: this.error };
  }

  private postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
  }

  /** Never posts to a hidden webview: it would be dropped, and the snapshot replay covers it. */
  private post(message: HostToWebviewMessage): void {
    if (this.panel.visible) void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isWebviewToHostMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.postSnapshot();
        break;
      case 'pin':
        this.pinned = this.schedule;
        this.post({ type: 'pinned', pinned: this.pinned });
        break;
      case 'unpin':
        this.pinned = null;
        this.post({ type: 'pinned', pinned: null });
        break;
      case 'setMetrics':
        if (message.metrics.length > 0) this.metrics.set(this.uri, message.metrics);
        else this.metrics.delete(this.uri);
        void this.refreshNow();
        break;
      case 'export':
        void this.saveExport(message);
        break;
    }
  }

  private saveExport(message: ExportMessage): Promise<void> {
    return saveWebviewExport(message, this.uri, 'schedule', (reply) => this.post(reply));
  }
}

function panelTitle(uri: string): string {
  return `Schedule: ${fileNameOf(uri)}`;
}
