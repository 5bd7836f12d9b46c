// "Run LR Range Test" in the editor: ask the server what it would run, say plainly when that is a synthetic proxy,
// gather the settings a file of another tool cannot hold, pick the user's Python, then run it with a cancellable
// progress notification while the panel draws the curve as the points arrive.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  RangeTestPlanRequest,
  RangeTestPointNotification,
  RangeTestRequest,
  type PythonChoice,
  type RangeTestCommandSettings,
  type RangeTestOutcome,
  type RangeTestOverrides,
  type RangeTestPlanView,
  type RangeTestPointParams,
} from '../../server/src/protocol';
import { entryPointProblem } from '../../server/src/core/rangeTest/entryPoint';
import { BUILT_IN_LOSSES, BUILT_IN_LOSS_CALLS } from '../../server/src/core/rangeTest/types';
import { PYTORCH_RANGE_TEST_SNIPPET, runningRangeTestView } from '../../server/src/core/features/rangeTest';
import type { RangeTestPanel } from './panels/rangeTestPanel';
import type { RangeTestSnapshot } from '../../webview/src/protocol';

export interface RangeTestCommandOptions {
  readonly client: LanguageClient;
  readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;
  readonly panel: RangeTestPanel;
  /** The config URI a command applies to: its argument, or the active config editor. */
  readonly configUri: (argument: unknown) => string | undefined;
}

/** Workspace-state key of the command settings remembered for one file. */
const settingsKey = (uri: string): string => `optimizerLens.rangeTest.settings:${uri}`;

/** `${workspaceFolder}` and `~` in a configured interpreter path. */
function expandPath(configured: string, resource: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath ?? '';
  const home = process.env.HOME ?? process.env.USERPROFILE ?? '';
  return configured.replace(/\$\{workspaceFolder\}/g, folder).replace(/^~(?=[\\/])/, home);
}

interface PythonExtensionApi {
  readonly environments?: { getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: string } | undefined };
  readonly settings?: { getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined };
}

/**
 * The interpreter for the user's code: `optimizerLens.python.interpreter`, else the active environment of the Python
 * extension (its published API) when it is installed, else undefined (the server then runs `python3`).
 */
