// Entry point of the LR range-test webview: wires the view to the host messages and to `vscode.setState`.

import '../schedule/schedule.css';
import './rangeTest.css';
import {
  isRangeTestHostMessage,
  isRangeTestWebviewState,
  type RangeTestHostMessage,
  type RangeTestWebviewMessage,
  type RangeTestWebviewState,
} from '../protocol';
import { RangeTestPanelView, type RangeTestDebugHandle } from './rangeTestPanelView';

interface VsCodeWebviewApi {
  postMessage(message: RangeTestWebviewMessage): void;
  getState(): unknown;
  setState(state: RangeTestWebviewState): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

declare global {
  interface Window {
    /** Set once at start-up for tests and the webview developer tools; never read by the panel itself. */
    optimizerLensRangeTest?: RangeTestDebugHandle;
  }
}

function start(): void {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  // A range test has at most a few thousand points, so the whole result fits in the saved state.
  // The view reports state changes from its constructor on, before `view` below is assigned.
  let created: RangeTestPanelView | null = null;
  const view = new RangeTestPanelView(root, {
    apply: (lr, target) => vscode.postMessage({ type: 'apply', lr, target }),
    exportFile: (format, suggestedName, encoding, content) =>
      vscode.postMessage({ type: 'export', format, suggestedName, encoding, content }),
    stateChanged: () => {
      if (created !== null) vscode.setState({ stateVersion: 1, snapshot: created.snapshot() });
    },
  });
  created = view;
  window.optimizerLensRangeTest = view.debugHandle();

  const saved = vscode.getState();
  if (isRangeTestWebviewState(saved)) view.applySnapshot(saved.snapshot);

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isRangeTestHostMessage(event.data)) handle(event.data);
  });
  const handle = (message: RangeTestHostMessage): void => {
    switch (message.type) {
      case 'snapshot':
        view.applySnapshot(message.snapshot);
        break;
      case 'applied':
        view.setApplied(message.applied);
        break;
      case 'exported':
        view.showExportResult(message.format, message.savedTo, message.error);
        break;
    }
  };
  vscode.postMessage({ type: 'ready' });
}

start();
