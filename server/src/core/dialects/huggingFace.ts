// Builds the semantic model of a Hugging Face TrainingArguments recipe (YAML or JSON; also axolotl / LLaMA-Factory, which
// use the same keys): `learning_rate`, `optim`, `adam_*`, `lr_scheduler_type` + kwargs, warm-up and run length.

import { findOptimizer, findScheduler, SCHEDULERS } from '../catalog/index';
import { findHfOptimizer } from '../catalog/optimizers';
import { HF_SCHEDULER_TYPE_NAMES } from '../catalog/schedulers';
import type { ConfigModel, OptimizerBlock, ParamValue, SchedulerBlock } from '../model';
import { entryOf, toPlain, type MapEntry, type MapNode, type SyntaxTree } from '../syntax/tree';
import { mapAt, numberOf, paramOf, paramsOf, positiveOf, rootMap, stringOf, trainingOf } from './common';
import { detectHfProgram, LLAMA_FACTORY_OPTIMIZER_SWITCHES, type HfProgram } from './hfPrograms';

/** transformers' SchedulerType values, with the catalog entry each builds (undefined: not in the catalog yet). */
export const HF_SCHEDULER_TYPES: Readonly<Record<string, string | undefined>> = Object.fromEntries(
  HF_SCHEDULER_TYPE_NAMES.map((type) => [type, SCHEDULERS.find((entry) => entry.hfSchedulerType === type)?.name]),
);

/** Scheduler names that axolotl adds on top of transformers' (built in axolotl's own code, so opaque here). */
const AXOLOTL_SCHEDULERS: readonly string[] = ['one_cycle', 'rex', 'log_sweep'];

/** transformers' defaults for the arguments that reach the optimizer and scheduler. */
export const HF_DEFAULT_OPTIM = 'adamw_torch';

/**
 * The catalog name for an `optim` value (the entries' `hfOptim` spellings: 8-bit, paged and fused variants keep the
 * arithmetic), or undefined when it is opaque: adafactor, galore_*, lomo, schedule_free_*, muon, ... get no checks.
 */
export function hfOptimToCatalog(optim: string): string | undefined {
  return findHfOptimizer(optim)?.name;
}

/** Axolotl spells some TrainingArguments differently; the first key present wins. */
const KEYS = {
  optim: ['optim', 'optimizer'],
  scheduler: ['lr_scheduler_type', 'lr_scheduler'],
  epochs: ['num_train_epochs', 'num_epochs'],
} as const;

function firstEntry(root: MapNode, keys: readonly string[]): MapEntry | undefined {
  for (const key of keys) {
    const entry = entryOf(root, key);
    if (entry && entry.value !== null && !(entry.value.kind === 'scalar' && entry.value.value === null)) return entry;
  }
  return undefined;
}

export function buildHuggingFaceModel(tree: SyntaxTree): ConfigModel {
  const root = rootMap(tree);
  if (!root)
    return { dialect: 'hf', tree, optimizer: null, scheduler: null, training: null, rangeTest: null, simulate: null };
  const maxStepsEntry = entryOf(root, 'max_steps');
  const totalSteps = positiveOf(maxStepsEntry?.value);
  const program = detectHfProgram(root);
  const optimizer = optimizerOf(root, program);
  const scheduler = schedulerOf(root, totalSteps, maxStepsEntry);
  const runKeys = [
    'max_steps',
    'num_train_epochs',
    'num_epochs',
    'per_device_train_batch_size',
    'micro_batch_size',
    'gradient_accumulation_steps',
    'max_grad_norm',
  ];
  const runParams = paramsOf(root, 'other', (key) => !runKeys.includes(key));
  const training = trainingOf(
    runParams,
    maxStepsEntry?.keySpan ?? root,
    totalSteps,
    totalSteps !== undefined ? (maxStepsEntry?.value ?? undefined) : undefined,
  );
  return {
    dialect: 'hf',
    tree,
    optimizer,
    scheduler,
    training,
    rangeTest: null,
    simulate: null,
    reader: program.label,
  };
}

/** The program, for rules: recomputed from the keys (cheap), so the model stays plain data. */
export function hfProgramOf(model: ConfigModel): HfProgram | undefined {
  const root = rootMap(model.tree);
  return model.dialect === 'hf' && root ? detectHfProgram(root) : undefined;
}

function isOn(root: MapNode, key: string): boolean {
  const node = entryOf(root, key)?.value;
  return node?.kind === 'scalar' && (node.value === true || node.value === 'true' || node.value === 'True');
}

