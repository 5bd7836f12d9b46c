// Entry point of the schedule webview: wires the view to the host messages and to `vscode.setState`.

import './schedule.css';
import {
  isHostToWebviewMessage,
  isScheduleWebviewState,
  type HostToWebviewMessage,
  type SchedulePanelSnapshot,
  type ScheduleWebviewState,
  type WebviewToHostMessage,
} from '../protocol';
import { SchedulePanelView, type SchedulePanelDebugHandle } from './schedulePanelView';

/** The part of the object `acquireVsCodeApi()` returns that this webview uses. */
interface VsCodeWebviewApi {
  postMessage(message: WebviewToHostMessage): void;
  getState(): unknown;
  setState(state: ScheduleWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

declare global {
  interface Window {
    /** Set once at start-up for tests and the webview developer tools; never read by the panel itself. */
    optimizerLensSchedule?: SchedulePanelDebugHandle;
  }
}

/** Series longer than this are left out of the saved state; the host replays them on `ready` anyway. */
const largestScheduleKeptInState = 100_000;

/** Saving state serializes the whole schedule, so bursts of zoom and pan steps are saved once. */
const stateSaveDelayMs = 250;

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  let currentUri: string | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  const saveState = (): void => {
    const ui = view.uiState();
    const snapshot = view.snapshot();
    vscode.setState({
      stateVersion: 1,
      uri: currentUri,
      logScale: ui.logScale,
      view: ui.view,
      snapshot: compactForState(snapshot),
    });
  };
  const scheduleSave = (): void => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saveState();
    }, stateSaveDelayMs);
  };

  const view = new SchedulePanelView(root, {
    pin: () => vscode.postMessage({ type: 'pin' }),
    unpin: () => vscode.postMessage({ type: 'unpin' }),
    setMetrics: (metrics) => vscode.postMessage({ type: 'setMetrics', metrics }),
    exportFile: (format, suggestedName, encoding, content) =>
      vscode.postMessage({ type: 'export', format, suggestedName, encoding, content }),
    uiChanged: scheduleSave,
  });
  window.optimizerLensSchedule = view.debugHandle();

  // Paint the last state at once after the panel was hidden; the host's snapshot follows and replaces it.
  const saved = vscode.getState();
  if (isScheduleWebviewState(saved)) {
    currentUri = saved.uri;
    view.restoreUi(saved.logScale, saved.view);
    if (saved.snapshot) view.applySnapshot(saved.snapshot);
  }

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (!isHostToWebviewMessage(event.data)) return;
    handle(event.data);
  });

  const handle = (message: HostToWebviewMessage): void => {
    switch (message.type) {
      case 'snapshot':
        currentUri = message.snapshot.schedule?.uri ?? currentUri;
        view.applySnapshot(message.snapshot);
        break;
      case 'setSchedule':
        currentUri = message.schedule.uri;
        view.setSchedule(message.schedule);
        break;
      case 'setError':
        view.setError(message.message);
        break;
      case 'pinned':
        view.setPinned(message.pinned);
        break;
      case 'exported':
        view.showExportResult(message.format, message.savedTo, message.error);
        break;
    }
    scheduleSave();
  };

  vscode.postMessage({ type: 'ready' });
}

function compactForState(snapshot: SchedulePanelSnapshot): SchedulePanelSnapshot | null {
  const tooLarge = (schedule: SchedulePanelSnapshot['schedule']): boolean =>
    schedule !== null && schedule.lr.length > largestScheduleKeptInState;
  if (tooLarge(snapshot.schedule) || tooLarge(snapshot.pinned)) return null;
  return snapshot;
}

start();
