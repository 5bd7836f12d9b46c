// "Config to range-test job, result to view": what a range test on this file would run, and the view of its result.
// One home for both, used by the LSP handler, the CLI and the webview fixture generator.

import type { Analysis } from '../analysis';
import { rangeTestTaskDescription } from '../catalog/rangeTestSection';
import { torchEquivalentOf } from '../catalog/index';
import type { OptimizerEntry } from '../catalog/types';
import { formatNumber } from '../rules/context';
import type { ParamValue } from '../model';
import { parseRangeTestSection, rangeTestParamsIssues } from '../rangeTest/section';
import {
  PROXY_TASKS,
  type RangeTestParams,
  type RangeTestStop,
  type RangeTestSuggestions,
  type RangeTestTaskName,
} from '../rangeTest/types';
import { toPlain } from '../syntax/tree';
import { applyTarget } from './applyLearningRate';
import { fileNameOf } from '../util/fileName';
import type { RangeTestRuntime, RangeTestSnapshot, RangeTestView } from '../views';

/**
 * Range-test settings that come from the command instead of the file: a quick pick in the editor, flags in the CLI.
 * Files of other tools (Lightning, Hugging Face, DeepSpeed, Hydra) cannot take a `range_test:` section (their parsers
 * reject unknown keys), so this is where their settings live; for a native file they override its section.
 */
export interface RangeTestOverrides {
  /** A task chosen in the command, e.g. a proxy picked for a file of another tool. */
  readonly task?: RangeTestTaskName;
  readonly model?: string;
  readonly data?: string;
  /** `null` clears a loss from the section (the model returns its own loss). */
  readonly loss?: string | null;
  readonly device?: string;
  readonly startLr?: number;
  readonly endLr?: number;
  readonly numIter?: number;
  readonly seed?: number;
}

/** A torch optimizer as the Python runner builds it: `class_path(model.parameters(), **kwargs)`. */
export interface TorchOptimizerSpec {
  readonly classPath: string;
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** `class_path` + `init_args`, as LightningCLI instantiates it. */
export interface ClassSpec {
  readonly class_path: string;
  readonly init_args: Readonly<Record<string, unknown>>;
}

export type RunnerModels =
  | { readonly mode: 'entrypoints'; readonly model: string; readonly data: string; readonly loss: string | null }
  | { readonly mode: 'lightning'; readonly model: ClassSpec; readonly data: ClassSpec | null };

/** What the range-test command would do on this file. */
export type RangeTestPlan =
  /** The user's own PyTorch model, in their Python (needs a trusted workspace). */
  | {
      readonly kind: 'pytorch';
      readonly params: RangeTestParams;
      /** Where the model comes from: a native `range_test:` section, the command's settings, or a Lightning file's own blocks. */
      readonly source: 'section' | 'command' | 'lightning';
      readonly models: RunnerModels;
      /** null: the Lightning module's own `configure_optimizers()`. */
      readonly optimizer: TorchOptimizerSpec | null;
      readonly optimizerLabel: string;
      /** Facts the result must carry, e.g. a DeepSpeed optimizer run as its torch equivalent. */
      readonly notes: readonly string[];
    }
  /** A task of the compute worker: a synthetic proxy, or `task: user` (a TensorFlow.js model from the workspace). */
  | {
      readonly kind: 'worker';
      readonly params: RangeTestParams;
      /** True for the synthetic tasks: the result says nothing about the user's model. */
      readonly proxy: boolean;
      /** Why a proxy: the file has no `range_test:` section, or names a built-in task. */
      readonly proxyReason?: 'no-section' | 'built-in-task';
      readonly taskDescription: string;
      readonly optimizer: { readonly type: string; readonly params: Record<string, unknown> };
      readonly optimizerLabel: string;
    }
  /** A file of another tool: the user's model and data must be named in the command first (or a proxy chosen). */
  | {
      readonly kind: 'needs-settings';
      readonly dialect: string;
      readonly params: RangeTestParams;
      readonly missing: readonly ('model' | 'data')[];
      readonly message: string;
    }
  | { readonly kind: 'refused'; readonly reason: string };

/** The snippet that sets up `task: pytorch` in a native file. */
export const PYTORCH_RANGE_TEST_SNIPPET = [
  'range_test:',
  '  task: pytorch',
  '  model: ${1:train.models}:${2:build_model}     # module:callable returning a torch.nn.Module',
  '  data: ${3:train.data}:${4:train_loader}       # module:callable returning an iterable of batches',
  '  loss: ${5|cross_entropy,mse|}                # or module:callable; omit when the model returns its loss',
  '  device: auto',
  '  num_iter: 100',
  '',
].join('\n');

function label(entryName: string, params: ReadonlyMap<string, ParamValue>): string {
  const shown = [...params.values()]
    .filter((param) => param.name !== 'lr')
    .map(
      (param) =>
        `${param.name}=${typeof param.value === 'number' ? formatNumber(param.value) : JSON.stringify(param.value)}`,
    );
  return `${entryName}(${shown.join(', ')})`;
}

/**
 * The torch class and keywords of a catalog optimizer, as written in the file (opaque values dropped with a note).
 * An optimizer outside torch.optim runs as the torch class its catalog entry names (`torchEquivalent`), e.g. DeepSpeed's
 * FusedAdam as `torch.optim.AdamW` (or `Adam` when `adam_w_mode: false`): the same update rule.
 */
export function torchOptimizer(
  entry: OptimizerEntry,
  params: ReadonlyMap<string, ParamValue>,
  writtenType: string,
): { spec: TorchOptimizerSpec | null; notes: string[]; reason?: string } {
  const notes: string[] = [];
  const kwargs: Record<string, unknown> = {};
  for (const param of params.values()) {
    if (param.opaque) {
      notes.push(
        `\`${param.key}\` is only known at run time (${param.opaque}); the range test leaves it at torch's default.`,
      );
      continue;
    }
    kwargs[param.name] = param.value;
  }
  if (entry.library === 'torch') {
    const dotted =
      /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+$/.test(writtenType) && writtenType.endsWith(`.${entry.name}`)
        ? writtenType
        : `torch.optim.${entry.name}`;
    return { spec: { classPath: dotted, kwargs }, notes };
  }
  const equivalent = torchEquivalentOf(entry, kwargs);
  if (equivalent) {
    notes.push(
      `${entry.library === 'deepspeed' ? 'DeepSpeed' : 'The'} optimizer \`${writtenType}\` (${entry.name}) runs as ${equivalent.classPath}, the same update rule, in the range test.`,
    );
    return { spec: equivalent, notes };
  }
  const where =
    entry.library === 'deepspeed'
      ? 'a DeepSpeed optimizer that needs the DeepSpeed engine'
      : 'not a torch.optim optimizer';
  return {
    spec: null,
    notes,
    reason: `\`${writtenType}\` is ${where}; the range test on your model builds the optimizer with torch.optim, and ${entry.name} has no torch equivalent.`,
  };
}

function classSpec(value: unknown): ClassSpec | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const classPath = record['class_path'];
  if (typeof classPath !== 'string' || classPath.trim() === '') return null;
  const initArgs = record['init_args'];
  return {
    class_path: classPath,
    init_args:
      initArgs && typeof initArgs === 'object' && !Array.isArray(initArgs) ? (initArgs as Record<string, unknown>) : {},
  };
}

