// Rules that only make sense for one dialect: DeepSpeed's "auto" and batch sizes, Lightning's per-epoch stepping,
// TrainingArguments' scheduler traps, Hydra's `_partial_`.

import { DEEPSPEED_DEPRECATED_ZERO_KEYS, DEEPSPEED_TOP_LEVEL_KEYS } from '../catalog/deepSpeedSchema';
import { HF_SCHEDULER_TYPES, hfProgramOf } from '../dialects/huggingFace';
import { LIGHTNING_DEFAULT_MAX_EPOCHS, lightningEpochs, scheduledLength, sizedInSteps } from '../dialects/lightning';
import { entryOf, type MapEntry, type MapNode, type Node } from '../syntax/tree';
import { closestMatch } from '../util/suggest';
import type { Rule, RuleContext } from './context';
import { formatNumber } from './context';
import { insertEntryEdit, renameKeyEdit } from './edits';

function rootOf(context: RuleContext): MapNode | null {
  const root = context.model.tree.root;
  return root?.kind === 'map' ? root : null;
}

function numberAt(node: Node | null | undefined): number | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'number' && Number.isFinite(node.value)
    ? node.value
    : undefined;
}

function firstScalar(node: Node | null, test: (value: unknown) => boolean): Node | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return test(node.value) ? node : undefined;
  const children = node.kind === 'map' ? node.entries.map((entry) => entry.value) : node.items;
  for (const child of children) {
    const found = firstScalar(child, test);
    if (found) return found;
  }
  return undefined;
}

// ------------------------------------------------------------------------------------------------ DeepSpeed

export const deepSpeedAutoValues: Rule = (context) => {
  const first = firstScalar(context.model.tree.root, (value) => value === 'auto');
  if (!first) return;
  context.report(
    'OL300',
    first,
    '"auto" values are filled in by the Hugging Face Trainer / Accelerate DeepSpeed integration; `deepspeed.initialize` on its own rejects them. They are not checked here, and a schedule that depends on them is not drawn.',
  );
};

export const deepSpeedUnknownKeys: Rule = (context) => {
  const root = rootOf(context);
  if (!root) return;
  const present = new Set(root.entries.map((entry) => entry.key));
  const candidates = DEEPSPEED_TOP_LEVEL_KEYS.filter((key) => !present.has(key));
  for (const entry of root.entries) {
    if (DEEPSPEED_TOP_LEVEL_KEYS.includes(entry.key)) continue;
    const guess = closestMatch(entry.key, candidates);
    const batchHint =
      !guess && /batch/i.test(entry.key)
        ? ' The batch-size keys are `train_batch_size`, `train_micro_batch_size_per_gpu` and `gradient_accumulation_steps`.'
        : '';
    context.report(
      'OL301',
      entry.keySpan,
      `DeepSpeed has no top-level key \`${entry.key}\` and silently ignores it${guess ? `; did you mean \`${guess}\`?` : '.'}${batchHint}`,
      guess
        ? [
            {
              title: `Rename to \`${guess}\``,
              edits: [renameKeyEdit(context.model.tree.text, entry.keySpan, guess)],
              preferred: true,
            },
          ]
        : [],
    );
  }
};

export const deepSpeedBatchSizes: Rule = (context) => {
  const root = rootOf(context);
  if (!root) return;
  const train = entryOf(root, 'train_batch_size');
  const micro = numberAt(entryOf(root, 'train_micro_batch_size_per_gpu')?.value);
  const accumulation = numberAt(entryOf(root, 'gradient_accumulation_steps')?.value);
  const total = numberAt(train?.value);
  if (!train || total === undefined || (micro === undefined && accumulation === undefined)) return;
  const perGpu = (micro ?? 1) * (accumulation ?? 1);
  const span = train.value ?? train.keySpan;
  const parts = [
    micro !== undefined ? `train_micro_batch_size_per_gpu ${micro}` : '',
    accumulation !== undefined ? `gradient_accumulation_steps ${accumulation}` : '',
  ]
    .filter(Boolean)
    .join(' x ');
  if (perGpu <= 0 || total % perGpu !== 0) {
    context.report(
      'OL302',
      span,
      `train_batch_size ${total} is not a multiple of ${parts} = ${perGpu}: no number of GPUs makes DeepSpeed's check train_batch_size = micro batch x accumulation x GPUs pass.`,
    );
    return;
  }
  if (micro !== undefined && accumulation !== undefined) {
    const gpus = total / perGpu;
    context.report(
      'OL303',
      span,
      `train_batch_size ${total} = ${parts} x ${gpus} GPU${gpus === 1 ? '' : 's'}: DeepSpeed raises unless the run has exactly ${gpus} data-parallel rank${gpus === 1 ? '' : 's'}.`,
    );
  }
};

