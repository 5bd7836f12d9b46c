// The loss-landscape panel's host side: one panel beside the editor showing the last simulation (the shared
// single-panel host in snapshotPanel.ts does the rest). The webview lives in `webview/src/landscape/`.

import type * as vscode from 'vscode';
import type { SimulationView } from '../../../server/src/protocol';
import {
  isLandscapeWebviewMessage,
  isLandscapeWebviewState,
  type LandscapePanelSnapshot,
  type LandscapeWebviewMessage,
} from '../../../webview/src/protocol';
import { SnapshotPanel } from './snapshotPanel';

/**
 * The (single) landscape panel. Create it once with `LandscapePanel.register`; it comes back after a restart
 * from the simulation the webview saved, when it was small enough to save, and it is disposed with the extension.
 */
export class LandscapePanel {
  private constructor(private readonly host: SnapshotPanel<LandscapePanelSnapshot, LandscapeWebviewMessage>) {}

  static register(context: vscode.ExtensionContext): LandscapePanel {
    return new LandscapePanel(
      SnapshotPanel.register(context, {
        viewType: 'optimizerLens.landscape',
        page: { script: 'landscape.js', style: 'landscape.css', title: 'Loss landscape' },
        exportLabel: 'landscape',
        title: (snapshot) => panelTitle(snapshot.view),
        documentUri: (snapshot) => snapshot.view?.uri ?? '',
        restore: (state) => {
          const snapshot = isLandscapeWebviewState(state) ? state.snapshot : null;
          return snapshot?.view ? snapshot : null;
        },
        isMessage: isLandscapeWebviewMessage,
      }),
    );
  }

  /** Shows `view` in the panel, opening it beside the editor when it is not open. */
  show(view: SimulationView): void {
    this.host.show({ view });
  }

  /** Whether the panel is open and visible on a simulation of `uri`, so that edits of that file should re-run it. */
  isShowing(uri: string): boolean {
    const open = this.host.current;
    return open !== undefined && open.panel.visible && open.snapshot.view?.uri === uri;
  }
}

function panelTitle(view: SimulationView | null): string {
  return view ? `Landscape: ${view.functionLabel}` : 'Landscape';
}
