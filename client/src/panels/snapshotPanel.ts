// The host side every single-instance result panel shares (range test, landscape): one panel beside the editor,
// restored after a restart from the snapshot its webview saved, replaying that snapshot on `ready` and whenever
// it becomes visible, saving exports, and never posting to a hidden webview.
//
// Invariant: the host owns the state; the webview only draws the last snapshot it was sent.

import * as vscode from 'vscode';
import type { ExportMessage } from '../../../webview/src/protocol';
import { SinglePanelSlot, createPanelBeside, panelHtml, panelWebviewOptions, saveWebviewExport } from './webviewPage';

/** What a panel kind supplies; `Message` is the union its webview sends (with `ready` and `export` in it). */
export interface SnapshotPanelKind<Snapshot, Message extends { type: string }> {
  readonly viewType: string;
  readonly page: { script: string; style: string; title: string };
  /** The word for its exports in the save dialog, e.g. `range test`. */
  readonly exportLabel: string;
  title(snapshot: Snapshot): string;
  /** The config the snapshot shows: exports are offered beside it. */
  documentUri(snapshot: Snapshot): string;
  /** The snapshot saved in a webview's state, or null when there is nothing worth restoring. */
  restore(state: unknown): Snapshot | null;
  isMessage(message: unknown): message is Message;
  /** Messages other than `ready` and `export`. */
  onMessage?(message: Message, open: OpenSnapshotPanel<Snapshot>): void;
}

/** The registry of one panel kind: at most one panel is open at a time. */
export class SnapshotPanel<Snapshot, Message extends { type: string }> implements vscode.Disposable {
  private readonly slot = new SinglePanelSlot<OpenSnapshotPanel<Snapshot>>();
  private readonly disposables: vscode.Disposable[] = [this.slot];

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly kind: SnapshotPanelKind<Snapshot, Message>,
  ) {}

  /** Creates the registry and its serializer; it is disposed with the extension. */
  static register<Snapshot, Message extends { type: string }>(
    context: vscode.ExtensionContext,
    kind: SnapshotPanelKind<Snapshot, Message>,
  ): SnapshotPanel<Snapshot, Message> {
    const registry = new SnapshotPanel(context, kind);
    registry.disposables.push(
      vscode.window.registerWebviewPanelSerializer(kind.viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const snapshot = kind.restore(state);
          if (snapshot === null) panel.dispose();
          else registry.adopt(panel, snapshot);
        },
      }),
    );
    context.subscriptions.push(registry);
    return registry;
  }

  /** The open panel, if any. */
  get current(): OpenSnapshotPanel<Snapshot> | undefined {
    return this.slot.current;
  }

  /**
   * Replaces the snapshot of the open panel without revealing it again (a live update: revealing on every update
   * churns the webview); opens the panel when none is open.
   */
  update(snapshot: Snapshot): void {
    const open = this.slot.current;
    if (open) open.setSnapshot(snapshot);
    else this.show(snapshot);
  }

  /** Shows `snapshot`, opening the panel beside the editor when it is not open. */
  show(snapshot: Snapshot): void {
    const open = this.slot.current;
    if (open) {
      open.panel.reveal(undefined, true);
      open.setSnapshot(snapshot);
      return;
    }
    this.adopt(createPanelBeside(this.context, this.kind.viewType, this.kind.title(snapshot)), snapshot);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, snapshot: Snapshot): void {
    this.slot.replace((onDisposed) => new OpenSnapshotPanel(this.context, panel, snapshot, this.kind, onDisposed));
  }
}

/** One open panel and the snapshot it shows. */
export class OpenSnapshotPanel<Snapshot> {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    private current: Snapshot,
    private readonly kind: SnapshotPanelKind<Snapshot, { type: string }>,
    onDisposed: () => void,
  ) {
    panel.title = kind.title(current);
    panel.webview.options = panelWebviewOptions(context);
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, kind.page);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => this.onMessage(message)),
      panel.onDidChangeViewState(() => {
        if (panel.visible) this.postSnapshot();
      }),
      panel.onDidDispose(() => {
        for (const disposable of this.disposables.splice(0)) disposable.dispose();
        onDisposed();
      }),
    );
  }

  get snapshot(): Snapshot {
    return this.current;
  }

  /** Shows a new snapshot (and retitles the panel). */
  setSnapshot(snapshot: Snapshot): void {
    this.keepSnapshot(snapshot);
    this.postSnapshot();
  }

  /** Records a snapshot the webview already reflects (e.g. after a message that updated it), without posting it. */
  keepSnapshot(snapshot: Snapshot): void {
    this.current = snapshot;
    this.panel.title = this.kind.title(snapshot);
  }

  /** Never posts to a hidden webview: it would be dropped, and the snapshot replay covers it. */
  post(message: object): void {
    if (this.panel.visible) void this.panel.webview.postMessage(message);
  }

  private postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.current });
  }

  private onMessage(message: unknown): void {
    if (!this.kind.isMessage(message)) return;
    if (message.type === 'ready') this.postSnapshot();
    else if (message.type === 'export')
      void saveWebviewExport(
        message as ExportMessage,
        this.kind.documentUri(this.current),
        this.kind.exportLabel,
        (reply) => this.post(reply),
      );
    else this.kind.onMessage?.(message, this);
  }
}
