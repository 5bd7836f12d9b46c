// Entry point of the loss-landscape webview: wires the view to the host messages and to `vscode.setState`.

import '../schedule/schedule.css';
import './landscape.css';
import {
  isLandscapeHostMessage,
  isLandscapeWebviewState,
  type LandscapePanelSnapshot,
  type LandscapeWebviewMessage,
  type LandscapeWebviewState,
} from '../protocol';
import { connectToHost, debouncedStateSave, exposeDebugHandle } from '../common/webviewHost';
import { LandscapePanelView } from './landscapePanelView';

/** Simulations with more recorded numbers than this are left out of the saved state; the host replays them. */
const largestViewKeptInState = 400_000;

function start(): void {
  const host = connectToHost<LandscapeWebviewMessage, LandscapeWebviewState>();
  const scheduleSave = debouncedStateSave(() =>
    host.saveState({ stateVersion: 1, snapshot: compactForState(view.snapshot()), step: view.currentStep() }),
  );
  const view = new LandscapePanelView(host.root, { exportFile: host.exportFile, stateChanged: scheduleSave });
  exposeDebugHandle('optimizerLensLandscape', view.debugHandle());

  const saved = host.savedState();
  if (isLandscapeWebviewState(saved)) view.applySnapshot(saved.snapshot, saved.step);

  host.listen(isLandscapeHostMessage, {
    snapshot: (message) => view.applySnapshot(message.snapshot),
    exported: (message) => view.showExportResult(message.format, message.savedTo, message.error),
  });
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
