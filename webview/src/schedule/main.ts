// Entry point of the schedule webview: wires the view to the host messages and to `vscode.setState`.

import './schedule.css';
import {
  isHostToWebviewMessage,
  isScheduleWebviewState,
  type SchedulePanelSnapshot,
  type ScheduleWebviewState,
  type WebviewToHostMessage,
} from '../protocol';
import { connectToHost, debouncedStateSave, exposeDebugHandle } from '../common/webviewHost';
import { SchedulePanelView } from './schedulePanelView';

/** Series longer than this are left out of the saved state; the host replays them on `ready` anyway. */
const largestScheduleKeptInState = 100_000;

function start(): void {
  const host = connectToHost<WebviewToHostMessage, ScheduleWebviewState>();
  let currentUri: string | null = null;

  const scheduleSave = debouncedStateSave(() => {
    const ui = view.uiState();
    host.saveState({
      stateVersion: 1,
      uri: currentUri,
      logScale: ui.logScale,
      view: ui.view,
      snapshot: compactForState(view.snapshot()),
    });
  });

  const view = new SchedulePanelView(host.root, {
    pin: () => host.post({ type: 'pin' }),
    unpin: () => host.post({ type: 'unpin' }),
    setMetrics: (metrics) => host.post({ type: 'setMetrics', metrics }),
    exportFile: host.exportFile,
    uiChanged: scheduleSave,
  });
  exposeDebugHandle('optimizerLensSchedule', view.debugHandle());

  // Paint the last state at once after the panel was hidden; the host's snapshot follows and replaces it.
  const saved = host.savedState();
  if (isScheduleWebviewState(saved)) {
    currentUri = saved.uri;
    view.restoreUi(saved.logScale, saved.view);
    if (saved.snapshot) view.applySnapshot(saved.snapshot);
  }

  host.listen(
    isHostToWebviewMessage,
    {
      snapshot: (message) => {
        currentUri = message.snapshot.schedule?.uri ?? currentUri;
        view.applySnapshot(message.snapshot);
      },
      setSchedule: (message) => {
        currentUri = message.schedule.uri;
        view.setSchedule(message.schedule);
      },
      setError: (message) => view.setError(message.message),
      pinned: (message) => view.setPinned(message.pinned),
      exported: (message) => view.showExportResult(message.format, message.savedTo, message.error),
    },
    scheduleSave,
  );
}

function compactForState(snapshot: SchedulePanelSnapshot): SchedulePanelSnapshot | null {
  const tooLarge = (schedule: SchedulePanelSnapshot['schedule']): boolean =>
    schedule !== null && schedule.lr.length > largestScheduleKeptInState;
  if (tooLarge(snapshot.schedule) || tooLarge(snapshot.pinned)) return null;
  return snapshot;
}

start();