export const deepSpeedDeprecatedKeys: Rule = (context) => {
  const root = rootOf(context);
  const zero = root ? entryOf(root, 'zero_optimization')?.value : undefined;
  if (zero?.kind !== 'map') return;
  const json = context.model.tree.format === 'json';
  for (const entry of zero.entries) {
    const deprecated = DEEPSPEED_DEPRECATED_ZERO_KEYS[entry.key];
    if (!deprecated) continue;
    const enabled = entry.value?.kind === 'scalar' && entry.value.value === true;
    const fix =
      deprecated.fix && enabled && json
        ? [
            {
              title: `Replace with ${deprecated.replacement}`,
              edits: [{ start: entry.start, end: entry.end, newText: deprecated.fix }],
              preferred: true,
            },
          ]
        : [];
    context.report(
      'OL107',
      entry.keySpan,
      `\`zero_optimization.${entry.key}\` is deprecated: DeepSpeed still maps it, with a warning, to ${deprecated.replacement}.`,
      fix,
    );
  }
};

export const deepSpeedAdamMode: Rule = (context) => {
  const optimizer = context.model.optimizer;
  if (!optimizer || optimizer.typeName.toLowerCase() !== 'adam' || optimizer.entry?.name !== 'FusedAdam') return;
  const decay = optimizer.params.get('weight_decay');
  const decayValue = typeof decay?.value === 'number' ? decay.value : undefined;
  const mode = optimizer.params.get('adam_w_mode');
  if (decay === undefined || decayValue === undefined || decayValue <= 0) return;
  if (mode === undefined) {
    const json = context.model.tree.format === 'json';
    context.report(
      'OL304',
      optimizer.typeSpan,
      `DeepSpeed's "Adam" has adam_w_mode: true by default, so weight_decay ${formatNumber(decayValue)} is decoupled: this is AdamW, not torch.optim.Adam.`,
      [
        {
          title: 'Write "AdamW"',
          edits: [{ ...optimizer.typeSpan, newText: json ? '"AdamW"' : 'AdamW' }],
          preferred: true,
        },
      ],
    );
  } else if (mode.value === false) {
    context.report(
      'OL207',
      decay.keySpan,
      `With adam_w_mode: false, DeepSpeed's Adam adds weight_decay to the gradient (coupled L2), which the adaptive denominator rescales: large weights are decayed less. Decoupled decay is adam_w_mode: true (AdamW).`,
    );
  }
};

export const DEEPSPEED_RULES: readonly Rule[] = [
  deepSpeedAutoValues,
  deepSpeedUnknownKeys,
  deepSpeedBatchSizes,
  deepSpeedDeprecatedKeys,
  deepSpeedAdamMode,
];

// ------------------------------------------------------------------------------------------------ Lightning

export const lightningEpochInterval: Rule = (context) => {
  const scheduler = context.model.scheduler;
  if (context.model.dialect !== 'lightning' || !scheduler?.entry || scheduler.interval !== 'epoch') return;
  const run = lightningEpochs(rootOf(context));
  if (!sizedInSteps(scheduler, run)) return;
  const sized = scheduledLength(scheduler);
  if (!sized) return;
  const name = scheduler.entry.name;
  const what = sized.param
    ? `\`${sized.param.key}: ${formatNumber(sized.length)}\``
    : `${formatNumber(sized.length)} steps (its default)`;
  const epochs =
    run.source === 'max_epochs'
      ? `the run has ${formatNumber(run.epochs ?? 0)} epochs (trainer.max_epochs)`
      : run.source === 'default'
        ? `the run has Lightning's default of ${LIGHTNING_DEFAULT_MAX_EPOCHS} epochs (trainer.max_epochs is not set, unless your LightningCLI sets it in trainer_defaults)`
        : `the run ends after trainer.max_steps ${formatNumber(run.maxSteps ?? 0)} optimizer steps, which is at most that many epochs`;
  const evidence =
    run.maxSteps !== undefined && sized.length === run.maxSteps
      ? ` It equals trainer.max_steps, so it was meant in optimizer steps.`
      : sized.perBatch
        ? ' `steps_per_epoch` says it expects to be stepped per batch.'
        : '';
  const span = sized.param?.node ?? sized.param?.keySpan ?? scheduler.typeSpan;
  context.report(
    'OL310',
    span,
    `LightningCLI steps ${name} once per epoch, so ${what} counts epochs, but ${epochs}.${evidence} Size it in epochs, or step it per batch with \`"interval": "step"\` from your own configure_optimizers (LightningCLI's lr_scheduler: block cannot set the interval).`,
  );
};

