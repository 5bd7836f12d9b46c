// The LR range-test results panel's host side: opens it beside the editor, owns the last result, replays it to the
// webview, carries out Apply through the caller's edit function and saves exports. The webview lives in
// `webview/src/rangeTest/`.
//
// Invariant: the host owns the state (the last result and the last Apply outcome) and only posts to a visible
// webview; it replays a full snapshot on `ready` and whenever the panel becomes visible again.

import * as vscode from 'vscode';
import type { RangeTestView } from '../../../server/src/protocol';
import {
  isRangeTestWebviewMessage,
  isRangeTestWebviewState,
  type AppliedLearningRate,
  type ApplyTarget,
  type RangeTestHostMessage,
  type RangeTestPanelSnapshot,
  type RangeTestSnapshot,
} from '../../../webview/src/protocol';
import { panelHtml, panelWebviewOptions, saveWebviewExport } from './webviewPage';

/** Writes `lr` into the document's optimizer `lr` (or scheduler `max_lr`) as an undoable edit; true when it did. */
export type ApplyLearningRate = (uri: string, lr: number, target: ApplyTarget) => Promise<boolean>;

const viewType = 'optimizerLens.rangeTest';

// A compile-time check that the server's result type is what the webview expects.
const rangeTestViewFitsSnapshot = (view: RangeTestView): RangeTestSnapshot => view;
void rangeTestViewFitsSnapshot;

/**
 * The registry of the (single) range-test panel. Create it once with `RangeTestPanel.register`; it registers the
 * serializer that brings the panel back after a restart (from the result the webview saved), and it is disposed
 * with the extension.
 */
export class RangeTestPanel implements vscode.Disposable {
  private current: OpenRangeTestPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly apply: ApplyLearningRate,
  ) {}

  static register(context: vscode.ExtensionContext, apply: ApplyLearningRate): RangeTestPanel {
    const registry = new RangeTestPanel(context, apply);
    registry.disposables.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const snapshot = isRangeTestWebviewState(state) ? state.snapshot : null;
          if (snapshot === null || snapshot.view === null) {
            panel.dispose();
            return;
          }
          registry.adopt(panel, snapshot);
        },
      }),
    );
    context.subscriptions.push(registry);
    return registry;
  }

  /** Shows `view` in the panel, opening it beside the editor when it is not open. */
  show(view: RangeTestView): void {
    const snapshot: RangeTestPanelSnapshot = { view, applied: null };
    if (this.current) {
      this.current.panel.reveal(undefined, true);
      this.current.setSnapshot(snapshot);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      viewType,
      panelTitle(view.uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelWebviewOptions(this.context),
    );
    this.adopt(panel, snapshot);
  }

  dispose(): void {
    this.current?.panel.dispose();
    this.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, snapshot: RangeTestPanelSnapshot): OpenRangeTestPanel {
    this.current?.panel.dispose();
    const opened = new OpenRangeTestPanel(this.context, panel, snapshot, this.apply, () => {
      if (this.current === opened) this.current = undefined;
    });
    this.current = opened;
    return opened;
  }
}

class OpenRangeTestPanel {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    private snapshot: RangeTestPanelSnapshot,
    private readonly apply: ApplyLearningRate,
    onDisposed: () => void,
  ) {
    panel.title = panelTitle(snapshot.view?.uri ?? '');
    panel.webview.options = panelWebviewOptions(context);
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, { script: 'rangeTest.js', style: 'rangeTest.css', title: 'LR range test' });
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

  setSnapshot(snapshot: RangeTestPanelSnapshot): void {
    this.snapshot = snapshot;
    this.panel.title = panelTitle(snapshot.view?.uri ?? '');
    this.postSnapshot();
  }

  private postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot });
  }

  /** Never posts to a hidden webview: it would be dropped, and the snapshot replay covers it. */
  private post(message: RangeTestHostMessage): void {
    if (this.panel.visible) void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isRangeTestWebviewMessage(message)) return;
    switch (message.type) {
      case 'ready':
        this.postSnapshot();
        break;
      case 'apply':
        void this.applyLearningRate(message.lr, message.target);
        break;
      case 'export':
        void saveWebviewExport(message, this.snapshot.view?.uri ?? '', 'range test', (reply) => this.post(reply));
        break;
    }
  }

  private async applyLearningRate(lr: number, target: ApplyTarget): Promise<void> {
    const view = this.snapshot.view;
    if (!view) return;
    let applied: AppliedLearningRate;
    try {
      const ok = await this.apply(view.uri, lr, target);
      applied = ok
        ? { lr, target, ok, message: `Set ${target}: ${lr} in ${fileNameOf(view.uri)} (undo with Ctrl+Z).` }
        : { lr, target, ok, message: `the config has no optimizer ${target === 'lr' ? '`lr`' : 'scheduler `max_lr`'} to write to.` };
    } catch (error) {
      applied = { lr, target, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    this.snapshot = { view: applied.ok ? { ...view, currentLr: lr } : view, applied };
    this.post({ type: 'applied', applied });
  }
}


function fileNameOf(uri: string): string {
  try {
    return decodeURIComponent(uri.split('/').pop() ?? uri);
  } catch {
    return uri;
  }
}

function panelTitle(uri: string): string {
  return uri ? `Range test: ${fileNameOf(uri)}` : 'Range test';
}