function optimizerOf(root: MapNode, program: HfProgram): OptimizerBlock | null {
  const optimEntry = firstEntry(root, KEYS.optim);
  const lrEntry = entryOf(root, 'learning_rate');
  const optim = optimEntry ? stringOf(optimEntry.value) : HF_DEFAULT_OPTIM;
  // LLaMA-Factory's switches build GaLore, APOLLO, BAdam, Adam-mini or Muon instead of the `optim` optimizer.
  const switched = program.id === 'llama-factory' && LLAMA_FACTORY_OPTIMIZER_SWITCHES.some((key) => isOn(root, key));
  const catalogName = optim !== undefined && !switched ? hfOptimToCatalog(optim) : undefined;
  const entry = catalogName ? findOptimizer(catalogName) : undefined;
  const keySpan = optimEntry?.keySpan ?? lrEntry?.keySpan ?? root;
  const params = new Map<string, ParamValue>();
  if (!entry) {
    // An optimizer built outside torch.optim: keep it without a type so that no rule judges its arguments.
    return { typeName: '', typeSpan: keySpan, entry: undefined, params, node: null, keySpan };
  }
  if (lrEntry) params.set('lr', paramOf(lrEntry, 'lr', undefined));
  const decay = entryOf(root, 'weight_decay');
  if (decay && entry.params.some((param) => param.name === 'weight_decay'))
    params.set('weight_decay', paramOf(decay, 'weight_decay', undefined));
  const beta1 = entryOf(root, 'adam_beta1');
  const beta2 = entryOf(root, 'adam_beta2');
  if ((beta1 || beta2) && entry.hasBetas) {
    // Two keys in the file make one `betas` pair; the pair is blamed on the first key written.
    const first = (beta1 ?? beta2) as MapEntry;
    const value = [beta1 ? toPlain(beta1.value) : 0.9, beta2 ? toPlain(beta2.value) : 0.999];
    params.set('betas', { name: 'betas', key: first.key, keySpan: first.keySpan, node: null, value });
  }
  const epsilon = entryOf(root, 'adam_epsilon');
  if (epsilon && entry.params.some((param) => param.name === 'eps'))
    params.set('eps', paramOf(epsilon, 'eps', undefined));
  return {
    typeName: optim ?? HF_DEFAULT_OPTIM,
    typeSpan: optimEntry?.value ?? keySpan,
    entry,
    params,
    node: null,
    keySpan,
  };
}

/**
 * The schedule transformers builds with `get_scheduler`: `num_warmup_steps` and `num_training_steps` are derived from the
 * arguments, and `lr_scheduler_kwargs` are passed through under their own names (so their positions are the user's keys).
 */
function schedulerOf(
  root: MapNode,
  totalSteps: number | undefined,
  maxStepsEntry: MapEntry | undefined,
): SchedulerBlock | null {
  const typeEntry = firstEntry(root, KEYS.scheduler);
  const typeName = stringOf(typeEntry?.value);
  if (!typeEntry || typeName === undefined || AXOLOTL_SCHEDULERS.includes(typeName)) return null;
  const catalogName = HF_SCHEDULER_TYPES[typeName];
  // Unknown names are reported by the dialect rules with the transformers spelling; the model leaves them out.
  if (catalogName === undefined) return null;
  const entry = findScheduler(catalogName);
  if (!entry) return null;
  const typeSpan = typeEntry.value ?? typeEntry.keySpan;
  const kwargs = mapAt(root, 'lr_scheduler_kwargs');
  const params = paramsOf(kwargs, 'other');
  const has = (name: string): boolean => entry.params.some((param) => param.name === name);
  if (has('num_training_steps')) {
    const epochsEntry = firstEntry(root, KEYS.epochs);
    if (totalSteps !== undefined && maxStepsEntry)
      params.set('num_training_steps', paramOf(maxStepsEntry, 'num_training_steps', undefined));
    else
      params.set('num_training_steps', {
        ...paramOf(epochsEntry ?? typeEntry, 'num_training_steps', 'derived'),
        node: null,
        value: undefined,
      });
  }
  if (has('num_warmup_steps')) params.set('num_warmup_steps', warmupParam(root, typeEntry, totalSteps));
  return {
    typeName,
    typeSpan,
    entry,
    params,
    children: [],
    node: kwargs,
    keySpan: typeEntry.keySpan,
    interval: 'step',
  };
}

/** `warmup_steps` (an int, or a float below 1 meaning a ratio) or else `warmup_ratio`, as transformers resolves them. */
function warmupParam(root: MapNode, typeEntry: MapEntry, totalSteps: number | undefined): ParamValue {
  const stepsEntry = entryOf(root, 'warmup_steps');
  const ratioEntry = entryOf(root, 'warmup_ratio');
  const steps = numberOf(stepsEntry?.value);
  if (stepsEntry && steps !== undefined && steps >= 1) return paramOf(stepsEntry, 'num_warmup_steps', undefined);
  const ratioSource = stepsEntry && steps !== undefined && steps > 0 ? stepsEntry : ratioEntry;
  const ratio = numberOf(ratioSource?.value);
  if (ratioSource && ratio !== undefined && ratio > 0) {
    if (totalSteps === undefined)
      return { ...paramOf(ratioSource, 'num_warmup_steps', 'derived'), node: null, value: undefined };
    return { ...paramOf(ratioSource, 'num_warmup_steps', undefined), node: null, value: Math.ceil(totalSteps * ratio) };
  }
  // No warm-up given: transformers uses 0 steps.
  const source = stepsEntry ?? ratioEntry;
  return source
    ? { ...paramOf(source, 'num_warmup_steps', undefined), node: null, value: 0 }
    : { name: 'num_warmup_steps', key: typeEntry.key, keySpan: typeEntry.keySpan, node: null, value: 0 };
}