function withOverrides(params: RangeTestParams, overrides: RangeTestOverrides): RangeTestParams {
  const merged: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (key === 'loss' && value === null) delete merged['loss'];
    else merged[key] = value;
  }
  return merged as unknown as RangeTestParams;
}

/** The `given` map for the cross-field checks, in the section's key names. */
function givenKeys(overrides: RangeTestOverrides, section: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const names: Record<string, string> = {
    task: 'task',
    startLr: 'start_lr',
    endLr: 'end_lr',
    numIter: 'num_iter',
    seed: 'seed',
    model: 'model',
    data: 'data',
    loss: 'loss',
    device: 'device',
  };
  const given: Record<string, unknown> = { ...section };
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined && value !== null) given[names[key] ?? key] = value;
  return given;
}

/**
 * What the range-test command would do on this file with these command settings. Pure: no file is read; the plan
 * names Python entry points and classes, which only the runner imports.
 */
export function planRangeTest(analysis: Analysis, overrides: RangeTestOverrides = {}): RangeTestPlan {
  const model = analysis.model;
  if (!model)
    return { kind: 'refused', reason: 'The document is not an optimizer config that Optimizer Lens recognises.' };
  const optimizer = model.optimizer;
  const lightning = model.dialect === 'lightning';
  if (!optimizer && !lightning) return { kind: 'refused', reason: 'The file has no optimizer to test.' };
  if (optimizer && !optimizer.entry)
    return {
      kind: 'refused',
      reason: `Unknown optimizer \`${optimizer.typeName}\`: fix it before running a range test.`,
    };

  const sectionPlain = model.rangeTest ? toPlain(model.rangeTest.node) : undefined;
  const section = parseRangeTestSection(sectionPlain ?? {});
  const sectionGiven =
    sectionPlain && typeof sectionPlain === 'object' && !Array.isArray(sectionPlain)
      ? (sectionPlain as Record<string, unknown>)
      : {};
  const blocking = section.issues.filter((issue) => issue.severity === 'error');
  if (!section.params || blocking.length > 0)
    return {
      kind: 'refused',
      reason: `The range_test section has problems: ${blocking.map((issue) => issue.message).join(' ')}`,
    };

  const foreign = model.dialect !== 'optim';
  const hasCommandModel = overrides.model !== undefined || overrides.data !== undefined;
  // Another tool's file, or a command that names a model: the user's own model.
  const task: RangeTestTaskName =
    overrides.task ??
    (lightning || hasCommandModel || (foreign && section.params.task !== 'pytorch') ? 'pytorch' : section.params.task);
  const params = withOverrides({ ...section.params, task }, overrides);
  const optimizerLabel = optimizer?.entry ? label(optimizer.entry.name, optimizer.params) : 'configure_optimizers()';

  if (task !== 'pytorch') {
    const crossField = rangeTestParamsIssues(params, givenKeys(overrides, sectionGiven)).filter(
      (issue) => issue.severity === 'error',
    );
    if (crossField.length > 0) return { kind: 'refused', reason: crossField.map((issue) => issue.message).join(' ') };
    const proxy = (PROXY_TASKS as readonly string[]).includes(task);
    if (!optimizer?.entry)
      return { kind: 'refused', reason: 'The file has no `optimizer:` block for the test to train with.' };
    const entry = optimizer.entry;
    return {
      kind: 'worker',
      params,
      proxy,
      ...(proxy
        ? {
            proxyReason:
              overrides.task !== undefined || sectionGiven['task'] !== undefined
                ? ('built-in-task' as const)
                : ('no-section' as const),
          }
        : {}),
      taskDescription: rangeTestTaskDescription(task),
      optimizer: {
        type: entry.name,
        params: Object.fromEntries([...optimizer.params.values()].map((param) => [param.name, param.value])),
      },
      optimizerLabel,
    };
  }

  const notes: string[] = [];
  let torch: TorchOptimizerSpec | null = null;
  if (optimizer?.entry) {
    const mapped = torchOptimizer(optimizer.entry, optimizer.params, optimizer.typeName);
    if (!mapped.spec)
      return { kind: 'refused', reason: mapped.reason ?? `\`${optimizer.typeName}\` cannot be built with torch.` };
    torch = mapped.spec;
    notes.push(...mapped.notes);
  }

  let models: RunnerModels;
  let source: 'section' | 'command' | 'lightning';
  if (lightning && overrides.model === undefined && overrides.task === undefined) {
    const root = toPlain(analysis.tree.root) as Record<string, unknown> | null;
    const modelBlock = root && typeof root === 'object' ? root['model'] : undefined;
    const spec = classSpec(modelBlock);
    if (!spec) {
      return {
        kind: 'refused',
        reason:
          'This Lightning CLI file has no `model: {class_path: ...}` block (the model class is fixed in the training script), so the ' +
          'range test cannot build your model from it. Run it from a native `*.optim.yaml` with `range_test: {task: pytorch, model: ..., data: ...}`, or pass `--model`/`--data` to `optlens range-test`.',
      };
    }
    const dataBlock = root && typeof root === 'object' ? root['data'] : undefined;
    if (dataBlock !== undefined && dataBlock !== null && !classSpec(dataBlock)) {
      return {
        kind: 'refused',
        reason:
          'The `data:` block has no `class_path`, so the range test cannot build your data module from this file.',
      };
    }
    models = { mode: 'lightning', model: spec, data: classSpec(dataBlock) };
    source = 'lightning';
    if (!torch)
      notes.push("The file has no `optimizer:` block: the module's own `configure_optimizers()` builds the optimizer.");
  } else {
    const missing = (['model', 'data'] as const).filter((key) => params[key] === undefined);
    if (missing.length > 0) {
      return {
        kind: 'needs-settings',
        dialect: model.dialect,
        params,
        missing,
        message: `To run the range test on your own model, name your model and data loader as Python entry points (\`module:callable\`); ${foreign ? 'this file belongs to another tool, so they are given in the command, not in the file' : 'add them to `range_test:`'}.`,
      };
    }
    if (!torch) return { kind: 'refused', reason: 'The file has no optimizer to test.' };
    models = { mode: 'entrypoints', model: params.model!, data: params.data!, loss: params.loss ?? null };
    source = model.rangeTest && sectionGiven['task'] === 'pytorch' && !hasCommandModel ? 'section' : 'command';
  }
  const crossField = rangeTestParamsIssues(params, givenKeys(overrides, sectionGiven)).filter(
    (issue) =>
      issue.severity === 'error' &&
      !(lightning && (issue.path[1] === 'model' || issue.path[1] === 'data' || issue.path[1] === 'task')),
  );
  if (crossField.length > 0) return { kind: 'refused', reason: crossField.map((issue) => issue.message).join(' ') };
  return { kind: 'pytorch', params, source, models, optimizer: torch, optimizerLabel, notes };
}