export const lightningPlateauMonitor: Rule = (context) => {
  const scheduler = context.model.scheduler;
  if (!scheduler?.entry?.needsMetric || context.model.dialect !== 'lightning') return;
  const monitor = scheduler.node ? entryOf(scheduler.node, 'monitor') : undefined;
  if (monitor) return;
  const edit = scheduler.node
    ? insertEntryEdit(context.model.tree.text, scheduler.node, 'monitor', 'val_loss', false)
    : undefined;
  context.report(
    'OL311',
    scheduler.typeSpan,
    'ReduceLROnPlateau needs `monitor` (the logged metric to watch) in `init_args`; LightningCLI fails without it.',
    edit ? [{ title: 'Add `monitor: val_loss`', edits: [edit] }] : [],
  );
};

export const LIGHTNING_RULES: readonly Rule[] = [lightningEpochInterval, lightningPlateauMonitor];

// ------------------------------------------------------------------------------------------------ Hugging Face

function schedulerTypeEntry(root: MapNode): MapEntry | undefined {
  return entryOf(root, 'lr_scheduler_type') ?? entryOf(root, 'lr_scheduler');
}

const AXOLOTL_ONLY_SCHEDULERS = ['one_cycle', 'rex', 'log_sweep'];

export const huggingFaceSchedulerType: Rule = (context) => {
  const root = rootOf(context);
  const entry = root ? schedulerTypeEntry(root) : undefined;
  const node = entry?.value;
  if (!entry || node?.kind !== 'scalar' || typeof node.value !== 'string') return;
  const name = node.value;
  if (name in HF_SCHEDULER_TYPES || (entry.key === 'lr_scheduler' && AXOLOTL_ONLY_SCHEDULERS.includes(name))) return;
  const names = Object.keys(HF_SCHEDULER_TYPES);
  const guess = closestMatch(name, names);
  context.report(
    'OL323',
    node,
    `Unknown lr_scheduler_type '${name}'${guess ? `; did you mean '${guess}'?` : `. transformers knows ${names.join(', ')}.`}`,
    guess
      ? [
          {
            title: `Change to '${guess}'`,
            edits: [
              {
                start: node.start,
                end: node.end,
                newText: context.model.tree.format === 'json' ? `"${guess}"` : guess,
              },
            ],
            preferred: true,
          },
        ]
      : [],
  );
};

function warmupGiven(root: MapNode): MapEntry | undefined {
  for (const key of ['warmup_steps', 'warmup_ratio']) {
    const entry = entryOf(root, key);
    const value = numberAt(entry?.value);
    if (entry && value !== undefined && value > 0) return entry;
  }
  return undefined;
}

export const huggingFaceConstantWarmup: Rule = (context) => {
  const root = rootOf(context);
  if (!root || context.model.scheduler?.entry?.name !== 'hf.constant') return;
  const warmup = warmupGiven(root);
  const typeNode = schedulerTypeEntry(root)?.value;
  if (!warmup) return;
  const fix = typeNode
    ? [
        {
          title: 'Use constant_with_warmup',
          edits: [
            {
              start: typeNode.start,
              end: typeNode.end,
              newText: context.model.tree.format === 'json' ? '"constant_with_warmup"' : 'constant_with_warmup',
            },
          ],
          preferred: true,
        },
      ]
    : [];
  context.report(
    'OL320',
    warmup.keySpan,
    `lr_scheduler_type 'constant' has no warm-up: transformers ignores \`${warmup.key}\`. Use 'constant_with_warmup'.`,
    fix,
  );
};

export const huggingFaceMinLr: Rule = (context) => {
  const scheduler = context.model.scheduler;
  if (context.model.dialect !== 'hf' || scheduler?.entry?.name !== 'hf.cosine_with_min_lr') return;
  const given = ['min_lr', 'min_lr_rate'].filter((name) => scheduler.params.has(name));
  if (given.length === 1) return;
  const message =
    given.length === 0
      ? 'cosine_with_min_lr needs `min_lr` or `min_lr_rate` in `lr_scheduler_kwargs`: transformers raises ValueError without one.'
      : 'cosine_with_min_lr takes only one of `min_lr` and `min_lr_rate`: transformers raises ValueError when both are given.';
  context.report('OL321', scheduler.typeSpan, message);
};

