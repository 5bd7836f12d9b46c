// Which program reads a Hugging Face-style recipe, recognised from its keys, and how that program reads the values.

import { entryOf, type MapNode } from '../syntax/tree';

/** A program that reads TrainingArguments-style YAML, with the facts the rules need about how it reads it. */
export interface HfProgram {
  readonly id: 'axolotl' | 'llama-factory' | 'trl' | 'alignment-handbook' | 'open-instruct' | 'transformers';
  /** For hover and messages. */
  readonly label: string;
  /**
   * Whether a PyYAML string such as `2e-5` still reaches the optimizer as a number: axolotl validates with pydantic
   * (and converts `learning_rate` explicitly), LLaMA-Factory loads YAML with OmegaConf (YAML 1.2 floats), TRL's
   * TrlParser sets the file's values as argparse defaults, which argparse converts with the field's type. Plain
   * HfArgumentParser.parse_yaml_file (and the H4 parsers of the older alignment-handbook and open-instruct) pass the
   * string through to the dataclass unchanged.
   */
  readonly coercesNumbers: boolean;
  /** Whether `warmup_ratio` is passed to transformers' TrainingArguments (axolotl computes its own warm-up). */
  readonly warmupRatioIsTrainingArguments: boolean;
}

const PROGRAMS: Readonly<Record<HfProgram['id'], HfProgram>> = {
  axolotl: {
    id: 'axolotl',
    label: 'axolotl config (pydantic schema)',
    coercesNumbers: true,
    warmupRatioIsTrainingArguments: false,
  },
  'llama-factory': {
    id: 'llama-factory',
    label: 'LLaMA-Factory config (OmegaConf + HfArgumentParser)',
    coercesNumbers: true,
    warmupRatioIsTrainingArguments: true,
  },
  trl: { id: 'trl', label: 'TRL config (TrlParser)', coercesNumbers: true, warmupRatioIsTrainingArguments: true },
  'alignment-handbook': {
    id: 'alignment-handbook',
    label: 'alignment-handbook recipe (H4ArgumentParser)',
    coercesNumbers: false,
    warmupRatioIsTrainingArguments: true,
  },
  'open-instruct': {
    id: 'open-instruct',
    label: 'open-instruct config (ArgumentParserPlus)',
    coercesNumbers: false,
    warmupRatioIsTrainingArguments: true,
  },
  transformers: {
    id: 'transformers',
    label: 'transformers TrainingArguments (HfArgumentParser.parse_yaml_file)',
    coercesNumbers: false,
    warmupRatioIsTrainingArguments: true,
  },
};

/** Keys only TRL's configs (SFTConfig, DPOConfig, GRPOConfig, ...) and its ModelConfig / ScriptArguments have. */
const TRL_KEYS: readonly string[] = [
  'beta',
  'max_prompt_length',
  'max_completion_length',
  'max_seq_length',
  'max_length',
  'packing',
  'loss_type',
  'dataset_text_field',
  'dataset_name',
  'dataset_mixture',
  'use_peft',
  'lora_r',
  'completion_only_loss',
  'assistant_only_loss',
  'num_generations',
  'ref_model_init_kwargs',
  'dataset_num_proc',
];

/** Switches of LLaMA-Factory's FinetuningArguments that replace the `optim` optimizer with another one. */
export const LLAMA_FACTORY_OPTIMIZER_SWITCHES: readonly string[] = [
  'use_galore',
  'use_apollo',
  'use_badam',
  'use_adam_mini',
  'use_muon',
];

export function detectHfProgram(root: MapNode): HfProgram {
  const has = (key: string): boolean => entryOf(root, key) !== undefined;
  if (
    has('base_model') &&
    ['micro_batch_size', 'num_epochs', 'adapter', 'datasets', 'sequence_len', 'optimizer', 'lr_scheduler'].some(has)
  )
    return PROGRAMS.axolotl;
  if (has('stage') && ['finetuning_type', 'template', 'cutoff_len'].some(has)) return PROGRAMS['llama-factory'];
  if (has('dataset_mixer_list') || has('dataset_mixer_list_splits')) return PROGRAMS['open-instruct'];
  if (has('dataset_mixer')) return PROGRAMS['alignment-handbook'];
  if (has('model_name_or_path') && TRL_KEYS.some(has)) return PROGRAMS.trl;
  return PROGRAMS.transformers;
}