// ------------------------------------------------------------------------------------------- result to view

export type { RangeTestRuntime };

/** A finished (or cancelled) range test from any engine. */
export interface RangeTestRun {
  readonly backend: string;
  readonly backendAttempts: readonly { readonly name: string; readonly loaded: boolean; readonly reason?: string }[];
  readonly task: string;
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  readonly smoothed: readonly number[];
  readonly stopped: RangeTestStop;
  readonly suggestions: RangeTestSuggestions;
  readonly notes: readonly string[];
  readonly seconds: number;
  readonly runtime?: RangeTestRuntime;
}

/** The plain view of a result, as the panel, the CLI's `--json` and the webview tests see it (defined in `core/views.ts`). */
export type RangeTestViewData = RangeTestView;

/** Maps a run of any engine to its view; `measuredOn` comes from the plan, never guessed from the result. */
export function toRangeTestView(
  analysis: Analysis,
  uri: string,
  run: RangeTestRun,
  measuredOn: 'your-model' | 'proxy',
  optimizerLabel: string,
): RangeTestViewData {
  const target = applyTarget(analysis);
  const model = analysis.model;
  const current = (target === 'lr' ? model?.optimizer?.params.get('lr') : model?.scheduler?.params.get('max_lr'))
    ?.value;
  return {
    uri,
    fileName: fileNameOf(uri),
    backend: run.backend,
    backendAttempts: run.backendAttempts.map((attempt) => ({
      name: attempt.name,
      loaded: attempt.loaded,
      ...(attempt.reason ? { reason: attempt.reason } : {}),
    })),
    task: run.task,
    measuredOn,
    ...(run.runtime ? { runtime: run.runtime } : {}),
    optimizerLabel,
    lrs: [...run.lrs],
    losses: [...run.losses],
    smoothed: [...run.smoothed],
    stopped: run.stopped,
    suggestions: run.suggestions,
    notes: [...run.notes],
    seconds: run.seconds,
    applyTarget: target,
    ...(typeof current === 'number' ? { currentLr: current } : {}),
  };
}

