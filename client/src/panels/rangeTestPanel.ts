// The LR range-test results panel's host side: one panel beside the editor showing the last result, and Apply
// carried out through the caller's edit function (the shared single-panel host in snapshotPanel.ts does the
// rest). The webview lives in `webview/src/rangeTest/`.
//
// Invariant: the host owns the state (the last result and the last Apply outcome).

import * as vscode from 'vscode';
import type { RangeTestView } from '../../../server/src/protocol';
import {
  isRangeTestWebviewMessage,
  isRangeTestWebviewState,
  type AppliedLearningRate,
  type ApplyTarget,
  type RangeTestPanelSnapshot,
  type RangeTestSnapshot,
  type RangeTestWebviewMessage,
} from '../../../webview/src/protocol';
import { SnapshotPanel } from './snapshotPanel';
import { fileNameOf } from '../../../server/src/core/util/fileName';
import type { OpenSnapshotPanel } from './snapshotPanel';

/** Writes `lr` into the document's optimizer `lr` (or scheduler `max_lr`) as an undoable edit; the value as written, or null. */
export type ApplyLearningRate = (uri: string, lr: number, target: ApplyTarget) => Promise<string | null>;

/**
 * The (single) range-test panel. Create it once with `RangeTestPanel.register`; it comes back after a restart
 * from the result the webview saved, and it is disposed with the extension.
 */
export class RangeTestPanel {
  private constructor(private readonly host: SnapshotPanel<RangeTestPanelSnapshot, RangeTestWebviewMessage>) {}

  static register(context: vscode.ExtensionContext, apply: ApplyLearningRate): RangeTestPanel {
    return new RangeTestPanel(
      SnapshotPanel.register(context, {
        viewType: 'optimizerLens.rangeTest',
        page: { script: 'rangeTest.js', style: 'rangeTest.css', title: 'LR range test' },
        exportLabel: 'range test',
        title: (snapshot) => panelTitle(snapshot.view?.uri ?? ''),
        documentUri: (snapshot) => snapshot.view?.uri ?? '',
        restore: (state) => {
          const snapshot = isRangeTestWebviewState(state) ? state.snapshot : null;
          return snapshot?.view ? snapshot : null;
        },
        isMessage: isRangeTestWebviewMessage,
        onMessage: (message, open) => {
          if (message.type === 'apply') void applyLearningRate(open, apply, message.lr, message.target);
        },
      }),
    );
  }

  /** Shows `view` in the panel, opening it beside the editor when it is not open. */
  show(view: RangeTestView): void {
    this.host.show({ view, applied: null });
  }

  /** Shows a test while it runs: the curve so far (`view.running` set). */
  showRunning(view: RangeTestSnapshot): void {
    this.host.update({ view, applied: null });
  }

  /** Fires when the open panel is closed (a running test is then cancelled). */
  onDidClose(listener: () => void): vscode.Disposable {
    const current = this.host.current;
    return current ? current.panel.onDidDispose(listener) : new vscode.Disposable(() => undefined);
  }
}

/** Carries out an Apply from the webview and reports the outcome to it. */
async function applyLearningRate(
  open: OpenSnapshotPanel<RangeTestPanelSnapshot>,
  apply: ApplyLearningRate,
  lr: number,
  target: ApplyTarget,
): Promise<void> {
  const view = open.snapshot.view;
  if (!view || view.running) return;
  const file = view.fileName ?? fileNameOf(view.uri);
  let applied: AppliedLearningRate;
  if (view.measuredOn === 'proxy') {
    // A proxy's number was not measured on the user's model: writing it into their config needs a clear yes.
    const answer = await vscode.window.showWarningMessage(
      `Write ${target} = ${lr.toPrecision(3)} into ${file}?`,
      {
        modal: true,
        detail: `This learning rate was measured on a synthetic proxy (${view.task}), not on your model; it says nothing about your own training.`,
      },
      'Apply Anyway',
    );
    if (answer !== 'Apply Anyway') {
      applied = {
        lr,
        target,
        ok: false,
        message: 'not applied: the value was measured on a synthetic proxy, and the write was not confirmed.',
      };
      open.keepSnapshot({ view, applied });
      open.post({ type: 'applied', applied });
      return;
    }
  }
  try {
    const written = await apply(view.uri, lr, target);
    const value = written === null ? NaN : Number(written);
    applied =
      written !== null
        ? {
            lr: Number.isFinite(value) ? value : lr,
            target,
            ok: true,
            written,
            message: `Set ${target}: ${written} in ${file} (undo with Ctrl+Z).`,
          }
        : {
            lr,
            target,
            ok: false,
            message: `the config has no optimizer ${target === 'lr' ? '`lr`' : 'scheduler `max_lr`'} to write to.`,
          };
  } catch (error) {
    applied = { lr, target, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  // The webview updates itself from the `applied` message; the kept snapshot replays it later.
  open.keepSnapshot({ view: applied.ok ? { ...view, currentLr: applied.lr } : view, applied });
  open.post({ type: 'applied', applied });
}

function panelTitle(uri: string): string {
  return uri ? `Range test: ${fileNameOf(uri)}` : 'Range test';
}
