// The loss-landscape panel's host side: opens it beside the editor, owns the last simulation, replays it to the
// webview and saves exports. The webview lives in `webview/src/landscape/`.
//
// Invariant: the host owns the state and only posts to a visible webview; it replays a full snapshot on `ready` and
// whenever the panel becomes visible again.

import * as vscode from 'vscode';
import type { SimulationView } from '../../../server/src/protocol';
import {
  isLandscapeWebviewMessage,
  isLandscapeWebviewState,
  type LandscapeHostMessage,
  type LandscapePanelSnapshot,
  type SimulationSnapshot,
} from '../../../webview/src/protocol';
import { panelHtml, panelWebviewOptions, saveWebviewExport } from './webviewPage';

const viewType = 'optimizerLens.landscape';

// A compile-time check that the server's simulation type is what the webview expects.
const simulationViewFitsSnapshot = (view: SimulationView): SimulationSnapshot => view;
void simulationViewFitsSnapshot;

/**
 * The registry of the (single) landscape panel. Create it once with `LandscapePanel.register`; it registers the
 * serializer that brings the panel back after a restart (from the simulation the webview saved, when it was small
 * enough to save), and it is disposed with the extension.
 */
export class LandscapePanel implements vscode.Disposable {
  private current: OpenLandscapePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(private readonly context: vscode.ExtensionContext) {}

  static register(context: vscode.ExtensionContext): LandscapePanel {
    const registry = new LandscapePanel(context);
    registry.disposables.push(
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
          const snapshot = isLandscapeWebviewState(state) ? state.snapshot : null;
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
  show(view: SimulationView): void {
    const snapshot: LandscapePanelSnapshot = { view };
    if (this.current) {
      this.current.panel.reveal(undefined, true);
      this.current.setSnapshot(snapshot);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      viewType,
      panelTitle(view),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      panelWebviewOptions(this.context),
    );
    this.adopt(panel, snapshot);
  }

  /** Whether the panel is open and visible on a simulation of `uri`, so that edits of that file should re-run it. */
  isShowing(uri: string): boolean {
    return this.current !== undefined && this.current.panel.visible && this.current.uri === uri;
  }

  dispose(): void {
    this.current?.panel.dispose();
    this.current = undefined;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, snapshot: LandscapePanelSnapshot): OpenLandscapePanel {
    this.current?.panel.dispose();
    const opened = new OpenLandscapePanel(this.context, panel, snapshot, () => {
      if (this.current === opened) this.current = undefined;
    });
    this.current = opened;
    return opened;
  }
}

class OpenLandscapePanel {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    context: vscode.ExtensionContext,
    readonly panel: vscode.WebviewPanel,
    private snapshot: LandscapePanelSnapshot,
    onDisposed: () => void,
  ) {
    panel.title = panelTitle(snapshot.view);
    panel.webview.options = panelWebviewOptions(context);
    panel.webview.html = panelHtml(panel.webview, context.extensionUri, { script: 'landscape.js', style: 'landscape.css', title: 'Loss landscape' });
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

  /** The config whose simulation the panel shows. */
  get uri(): string | undefined {
    return this.snapshot.view?.uri;
  }

  setSnapshot(snapshot: LandscapePanelSnapshot): void {
    this.snapshot = snapshot;
    this.panel.title = panelTitle(snapshot.view);
    this.postSnapshot();
  }

  private postSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot });
  }

  /** Never posts to a hidden webview: it would be dropped, and the snapshot replay covers it. */
  private post(message: LandscapeHostMessage): void {
    if (this.panel.visible) void this.panel.webview.postMessage(message);
  }

  private onMessage(message: unknown): void {
    if (!isLandscapeWebviewMessage(message)) return;
    if (message.type === 'ready') this.postSnapshot();
    else void saveWebviewExport(message, this.snapshot.view?.uri ?? '', 'landscape', (reply) => this.post(reply));
  }
}

function panelTitle(view: SimulationView | SimulationSnapshot | null): string {
  return view ? `Landscape: ${view.functionLabel}` : 'Landscape';
}