export async function resolvePython(
  resource: vscode.Uri,
  output: vscode.LogOutputChannel,
): Promise<PythonChoice | undefined> {
  const configured = vscode.workspace
    .getConfiguration('optimizerLens', resource)
    .get<string>('python.interpreter', '')
    .trim();
  if (configured) return { path: expandPath(configured, resource), source: 'setting' };
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    const active =
      api?.environments?.getActiveEnvironmentPath?.(resource)?.path ??
      api?.settings?.getExecutionDetails?.(resource)?.execCommand?.[0];
    if (active) return { path: active, source: 'python-extension' };
  } catch (error) {
    output.warn(
      `The Python extension did not say which interpreter is active: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return undefined;
}

function describeSettings(settings: RangeTestCommandSettings): string {
  return `lr ${settings.startLr} → ${settings.endLr}, ${settings.numIter} steps, seed ${settings.seed}`;
}

/** Asks for a positive number; undefined when dismissed. */
async function askNumber(title: string, value: number, integer: boolean): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    title,
    value: String(value),
    validateInput: (text) => {
      const parsed = Number(text);
      if (!Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed)))
        return integer ? 'A non-negative integer.' : 'A positive number, e.g. 1e-7.';
      return null;
    },
  });
  return answer === undefined ? undefined : Number(answer);
}

/** The entry points the range test on the user's model asks for: the input box's title, prompt and placeholder. */
const ENTRY_POINT_QUESTIONS = {
  model: {
    title: 'Range test on your model (1/3): the model',
    prompt: 'A Python entry point returning a torch.nn.Module, imported from the workspace folder.',
    placeholder: 'train.models:build_model',
  },
  data: {
    title: 'Range test on your model (2/3): the data',
    prompt: 'A Python entry point returning an iterable of batches (e.g. a DataLoader).',
    placeholder: 'train.data:train_loader',
  },
  loss: {
    title: 'The loss function',
    prompt: 'A Python entry point (outputs, targets) -> scalar tensor.',
    placeholder: 'train.losses:my_loss',
  },
} as const;

/** Asks for a `module:callable` entry point, starting from `value`; undefined when dismissed. */
async function askEntryPoint(
  question: (typeof ENTRY_POINT_QUESTIONS)[keyof typeof ENTRY_POINT_QUESTIONS],
  value: string | undefined,
): Promise<string | undefined> {
  const answer = await vscode.window.showInputBox({
    title: question.title,
    prompt: question.prompt,
    value: value ?? '',
    placeHolder: question.placeholder,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const problem = entryPointProblem(text);
      return problem ? `This ${problem}` : null;
    },
  });
  return answer?.trim();
}

/** Says why a range test needs a trusted workspace, offering to manage Workspace Trust. */
async function explainUntrusted(message: string): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const answer = await vscode.window.showWarningMessage(message, manage);
  if (answer === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

/** Asks for the user's model, data and loss (files of other tools name them in the command). */
async function askModel(current: RangeTestOverrides): Promise<RangeTestOverrides | undefined> {
  const model = await askEntryPoint(ENTRY_POINT_QUESTIONS.model, current.model);
  if (!model) return undefined;
  const data = await askEntryPoint(ENTRY_POINT_QUESTIONS.data, current.data);
  if (!data) return undefined;
  const lossPick = await vscode.window.showQuickPick(
    [
      ...BUILT_IN_LOSSES.map((name) => ({ label: name, description: BUILT_IN_LOSS_CALLS[name] })),
      {
        label: 'The model returns its loss',
        description: 'a scalar, `.loss`, or a dict with "loss" (Hugging Face style)',
        value: null,
      },
      { label: 'Another function…', description: 'module:callable(outputs, targets) -> scalar tensor' },
    ],
    { title: 'Range test on your model (3/3): the loss', ignoreFocusOut: true },
  );
  if (!lossPick) return undefined;
  let loss: string | null = lossPick.label === 'The model returns its loss' ? null : lossPick.label;
  if (lossPick.label === 'Another function…') {
    const custom = await askEntryPoint(ENTRY_POINT_QUESTIONS.loss, current.loss ?? undefined);
    if (!custom) return undefined;
    loss = custom;
  }
  return { ...current, model, data, loss };
}

/**
 * The settings quick pick for files that cannot hold a `range_test:` section: run with the shown settings, or change
 * one. Returns the overrides to run with, or undefined when dismissed.
 */
async function confirmSettings(
  start: RangeTestOverrides,
  defaults: RangeTestCommandSettings,
  title: string,
  canChangeModel: boolean,
): Promise<RangeTestOverrides | undefined> {
  let overrides = start;
  for (;;) {
    const settings: RangeTestCommandSettings = {
      ...defaults,
      ...stripUndefined(overrides),
    } as RangeTestCommandSettings;
    type Item = vscode.QuickPickItem & { readonly action: string };
    const items: Item[] = [
      { label: '$(play) Run', description: describeSettings(settings), action: 'run' },
      { label: 'start_lr', description: String(settings.startLr), action: 'startLr' },
      { label: 'end_lr', description: String(settings.endLr), action: 'endLr' },
      { label: 'num_iter', description: String(settings.numIter), action: 'numIter' },
      { label: 'seed', description: String(settings.seed), action: 'seed' },
      ...(canChangeModel
        ? [
            {
              label: 'model, data and loss',
              description: `${settings.model ?? '?'} on ${settings.data ?? '?'}`,
              action: 'model',
            },
          ]
        : []),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Run, or pick a setting to change it (remembered for this file)',
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    switch (picked.action) {
      case 'run':
        return overrides;
      case 'model': {
        const changed = await askModel(overrides);
        if (changed) overrides = changed;
        break;
      }
      default: {
        const key = picked.action as 'startLr' | 'endLr' | 'numIter' | 'seed';
        const value = await askNumber(picked.label, settings[key], key === 'numIter' || key === 'seed');
        if (value !== undefined) overrides = { ...overrides, [key]: value };
      }
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined && item !== null),
  ) as Partial<T>;
}

/** Inserts the `task: pytorch` snippet at the end of a native config. */
async function insertPytorchSnippet(uri: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  const prefix = document.getText().endsWith('\n') || document.getText().length === 0 ? '' : '\n';
  await editor.insertSnippet(new vscode.SnippetString(prefix.replace(/\$/g, '\\$') + PYTORCH_RANGE_TEST_SNIPPET), end);
}

export function registerRangeTestCommand(options: RangeTestCommandOptions): vscode.Disposable[] {
  const { client, context, output, panel } = options;
  let listener: ((point: RangeTestPointParams) => void) | null = null;
  const pointSubscription = client.onNotification(RangeTestPointNotification.type, (point) => listener?.(point));

  /** What to run, after any questions; undefined when the user backed out. */
  const decide = async (
    uri: string,
  ): Promise<{ overrides: RangeTestOverrides; plan: RangeTestPlanView } | undefined> => {
    let overrides = context.workspaceState.get<RangeTestOverrides>(settingsKey(uri)) ?? {};
    for (let round = 0; round < 4; round++) {
      const plan = await client.sendRequest(RangeTestPlanRequest.type, { uri, overrides });
      switch (plan.kind) {
        case 'refused':
          void vscode.window.showErrorMessage(`Optimizer Lens: ${plan.reason}`);
          return undefined;
        case 'needs-settings': {
          const choice = await vscode.window.showQuickPick(
            [
              {
                label: '$(python) Run on my PyTorch model…',
                description: 'name your model and data loader (module:callable)',
                action: 'model',
              },
              {
                label: 'Run on a synthetic proxy',
                description: 'a small MLP on a spiral: a feel for the optimizer, not a number for your model',
                action: 'proxy',
              },
            ],
            { title: 'LR range test', placeHolder: plan.message, ignoreFocusOut: true },
          );
          if (!choice) return undefined;
          if (choice.action === 'proxy') overrides = { ...overrides, task: 'spiral' };
          else {
            const asked = await askModel(overrides);
            if (!asked) return undefined;
            overrides = { ...asked, task: undefined } as RangeTestOverrides;
            delete (overrides as { task?: unknown }).task;
          }
          await context.workspaceState.update(settingsKey(uri), overrides);
          continue;
        }
        case 'proxy': {
          const setUp = plan.native ? 'Set Up task: pytorch' : 'Run on My Model…';
          const answer = await vscode.window.showWarningMessage(
            `This range test trains ${plan.description}, not your model: the learning rate it finds says nothing about your own training.`,
            {
              modal: true,
              detail: plan.native
                ? 'Add `range_test: {task: pytorch, model: module:callable, data: module:callable}` to run it on your own model.'
                : 'Name your model and data loader to run it on your own model.',
            },
            setUp,
            'Run the Proxy',
          );
          if (answer === undefined) return undefined;
          if (answer === 'Set Up task: pytorch') {
            await insertPytorchSnippet(uri);
            return undefined;
          }
          if (answer === 'Run on My Model…') {
            const asked = await askModel(overrides);
            if (!asked) return undefined;
            overrides = { ...asked };
            delete (overrides as { task?: unknown }).task;
            await context.workspaceState.update(settingsKey(uri), overrides);
            continue;
          }
          if (!plan.native) {
            const confirmed = await confirmSettings(
              overrides,
              plan.settings,
              'LR range test on a synthetic proxy',
              false,
            );
            if (!confirmed) return undefined;
            overrides = confirmed;
            await context.workspaceState.update(settingsKey(uri), overrides);
          }
          return { overrides, plan };
        }
        case 'pytorch': {
          if (!vscode.workspace.isTrusted) {
            await explainUntrusted(
              'Optimizer Lens: the range test on your own model runs code from this workspace, which needs a trusted workspace. Lint, hover and plots keep working.',
            );
            return undefined;
          }
          if (plan.source !== 'section') {
            const title =
              plan.source === 'lightning'
                ? `LR range test on ${plan.modelLabel} (from this Lightning file)`
                : `LR range test on ${plan.modelLabel}`;
            const confirmed = await confirmSettings(overrides, plan.settings, title, plan.source === 'command');
            if (!confirmed) return undefined;
            overrides = confirmed;
            await context.workspaceState.update(settingsKey(uri), overrides);
          }
          return { overrides, plan };
        }
        case 'worker':
          // task: user loads a model and data from the workspace: like the user's own code, it needs trust.
          if (plan.task === 'user' && !vscode.workspace.isTrusted) {
            await explainUntrusted(
              'Optimizer Lens: running the range test on files from the workspace needs a trusted workspace. Lint, hover and plots keep working.',
            );
            return undefined;
          }
          return { overrides, plan };
      }
    }
    return undefined;
  };

  const run = async (argument?: unknown): Promise<void> => {
    const uri = options.configUri(argument);
    if (!uri) {
      void vscode.window.showInformationMessage(
        'Open an optimizer config (a *.optim.yaml, DeepSpeed, Lightning, Hugging Face or Hydra file) to run an LR range test on its optimizer.',
      );
      return;
    }
    let decision: Awaited<ReturnType<typeof decide>>;
    try {
      decision = await decide(uri);
    } catch (error) {
      output.error(`range test plan failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!decision) return;
    const { overrides, plan } = decision;
    // `decide` asks again until the plan is one that runs.
    const running = plan.kind === 'pytorch' || plan.kind === 'proxy' || plan.kind === 'worker' ? plan : undefined;
    if (!running) return;
    const python = plan.kind === 'pytorch' ? await resolvePython(vscode.Uri.parse(uri), output) : undefined;
    const onModel = plan.kind === 'pytorch';
    const title = onModel
      ? `LR range test on ${plan.modelLabel}`
      : plan.kind === 'proxy'
        ? `LR range test on a synthetic proxy (${plan.task})`
        : 'LR range test';

    // The curve so far, drawn live (at most every 150 ms) in the panel; closing the panel cancels the run.
    const live = {
      lrs: [] as number[],
      losses: [] as number[],
      smoothed: [] as number[],
      total: 0,
      runtime: undefined as RangeTestPointParams['runtime'],
      drawn: false,
    };
    /** The panel's view of this run, built by the core: running, or ended without a result (`ended` says how). */
    const liveView = (ended?: string): RangeTestSnapshot =>
      runningRangeTestView(
        uri,
        running,
        {
          lrs: live.lrs,
          losses: live.losses,
          smoothed: live.smoothed,
          total: live.total,
          ...(live.runtime ? { runtime: live.runtime } : {}),
        },
        ended,
      );

    const outcome = await vscode.window
      .withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Optimizer Lens: ${title}`, cancellable: true },
        async (progress, token) => {
          const cancel = new vscode.CancellationTokenSource();
          token.onCancellationRequested(() => cancel.cancel());
          progress.report({ message: onModel ? `starting ${python?.path ?? 'python3'}…` : 'starting…' });
          let lastDraw = 0;
          let lastPercent = 0;
          let closeSubscription: vscode.Disposable | undefined;
          const draw = () => {
            lastDraw = Date.now();
            live.drawn = true;
            panel.showRunning(liveView());
            closeSubscription ??= panel.onDidClose(() => cancel.cancel());
          };
          const ours = (point: RangeTestPointParams): void => {
            if (point.uri !== uri) return;
            live.lrs.push(point.lr);
            live.losses.push(point.loss);
            live.smoothed.push(point.smoothed);
            live.total = point.total;
            if (point.runtime) {
              live.runtime = point.runtime;
              output.info(
                `range test runs on ${point.runtime.device} (${point.runtime.deviceName}), torch ${point.runtime.torch}, Python ${point.runtime.python} at ${point.runtime.interpreter}`,
              );
            }
            const percent = Math.round(((point.index + 1) / point.total) * 100);
            const where = live.runtime ? ` on ${live.runtime.device}` : '';
            progress.report({
              increment: percent - lastPercent,
              message: `step ${point.index + 1}/${point.total}${where}: lr ${point.lr.toExponential(2)}, loss ${point.loss.toPrecision(4)}`,
            });
            lastPercent = percent;
            if (Date.now() - lastDraw > 150) draw();
          };
          listener = ours;
          try {
            return await client.sendRequest(
              RangeTestRequest.type,
              { uri, overrides, clientProgress: true, ...(python ? { python } : {}) },
              cancel.token,
            );
          } catch (error) {
            if (cancel.token.isCancellationRequested)
              return { status: 'failed', reason: 'cancelled' } as RangeTestOutcome;
            throw error;
          } finally {
            // A newer run may have taken the listener over already.
            if (listener === ours) listener = null;
            closeSubscription?.dispose();
            cancel.dispose();
          }
        },
      )
      .then(
        (value) => value,
        (error: unknown) =>
          ({ status: 'failed', reason: error instanceof Error ? error.message : String(error) }) as RangeTestOutcome,
      );

    if (outcome.status === 'failed') {
      // A live curve already on screen must not stay there as if it were still running.
      if (live.drawn)
        panel.showRunning(
          liveView(
            outcome.reason === 'cancelled'
              ? 'Cancelled before the end: no suggestions.'
              : `The range test failed: ${outcome.reason}`,
          ),
        );
      if (outcome.reason === 'cancelled') {
        output.info('range test cancelled');
        return;
      }
      output.warn(`range test failed: ${outcome.reason}`);
      const actions = [...(outcome.file ? ['Open File'] : []), 'Show Output'];
      const answer = await vscode.window.showErrorMessage(
        `Optimizer Lens: the range test failed: ${outcome.reason}`,
        ...actions,
      );
      if (answer === 'Show Output') output.show(true);
      if (answer === 'Open File' && outcome.file) {
        const line = Math.max(0, (outcome.line ?? 1) - 1);
        await vscode.window.showTextDocument(vscode.Uri.file(outcome.file), {
          selection: new vscode.Range(line, 0, line, 0),
        });
      }
      return;
    }
    const view = outcome.view;
    output.info(
      `range test ${outcome.status} on ${view.runtime ? `pytorch ${view.runtime.torch}, ${view.runtime.device}` : view.backend} in ${view.seconds.toFixed(2)} s`,
    );
    for (const attempt of view.backendAttempts) {
      if (!attempt.loaded) output.info(`backend ${attempt.name} not used: ${attempt.reason ?? 'unknown reason'}`);
    }
    panel.show(view);
  };

  return [vscode.commands.registerCommand('optimizerLens.runRangeTest', run), pointSubscription];
}
