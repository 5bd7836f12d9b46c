// Entry point of the loss-landscape webview: wires the view to the host messages and to `vscode.setState`.

import '../schedule/schedule.css';
import './landscape.css';
import {
  isLandscapeHostMessage,
  isLandscapeWebviewState,
  type LandscapeHostMessage,
  type LandscapePanelSnapshot,
  type LandscapeWebviewMessage,
  type LandscapeWebviewState,
} from '../protocol';
import { LandscapePanelView, type LandscapeDebugHandle } from './landscapePanelView';

interface VsCodeWebviewApi {
  postMessage(message: LandscapeWebviewMessage): void;
  getState(): unknown;
  setState(state: LandscapeWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

declare global {
  interface Window {
    /** Set once at start-up for tests and the webview developer tools; never read by the panel itself. */
    optimizerLensLandscape?: LandscapeDebugHandle;
  }
}

/** Simulations with more recorded numbers than this are left out of the saved state; the host replays them. */
const largestViewKeptInState = 400_000;

/** Saving state serializes the whole simulation, so scrubbing and playback are saved once they pause. */
const stateSaveDelayMs = 250;

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveState = (): void =>
    vscode.setState({ stateVersion: 1, snapshot: compactForState(view.snapshot()), step: view.currentStep() });
  const scheduleSave = (): void => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saveState();
    }, stateSaveDelayMs);
  };
  const view = new LandscapePanelView(root, {
    exportFile: (format, suggestedName, encoding, content) =>
      vscode.postMessage({ type: 'export', format, suggestedName, encoding, content }),
    stateChanged: scheduleSave,
  });
  window.optimizerLensLandscape = view.debugHandle();

  const saved = vscode.getState();
  if (isLandscapeWebviewState(saved)) view.applySnapshot(saved.snapshot, saved.step);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isLandscapeHostMessage(event.data)) handle(event.data);
  });
  const handle = (message: LandscapeHostMessage): void => {
    switch (message.type) {
      case 'snapshot':
        view.applySnapshot(message.snapshot);
        break;
      case 'exported':
        view.showExportResult(message.format, message.savedTo, message.error);
        break;
    }
  };
  vscode.postMessage({ type: 'ready' });
}

function compactForState(snapshot: LandscapePanelSnapshot): LandscapePanelSnapshot {
  const view = snapshot.view;
  if (view === null) return snapshot;
  const size =
    (view.grid?.values.length ?? 0) +
    (view.heatmap?.values.length ?? 0) +
    view.runs.reduce(
      (sum, run) => sum + run.loss.length + run.x.length * view.dim + (run.stepSize?.length ?? 0) * view.dim,
      0,
    );
  return size > largestViewKeptInState ? { view: null } : snapshot;
}

start();
