// Entry point of the LR range-test webview: wires the view to the host messages and to `vscode.setState`.

import '../schedule/schedule.css';
import './rangeTest.css';
import {
  isRangeTestHostMessage,
  isRangeTestWebviewState,
  type RangeTestWebviewMessage,
  type RangeTestWebviewState,
} from '../protocol';
import { connectToHost, exposeDebugHandle } from '../common/webviewHost';
import { RangeTestPanelView } from './rangeTestPanelView';

function start(): void {
  const host = connectToHost<RangeTestWebviewMessage, RangeTestWebviewState>();
  // A range test has at most a few thousand points, so the whole result fits in the saved state.
  // The view reports state changes from its constructor on, before `view` below is assigned.
  let created: RangeTestPanelView | null = null;
  const view = new RangeTestPanelView(host.root, {
    apply: (lr, target) => host.post({ type: 'apply', lr, target }),
    exportFile: host.exportFile,
    stateChanged: () => {
      if (created !== null) host.saveState({ stateVersion: 1, snapshot: created.snapshot() });
    },
  });
  created = view;
  exposeDebugHandle('optimizerLensRangeTest', view.debugHandle());

  const saved = host.savedState();
  if (isRangeTestWebviewState(saved)) view.applySnapshot(saved.snapshot);

  host.listen(isRangeTestHostMessage, {
    snapshot: (message) => view.applySnapshot(message.snapshot),
    applied: (message) => view.setApplied(message.applied),
    exported: (message) => view.showExportResult(message.format, message.savedTo, message.error),
  });
}

start();
