// Rules for torchtune recipe configs: what its recipes refuse or override, as read in pytorch/torchtune's source
// (`recipes/full_finetune_single_device.py`, `recipes/full_finetune_distributed.py`, `torchtune/config/_instantiate.py`).

import { opaqueKind } from '../dialects/common';
import { TORCHTUNE_RECIPE_SCHEDULER_ARGS } from '../dialects/torchtune';
import { entryOf, type MapEntry, type MapNode } from '../syntax/tree';
import type { Rule, RuleContext } from './context';

function rootOf(context: RuleContext): MapNode | null {
  const root = context.model.tree.root;
  return root?.kind === 'map' ? root : null;
}

/** An entry whose value is written and known: not null, not an interpolation or `???`. */
function knownEntry(root: MapNode, key: string): MapEntry | undefined {
  const entry = entryOf(root, key);
  if (!entry?.value || (entry.value.kind === 'scalar' && entry.value.value === null)) return undefined;
  return opaqueKind(entry.value, 'other') === undefined ? entry : undefined;
}

/**
 * The recipes that implement `optimizer_in_bwd` (the full and QAT fine-tuning recipes) raise RuntimeError when it is on
 * with gradient accumulation (`gradient_accumulation_steps > 1`) or with gradient clipping (`clip_grad_norm` not None):
 * the optimizer steps inside the backward pass, so there is no accumulated gradient to clip or to wait for.
 */
export const torchtuneOptimizerInBackward: Rule = (context) => {
  const root = rootOf(context);
  const switchEntry = root ? knownEntry(root, 'optimizer_in_bwd') : undefined;
  if (!root || !switchEntry || switchEntry.value?.kind !== 'scalar' || switchEntry.value.value !== true) return;
  const accumulation = knownEntry(root, 'gradient_accumulation_steps');
  const steps = accumulation?.value?.kind === 'scalar' ? accumulation.value.value : undefined;
  if (accumulation?.value && typeof steps === 'number' && steps > 1)
    context.report(
      'OL340',
      accumulation.value,
      `torchtune's recipes raise RuntimeError: gradient accumulation is not supported with \`optimizer_in_bwd: True\`. Set \`gradient_accumulation_steps: 1\`, or turn \`optimizer_in_bwd\` off.`,
    );
  const clipping = knownEntry(root, 'clip_grad_norm');
  if (clipping?.value)
    context.report(
      'OL340',
      clipping.value,
      `torchtune's recipes raise RuntimeError: gradient clipping is not supported with \`optimizer_in_bwd: True\`. Set \`clip_grad_norm: null\`, or turn \`optimizer_in_bwd\` off.`,
    );
};

/**
 * The recipes call the scheduler component as `component(optimizer, num_training_steps=..., last_epoch=...)`, so one
 * whose signature lacks either keyword (a torch.optim.lr_scheduler class has no `num_training_steps`) raises TypeError.
 */
export const torchtuneSchedulerSignature: Rule = (context) => {
  const scheduler = context.model.scheduler;
  const entry = scheduler?.entry;
  if (!scheduler || !entry) return;
  const missing = TORCHTUNE_RECIPE_SCHEDULER_ARGS.filter((name) => !entry.params.some((param) => param.name === name));
  if (missing.length === 0) return;
  context.report(
    'OL341',
    scheduler.typeSpan,
    `torchtune's recipes build the lr_scheduler with \`num_training_steps=\` and \`last_epoch=\`; ${entry.name} has no ${missing.map((name) => `\`${name}\``).join(' or ')} parameter, so it raises TypeError. Use torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup or a factory with that signature.`,
  );
};

/** `instantiate(cfg, ..., num_training_steps=..., last_epoch=...)` merges its keywords over the config: they win. */
export const torchtuneRecipeArgumentReplaced: Rule = (context) => {
  const node = context.model.scheduler?.node;
  if (!node) return;
  for (const name of TORCHTUNE_RECIPE_SCHEDULER_ARGS) {
    const entry = entryOf(node, name);
    if (!entry) continue;
    context.report(
      'OL342',
      entry.keySpan,
      `The recipe passes \`${name}\` to the scheduler itself (${name === 'num_training_steps' ? 'epochs x steps per epoch' : 'the last step when resuming'}), and torchtune's instantiate lets it replace this value: remove the key.`,
    );
  }
};

/** With `num_training_steps` derived by the recipe, the schedule's length depends on the dataset size. */
export const torchtuneRunLength: Rule = (context) => {
  const total = context.model.scheduler?.params.get('num_training_steps');
  if (total?.opaque !== 'derived') return;
  context.report(
    'OL343',
    context.model.scheduler!.typeSpan,
    'The recipe computes num_training_steps when it runs (the fine-tuning recipes: epochs x min(batches per epoch / gradient_accumulation_steps, max_steps_per_epoch)), and the number of batches depends on the dataset: the schedule is known only at run time.',
  );
};

export const TORCHTUNE_RULES: readonly Rule[] = [
  torchtuneOptimizerInBackward,
  torchtuneSchedulerSignature,
  torchtuneRecipeArgumentReplaced,
  torchtuneRunLength,
];
