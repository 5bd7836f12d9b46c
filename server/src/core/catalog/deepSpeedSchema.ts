// DeepSpeed ds_config knowledge beyond the optimizer/scheduler entries: its top-level keys, deprecated ZeRO keys, and the
// JSON Schema (draft-07) of its optimizer/scheduler blocks, generated from the catalog.

import { OPTIMIZERS, SCHEDULERS } from './index';
import { paramSchema } from './jsonSchema';
import type { OptimizerEntry, ParamSpec, SchedulerEntry } from './types';

/** Where the generated schema lives, relative to the repository root. */
export const DEEPSPEED_SCHEMA_PATH = 'schemas/deepspeed.schema.json';
/** The command that rewrites it; staleness messages quote it. */
export const DEEPSPEED_SCHEMA_COMMAND = 'node --import tsx scripts/generateDeepSpeedSchema.ts';
export const DEEPSPEED_SCHEMA_ID = 'urn:optimizer-lens:schema:deepspeed';

/**
 * Top-level keys DeepSpeed reads (deepspeed/runtime/config.py and the per-feature config modules). Any other key is
 * silently ignored by DeepSpeed, which is how a typo such as `train_step_batch_size` goes unnoticed.
 */
export const DEEPSPEED_TOP_LEVEL_KEYS: readonly string[] = [
  'train_batch_size',
  'train_micro_batch_size_per_gpu',
  'gradient_accumulation_steps',
  'managed_gradient_accumulation',
  'optimizer',
  'scheduler',
  'fp16',
  'bf16',
  'bfloat16',
  'amp',
  'torch_autocast',
  'data_types',
  'gradient_clipping',
  'prescale_gradients',
  'gradient_predivide_factor',
  'gradient_allreduce_op',
  'sparse_gradients',
  'communication_data_type',
  'seq_parallel_communication_data_type',
  'zero_optimization',
  'zero_allow_untested_optimizer',
  'zero_force_ds_cpu_optimizer',
  'steps_per_print',
  'wall_clock_breakdown',
  'memory_breakdown',
  'dump_state',
  'disable_allgather',
  'graph_harvesting',
  'log_level',
  'dataloader_drop_last',
  'activation_checkpointing',
  'flops_profiler',
  'tensorboard',
  'wandb',
  'csv_monitor',
  'comet',
  'comms_logger',
  'aio',
  'elasticity',
  'autotuning',
  'pipeline',
  'progressive_layer_drop',
  'curriculum_learning',
  'data_efficiency',
  'compression_training',
  'weight_quantization',
  'quantize_training',
  'nebula',
  'checkpoint',
  'eigenvalue',
  'sparse_attention',
  'hybrid_engine',
  'tensor_parallel',
  'timers',
  'compile',
  'expert_parallel',
  'use_data_before_expert_parallelism',
  'sequence_parallel_size',
  'zenflow',
  'vocabulary_size',
  'legacy_fusion',
];

/** The batch-size keys, which DeepSpeed checks against each other: train = micro x accumulation x world size. */
export const DEEPSPEED_BATCH_KEYS = [
  'train_batch_size',
  'train_micro_batch_size_per_gpu',
  'gradient_accumulation_steps',
] as const;

/** Deprecated keys of `zero_optimization`, with what replaces them (DeepSpeed's ZeRO config still maps them, with a warning). */
export const DEEPSPEED_DEPRECATED_ZERO_KEYS: Readonly<
  Record<string, { readonly replacement: string; readonly fix?: string }>
> = {
  cpu_offload: { replacement: '`offload_optimizer: {"device": "cpu"}`', fix: '"offload_optimizer": {"device": "cpu"}' },
  cpu_offload_params: { replacement: '`offload_param: {"device": "cpu"}`', fix: '"offload_param": {"device": "cpu"}' },
  cpu_offload_use_pin_memory: { replacement: '`pin_memory: true` inside `offload_optimizer` / `offload_param`' },
};