export const huggingFacePlateauEval: Rule = (context) => {
  const root = rootOf(context);
  if (!root || context.model.scheduler?.entry?.name !== 'ReduceLROnPlateau') return;
  const strategy = entryOf(root, 'eval_strategy') ?? entryOf(root, 'evaluation_strategy');
  const value = strategy?.value?.kind === 'scalar' ? strategy.value.value : undefined;
  if (strategy && value !== 'no' && value !== false && value !== null) return;
  const typeNode = schedulerTypeEntry(root)?.value ?? root;
  context.report(
    'OL322',
    strategy?.value ?? typeNode,
    "reduce_lr_on_plateau is stepped with an evaluation metric: set `eval_strategy` to 'steps' or 'epoch' (TrainingArguments raises ValueError otherwise).",
  );
};

export const huggingFaceWarmupRatio: Rule = (context) => {
  const root = rootOf(context);
  const entry = root ? entryOf(root, 'warmup_ratio') : undefined;
  const value = numberAt(entry?.value);
  if (!entry || value === undefined || value <= 0 || entryOf(root as MapNode, 'lr_scheduler_type') === undefined)
    return;
  // axolotl has its own `warmup_ratio` and computes the warm-up itself: nothing deprecated there.
  if (hfProgramOf(context.model)?.warmupRatioIsTrainingArguments === false) return;
  context.report(
    'OL324',
    entry.keySpan,
    `warmup_ratio is deprecated since transformers 5.0 and removed in 5.2, where \`warmup_steps: ${value}\` (a float below 1) means the same ratio. transformers 4.x has no such float: there \`warmup_ratio\` is the way.`,
  );
};

export const huggingFaceWarmupStepsRatio: Rule = (context) => {
  const root = rootOf(context);
  const entry = root ? entryOf(root, 'warmup_steps') : undefined;
  const value = numberAt(entry?.value);
  if (!entry || value === undefined || value <= 0 || value >= 1) return;
  // Programs with their own warm-up keys (axolotl) do not hand this to TrainingArguments.
  if (hfProgramOf(context.model)?.warmupRatioIsTrainingArguments === false) return;
  context.report(
    'OL326',
    entry.keySpan,
    `\`warmup_steps: ${value}\` is ${Number((value * 100).toPrecision(6))}% of the run from transformers 5.0 on; transformers 4.x reads it as ${value} steps, that is no warm-up. On 4.x write \`warmup_ratio: ${value}\`.`,
  );
};

export const huggingFaceRunLength: Rule = (context) => {
  const scheduler = context.model.scheduler;
  if (context.model.dialect !== 'hf' || !scheduler) return;
  const derived = [...scheduler.params.values()].filter((param) => param.opaque === 'derived');
  if (derived.length === 0) return;
  const span = derived[0]?.keySpan ?? scheduler.typeSpan;
  context.report(
    'OL325',
    span,
    'The run length in optimizer steps is epochs x (dataset size / batch size / accumulation), which the file does not hold: set `max_steps` to check the warm-up and see the schedule.',
  );
};

export const HUGGING_FACE_RULES: readonly Rule[] = [
  huggingFaceSchedulerType,
  huggingFaceConstantWarmup,
  huggingFaceWarmupStepsRatio,
  huggingFaceMinLr,
  huggingFacePlateauEval,
  huggingFaceWarmupRatio,
  huggingFaceRunLength,
];

// ------------------------------------------------------------------------------------------------ Hydra

export const hydraPartial: Rule = (context) => {
  const optimizer = context.model.optimizer;
  if (!optimizer?.entry || !optimizer.node) return;
  const partial = entryOf(optimizer.node, '_partial_')?.value;
  if (partial?.kind === 'scalar' && (partial.value === true || partial.value === 'true' || partial.value === 'True'))
    return;
  // The parameters come from the config itself (`params: ${model.parameters}`, `$@model.parameters()`, `%params`, a
  // positional `_args_`): instantiate can build the optimizer at once.
  if (entryOf(optimizer.node, 'params') || entryOf(optimizer.node, '_args_')) return;
  const edit = insertEntryEdit(context.model.tree.text, optimizer.node, '_partial_', 'true', false);
  // Only a hint: the consuming code is not in the file, and it may well call `instantiate(cfg, params=model.parameters())`.
  context.report(
    'OL330',
    optimizer.typeSpan,
    `${optimizer.entry.name} needs the model parameters: unless the training code passes \`params\` to hydra.utils.instantiate, add \`_partial_: true\` so it returns a factory to call with them.`,
    edit ? [{ title: 'Add `_partial_: true`', edits: [edit], preferred: false }] : [],
  );
};

export const HYDRA_RULES: readonly Rule[] = [hydraPartial];