// ------------------------------------------------------------------------------------------- running view

/** What the view of a running test needs of its plan; the plan view's `pytorch`, `proxy` and `worker` kinds fit it. */
export type RunningRangeTestPlan =
  | {
      readonly kind: 'pytorch';
      readonly optimizerLabel: string;
      readonly modelLabel: string;
      readonly dataLabel: string;
    }
  | { readonly kind: 'proxy' | 'worker'; readonly task: string; readonly optimizerLabel: string };

/** The points of a running test received so far (iteration `i` at index `i`), and what the first point said. */
export interface RangeTestPointsSoFar {
  readonly lrs: readonly number[];
  readonly losses: readonly number[];
  readonly smoothed: readonly number[];
  /** The iterations planned. */
  readonly total: number;
  /** Where the user's model runs, once the runner said so. */
  readonly runtime?: RangeTestRuntime;
}

/**
 * The panel's view of a test that is running (`running` set), or that ended without a result (`ended` says how, in a
 * sentence, and becomes its note): the curve so far, and no suggestions, since those are read from a finished curve.
 */
export function runningRangeTestView(
  uri: string,
  plan: RunningRangeTestPlan,
  soFar: RangeTestPointsSoFar,
  ended?: string,
): RangeTestSnapshot {
  const onModel = plan.kind === 'pytorch';
  return {
    uri,
    fileName: fileNameOf(uri),
    measuredOn: plan.kind === 'proxy' ? 'proxy' : 'your-model',
    ...(soFar.runtime ? { runtime: soFar.runtime } : {}),
    ...(ended === undefined ? { running: { total: soFar.total } } : {}),
    backend: onModel ? 'pytorch' : 'worker',
    backendAttempts: [],
    task: onModel ? `${plan.modelLabel} on ${plan.dataLabel}` : plan.task,
    optimizerLabel: plan.optimizerLabel,
    lrs: [...soFar.lrs],
    losses: [...soFar.losses],
    smoothed: [...soFar.smoothed],
    stopped: 'cancelled',
    suggestions: { valley: null, steepest: null, minimum: null },
    notes: ended === undefined ? [] : [ended],
    seconds: 0,
    applyTarget: 'lr',
  };
}