/** The DeepSpeed optimizer entries, keyed by the canonical ds_config spelling of their type (the entries' `deepspeed.types`). */
function deepSpeedOptimizerTypes(): { readonly type: string; readonly entry: OptimizerEntry }[] {
  return OPTIMIZERS.flatMap((entry) => (entry.deepspeed?.types ?? []).map((type) => ({ type, entry })));
}

/** A case-insensitive regular expression for one type name, since DeepSpeed lower-cases optimizer types. */
function caseInsensitive(name: string): string {
  const letters = [...name].map((char) =>
    /[a-z]/i.test(char) ? `[${char.toLowerCase()}${char.toUpperCase()}]` : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return `^${letters.join('')}$`;
}

const AUTO: Record<string, unknown> = {
  const: 'auto',
  description:
    'Filled in by the Hugging Face Trainer / Accelerate DeepSpeed integration; plain deepspeed.initialize rejects it.',
};

function autoParam(param: ParamSpec): Record<string, unknown> {
  return { anyOf: [paramSchema(param), AUTO] };
}

function paramsObject(params: readonly ParamSpec[], extra: readonly ParamSpec[] = []): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const param of [...params, ...extra]) properties[param.name] = autoParam(param);
  const required = params.filter((param) => param.required).map((param) => param.name);
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

function optimizerBranch(type: string, entry: OptimizerEntry): Record<string, unknown> {
  return {
    if: { properties: { type: { type: 'string', pattern: caseInsensitive(type) } }, required: ['type'] },
    then: { properties: { params: { ...paramsObject(entry.params), description: `${entry.name}: ${entry.summary}` } } },
  };
}

function schedulerBranch(entry: SchedulerEntry): Record<string, unknown> {
  return {
    if: { properties: { type: { const: entry.name } }, required: ['type'] },
    then: { properties: { params: { ...paramsObject(entry.params), description: `${entry.name}: ${entry.summary}` } } },
  };
}

const COUNT = (description: string): Record<string, unknown> => ({
  anyOf: [{ type: 'integer', minimum: 1 }, AUTO],
  description,
});

/** The schema of the `optimizer` / `scheduler` blocks and batch-size keys of a ds_config; every other key is allowed. */
export function generateDeepSpeedSchema(): object {
  const optimizers = deepSpeedOptimizerTypes();
  const schedulers = SCHEDULERS.filter((entry) => entry.family === 'deepspeed');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: DEEPSPEED_SCHEMA_ID,
    title: 'DeepSpeed configuration (optimizer, scheduler and batch size)',
    description: `Generated from the Optimizer Lens catalog by ${DEEPSPEED_SCHEMA_COMMAND}. Do not edit by hand.`,
    type: 'object',
    properties: {
      train_batch_size: COUNT(
        'Global batch size: train_micro_batch_size_per_gpu x gradient_accumulation_steps x number of GPUs.',
      ),
      train_micro_batch_size_per_gpu: COUNT('Batch size of one forward/backward pass on one GPU.'),
      gradient_accumulation_steps: COUNT('Micro-batches accumulated before each optimizer step.'),
      gradient_clipping: {
        anyOf: [{ type: 'number', minimum: 0 }, AUTO],
        description: 'Gradient norm clipping threshold (0 disables it).',
      },
      optimizer: {
        type: 'object',
        description:
          'The optimizer DeepSpeed builds. `type` is matched case-insensitively; names DeepSpeed does not implement fall back to torch.optim.',
        properties: {
          type: { type: 'string', examples: optimizers.map((item) => item.type) },
          params: { type: 'object' },
        },
        required: ['type'],
        allOf: optimizers.map((item) => optimizerBranch(item.type, item.entry)),
      },
      scheduler: {
        type: 'object',
        description: "One of DeepSpeed's learning-rate schedules (deepspeed/runtime/lr_schedules.py).",
        properties: {
          type: { enum: schedulers.map((entry) => entry.name) },
          params: { type: 'object' },
        },
        required: ['type'],
        allOf: schedulers.map(schedulerBranch),
      },
    },
  };
}
