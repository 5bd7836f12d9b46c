// The dialect names and the convert targets: one list each, from which every type and settings enum derives.

/** The config dialects the analysis reads (`optimizerLens.files.associations` values, `ConfigModel.dialect`). */
export const DIALECTS = ['optim', 'deepspeed', 'lightning', 'hf', 'hydra', 'torchtune'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The dialects a config can be converted to (Hydra has no fixed layout to write; a torchtune recipe config holds the
 * model, data and checkpointer too, which a conversion cannot make up). */
export const CONVERT_TARGETS = ['optim', 'deepspeed', 'lightning', 'hf'] as const satisfies readonly Dialect[];
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

/** What each convert target writes, in words (the editor's quick pick, the CLI's help). */
export const CONVERT_TARGET_DESCRIPTIONS: Readonly<Record<ConvertTarget, string>> = {
  optim: 'Optimizer Lens native format (*.optim.yaml)',
  deepspeed: 'DeepSpeed ds_config JSON',
  lightning: 'Lightning CLI YAML',
  hf: 'Hugging Face TrainingArguments YAML',
};

/**
 * Where each dialect writes its scheduler, as the end of "FILE has no scheduler…" (the CLI's `schedule`). A record,
 * so a new dialect cannot be added without saying it.
 */
export const NO_SCHEDULER_HINTS: Readonly<Record<Dialect, string>> = {
  optim: ' section',
  deepspeed: ' (a "scheduler": {"type": ..., "params": {...}} block)',
  lightning: ' (an lr_scheduler: block with class_path and init_args)',
  hf: ' it can draw (lr_scheduler_type)',
  hydra: ' (a block whose _target_ is a torch.optim.lr_scheduler, transformers or timm scheduler)',
  torchtune:
    ' (an lr_scheduler: block whose _component_ is torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup)',
};

/** The dialect `name` names, or undefined: for user input (settings, command-line flags). */
export function dialectNamed(name: unknown): Dialect | undefined {
  return DIALECTS.find((dialect) => dialect === name);
}

/** The convert target `name` names, or undefined: for user input (command-line flags, requests). */
export function convertTargetNamed(name: unknown): ConvertTarget | undefined {
  return CONVERT_TARGETS.find((target) => target === name);
}
