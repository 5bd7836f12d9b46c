// Every diagnostic code the linter can emit: stable codes, default severities and the text of docs/rules.md.

import type { RuleEntry, Severity } from './types';

/**
 * The rules table. `as const` keeps each code a literal, so `RuleCode` below is the union of the catalogued codes and
 * `context.report` refuses (at compile time) a code that is not here.
 */
export const RULES = [
  {
    code: 'OL001',
    name: 'syntax-error',
    severity: 'error',
    summary: 'The file is not valid YAML or JSON.',
    doc: 'The parser could not read part of the file. Analysis continues on what could be read, so other problems are still reported.',
  },
  {
    code: 'OL002',
    name: 'file-too-large',
    severity: 'warning',
    summary: 'The file is larger than the analysis limit.',
    doc: 'Files above `optimizerLens.maxFileSize` are not analysed, so that a huge file cannot stall the editor. Raise the setting if the file really is a config.',
  },
  {
    code: 'OL003',
    name: 'duplicate-key',
    severity: 'warning',
    summary: 'A key appears twice in the same mapping.',
    doc: 'YAML and JSON loaders keep the last value and silently drop the first. Remove one of them.',
  },
  {
    code: 'OL004',
    name: 'yaml11-float',
    severity: 'warning',
    summary: 'PyYAML reads this number as a string.',
    doc: "YAML 1.1 (PyYAML `yaml.safe_load`) only reads a number in scientific notation as a float when the mantissa has a dot and the exponent has a sign: `2e-5` is the *string* `\"2e-5\"`, `2.0e-5` is a float. YAML 1.2 loaders (OmegaConf, jsonargparse, the `yaml` package) read both as floats. `torch.optim` then fails with `TypeError: '<=' not supported between instances of 'float' and 'str'`, or worse, the string is passed through. The quick fix rewrites the literal as `2.0e-5`.",
  },
  {
    code: 'OL005',
    name: 'not-a-mapping',
    severity: 'error',
    summary: 'A section or block has the wrong shape.',
    doc: 'The top level of a config, and each of `optimizer:`, `scheduler:` and `training:`, must be a mapping of keys to values.',
  },
  {
    code: 'OL006',
    name: 'yaml11-bool',
    severity: 'info',
    summary: 'PyYAML reads this word as a boolean.',
    doc: 'YAML 1.1 reads `yes`, `no`, `on`, `off` (any case) as booleans, YAML 1.2 as strings. Quote the word if a string is meant (e.g. `save_strategy: "no"`).',
  },
  {
    code: 'OL100',
    name: 'unknown-section',
    severity: 'warning',
    summary: 'Unknown top-level key.',
    doc: 'The native format has the sections `optimizer`, `scheduler`, `training`, `range_test` and `simulate`. Any other key is ignored; it is probably a typo.',
  },
  {
    code: 'OL101',
    name: 'unknown-optimizer',
    severity: 'error',
    summary: 'The optimizer type is not known.',
    doc: 'The `type:` of `optimizer:` must name a `torch.optim` class (optionally as `torch.optim.<Name>`) or another catalogued optimizer. A close match is suggested and can be applied as a quick fix.',
  },
  {
    code: 'OL102',
    name: 'unknown-scheduler',
    severity: 'error',
    summary: 'The scheduler type is not known.',
    doc: 'The `type:` of `scheduler:` must name a `torch.optim.lr_scheduler` class, a Hugging Face schedule (`hf.<type>`) or a DeepSpeed schedule. `LambdaLR` and `MultiplicativeLR` take Python code and cannot be expressed in a config.',
  },
  {
    code: 'OL103',
    name: 'unknown-parameter',
    severity: 'error',
    summary: 'The optimizer or scheduler has no such parameter.',
    doc: 'PyTorch raises `TypeError: __init__() got an unexpected keyword argument` for an unknown keyword. A close match is suggested and can be applied as a quick fix.',
  },
  {
    code: 'OL104',
    name: 'wrong-type',
    severity: 'error',
    summary: 'A value has the wrong type.',
    doc: 'For example a list where a number is expected, or a string for an integer step count.',
  },
  {
    code: 'OL105',
    name: 'out-of-range',
    severity: 'error',
    summary: 'A value is outside the range the library accepts.',
    doc: 'For example a negative learning rate, `eps <= 0`, or `betas` outside `[0, 1)`. PyTorch raises `ValueError` for most of these at construction time.',
  },
  {
    code: 'OL106',
    name: 'missing-required',
    severity: 'error',
    summary: 'A required key is missing.',
    doc: 'A block without `type:`, or a required argument without a default (e.g. `step_size` of `StepLR`, `max_lr` of `OneCycleLR`).',
  },
  {
    code: 'OL107',
    name: 'deprecated-parameter',
    severity: 'warning',
    summary: 'The parameter is deprecated or ignored.',
    doc: 'The library still accepts it but ignores it or warns; the message says what to use instead.',
  },
  {
    code: 'OL108',
    name: 'torch-version',
    severity: 'error',
    summary: 'The keyword or class is not in the configured PyTorch version.',
    doc: "Each keyword and class of `torch.optim` is known with the PyTorch release that added it (and removed it). With `optimizerLens.torchVersion` set to an older release, a newer keyword (e.g. `fused` on AdamW before 2.0, `decoupled_weight_decay` on Adam before 2.7) or class (e.g. `Adafactor` before 2.5) raises `TypeError` / `AttributeError` there; a keyword removed before the configured release (the schedulers' `verbose`, removed in 2.7) raises `TypeError`. The message names the release. Set the setting to the PyTorch version you run (default: the newest).",
  },
  {
    code: 'OL200',
    name: 'warmup-beyond-run',
    severity: 'warning',
    summary: 'Warmup is as long as the run or longer.',
    doc: 'The learning rate never reaches its peak: the run ends while it is still warming up.',
  },
  {
    code: 'OL201',
    name: 'milestone-beyond-run',
    severity: 'warning',
    summary: 'A milestone lies at or past the end of the run.',
    doc: 'A milestone that the run never reaches has no effect. The quick fix clamps it to the last step.',
  },
  {
    code: 'OL202',
    name: 'sequential-milestones',
    severity: 'error',
    summary: 'SequentialLR milestones do not match its schedulers.',
    doc: '`SequentialLR` needs exactly one milestone fewer than schedulers (PyTorch raises `ValueError` otherwise), in increasing order.',
  },
  {
    code: 'OL203',
    name: 'onecycle-total-steps',
    severity: 'error',
    summary: 'OneCycleLR is sized for a different run length.',
    doc: '`OneCycleLR` raises `ValueError: Tried to step X times. The specified number of total steps is Y` once it is stepped past `total_steps` (or `epochs * steps_per_epoch`). A `total_steps` longer than the run never finishes the annealing phase.',
  },
  {
    code: 'OL204',
    name: 'onecycle-max-lr',
    severity: 'warning',
    summary: 'OneCycleLR max_lr disagrees with the optimizer lr.',
    doc: 'OneCycleLR ignores the optimizer lr and starts at `max_lr / div_factor`. A `max_lr` below the optimizer lr usually means the two were swapped or the lr was meant as the peak.',
  },
  {
    code: 'OL205',
    name: 'eta-min-above-base',
    severity: 'warning',
    summary: 'The minimum lr is above the starting lr.',
    doc: 'With `eta_min` above the optimizer lr, a cosine schedule *rises* instead of decaying.',
  },
  {
    code: 'OL206',
    name: 'cosine-period-shorter-than-run',
    severity: 'warning',
    summary: 'CosineAnnealingLR T_max is shorter than the run.',
    doc: "PyTorch's CosineAnnealingLR is periodic: after `T_max` steps the lr climbs back up to the base lr over the next `T_max` steps. Set `T_max` to the number of steps the scheduler runs for (the quick fix does), or use CosineAnnealingWarmRestarts if restarts are meant.",
  },
  {
    code: 'OL207',
    name: 'coupled-weight-decay',
    severity: 'warning',
    summary: 'Adaptive optimizer with coupled L2 weight decay.',
    doc: 'In `Adam`, `Adagrad`, `RMSprop` (and others) `weight_decay` adds `wd * x` to the gradient, which the adaptive denominator then rescales: large weights are decayed *less*. Decoupled decay (`AdamW`) is what most recipes mean (Loshchilov & Hutter, arXiv:1711.05101). The quick fix switches Adam to AdamW.',
  },
  {
    code: 'OL208',
    name: 'unusual-lr',
    severity: 'warning',
    summary: 'The learning rate is more than ten times outside the usual range for this optimizer.',
    doc: 'Each optimizer has a typical range (e.g. 5e-7..1e-2 for Adam and AdamW: the low end covers DPO and RL fine-tuning, where 5e-7 to 1e-6 are usual). A value more than 10x outside it is usually a typo (a missing minus sign in the exponent, or an SGD lr given to Adam) and diverges or does nothing.',
  },
  {
    code: 'OL209',
    name: 'momentum-unsupported',
    severity: 'error',
    summary: 'The optimizer has no momentum parameter.',
    doc: 'Only some optimizers (SGD, RMSprop) take `momentum`. The Adam family uses `betas[0]` instead; PyTorch raises `TypeError` for an unexpected `momentum`.',
  },
  {
    code: 'OL210',
    name: 'cycle-momentum-unsupported',
    severity: 'error',
    summary: 'The scheduler cycles momentum on an optimizer without momentum.',
    doc: '`CyclicLR` (and `OneCycleLR` without `betas`) cycle momentum by default (`cycle_momentum=True`); PyTorch raises `ValueError: optimizer must support momentum` otherwise. Set `cycle_momentum: false`.',
  },
  {
    code: 'OL211',
    name: 'schedule-does-not-decay',
    severity: 'warning',
    summary: 'A decaying schedule ends at or above where it starts.',
    doc: 'The scheduler is meant to lower the lr, but with these arguments the lr at the end of the run is not below the lr at the start.',
  },
  {
    code: 'OL212',
    name: 'plateau-in-composite',
    severity: 'error',
    summary: 'ReduceLROnPlateau inside SequentialLR or ChainedScheduler.',
    doc: 'ReduceLROnPlateau is not an `_LRScheduler` and needs a metric; PyTorch rejects it inside composites (or fails at `step()`).',
  },
  {
    code: 'OL213',
    name: 'schedule-error',
    severity: 'error',
    summary: 'PyTorch would raise while running this schedule.',
    doc: "Evaluating the schedule step by step with PyTorch's semantics hit an error (e.g. `T_mult < 1`, a division by zero, stepping OneCycleLR past its end). The message says at which step.",
  },
  {
    code: 'OL214',
    name: 'lambda-scheduler',
    severity: 'error',
    summary: 'This scheduler takes Python code.',
    doc: '`LambdaLR` and `MultiplicativeLR` take a Python function and cannot be written in a config. Use one of the named schedulers (or a Hugging Face `hf.*` schedule).',
  },
  {
    code: 'OL215',
    name: 'schedule-length-mismatch',
    severity: 'warning',
    summary: 'The schedule is sized for a different run length.',
    doc: 'A schedule with its own total length (`num_training_steps`, `total_num_steps`, `T_max` of a lone cosine, ...) that differs from `training:` either ends early (the lr then sits at its floor, often 0, for the rest of the run) or never finishes.',
  },
  {
    code: 'OL216',
    name: 'decay-never-happens',
    severity: 'warning',
    summary: 'The step-decay period is longer than the run.',
    doc: 'With `step_size` at or beyond the run length the lr never decays.',
  },
  {
    code: 'OL217',
    name: 'simulate-section',
    severity: 'error',
    summary: 'The `simulate:` section has a problem.',
    doc: 'A key of `simulate:` is unknown, has the wrong type or is out of range (see docs/simulate.md), or the simulation it asks for is larger than the limits (steps, grid cells x steps).',
  },
  {
    code: 'OL218',
    name: 'range-test-section',
    severity: 'error',
    summary: 'The `range_test:` section has a problem.',
    doc: 'A key of `range_test:` is unknown, has the wrong type or is out of range (see docs/range-test.md), e.g. `end_lr` not above `start_lr`, or a user task without `model`/`data`.',
  },
  {
    code: 'OL219',
    name: 'range-test-setting-ignored',
    severity: 'warning',
    summary: 'A `range_test:` setting is unknown or ignored by its task.',
    doc: 'The key is not a `range_test:` setting (a typo, or a key of another tool), or the chosen task does not read it: `model`, `data`, `loss` and `device` belong to `task: pytorch` (and `model`/`data` to `task: user`); `batch_size` only sizes the proxy tasks. The test still runs.',
  },
  {
    code: 'OL225',
    name: 'momentum-diverges',
    severity: 'error',
    summary: 'A momentum factor at or above 1.',
    doc: 'With momentum `mu` the buffer sums past gradients with weights `mu^k`; at `mu >= 1` they never fade, so the steps grow without bound and training diverges. PyTorch accepts such values (SGD, RMSprop and Muon only check `momentum >= 0`), so nothing else catches it. The usual values are 0.9 to 0.99.',
  },
  {
    code: 'OL226',
    name: 'invalid-combination',
    severity: 'error',
    summary: 'The library raises for this combination of arguments.',
    doc: "Some arguments are valid alone but not together: SGD's `nesterov: true` needs `momentum > 0` and `dampening: 0` (PyTorch raises ValueError), DeepSpeed's FusedAdam and FusedLamb do not support `amsgrad`. The same check refuses the configuration in `optlens simulate` and the range test.",
  },
  {
    code: 'OL300',
    name: 'deepspeed-auto-values',
    severity: 'info',
    summary: 'DeepSpeed `"auto"` values are only filled in under the Hugging Face / Accelerate integration.',
    doc: 'The Hugging Face Trainer and Accelerate replace `"auto"` with values from their own arguments (learning rate, warm-up, batch sizes) before they call DeepSpeed. `deepspeed.initialize` on its own rejects the string. Reported once per file; the values are not checked and the schedule is not drawn, because they are only known at run time.',
  },
  {
    code: 'OL301',
    name: 'deepspeed-unknown-key',
    severity: 'warning',
    summary: 'Unknown top-level key in a DeepSpeed config.',
    doc: 'DeepSpeed silently ignores keys it does not know, so a misspelt key (e.g. `train_step_batch_size`) has no effect. A close match is suggested.',
  },
  {
    code: 'OL302',
    name: 'deepspeed-batch-size',
    severity: 'error',
    summary: 'The DeepSpeed batch sizes cannot agree.',
    doc: 'DeepSpeed requires `train_batch_size == train_micro_batch_size_per_gpu * gradient_accumulation_steps * world_size` and raises an assertion otherwise. The world size is not in the file, so the check is that `train_batch_size` is a multiple of the other two.',
  },
  {
    code: 'OL303',
    name: 'deepspeed-implied-world-size',
    severity: 'hint',
    summary: 'The DeepSpeed batch sizes imply a number of GPUs.',
    doc: 'With all three batch-size keys given, the run only starts on `train_batch_size / (micro batch * accumulation)` GPUs. Shown as a hint so the number can be checked against the launcher.',
  },
  {
    code: 'OL304',
    name: 'deepspeed-adam-is-adamw',
    severity: 'info',
    summary: 'DeepSpeed `"type": "Adam"` uses decoupled weight decay by default.',
    doc: 'DeepSpeed\'s Adam has `adam_w_mode: true` by default, so `"type": "Adam"` with a weight decay is AdamW, not `torch.optim.Adam`. Write `"AdamW"` to say so, or set `adam_w_mode: false` for L2 decay.',
  },
  {
    code: 'OL310',
    name: 'lightning-epoch-interval',
    severity: 'warning',
    summary: 'A scheduler sized in steps is stepped once per epoch by Lightning.',
    doc: 'LightningCLI returns the scheduler without an `interval`, so Lightning steps it once per *epoch*. A OneCycleLR or CyclicLR sized in optimizer steps then barely moves (or, past `total_steps`, raises). Size it in epochs, or configure the scheduler in `configure_optimizers` with `"interval": "step"`.',
  },
  {
    code: 'OL311',
    name: 'lightning-plateau-monitor',
    severity: 'error',
    summary: 'ReduceLROnPlateau in a LightningCLI config needs `monitor`.',
    doc: "Lightning steps ReduceLROnPlateau with a logged metric; LightningCLI's ReduceLROnPlateau takes the metric name as `monitor` in `init_args` and fails without it.",
  },
  {
    code: 'OL320',
    name: 'hf-constant-ignores-warmup',
    severity: 'warning',
    summary: '`lr_scheduler_type: constant` ignores the warm-up.',
    doc: 'transformers builds `constant` without a warm-up, so `warmup_steps` / `warmup_ratio` have no effect. Use `constant_with_warmup`.',
  },
  {
    code: 'OL321',
    name: 'hf-min-lr-missing',
    severity: 'error',
    summary: '`cosine_with_min_lr` needs `min_lr` or `min_lr_rate`.',
    doc: 'transformers raises ValueError unless exactly one of `min_lr` and `min_lr_rate` is given in `lr_scheduler_kwargs`.',
  },
  {
    code: 'OL322',
    name: 'hf-plateau-needs-eval',
    severity: 'error',
    summary: '`reduce_lr_on_plateau` needs an evaluation strategy.',
    doc: 'The plateau scheduler is stepped with an evaluation metric; TrainingArguments raises ValueError when `eval_strategy` is `no` (the default).',
  },
  {
    code: 'OL323',
    name: 'hf-unknown-scheduler',
    severity: 'error',
    summary: 'Unknown `lr_scheduler_type`.',
    doc: "The value must be one of transformers' SchedulerType names. A close match is suggested.",
  },
  {
    code: 'OL324',
    name: 'hf-warmup-ratio',
    severity: 'info',
    summary: '`warmup_ratio` is deprecated in recent transformers.',
    doc: 'Recent transformers versions accept a float below 1 in `warmup_steps` as a ratio and deprecate `warmup_ratio`. Older versions only know `warmup_ratio`, so this is informational.',
  },
  {
    code: 'OL326',
    name: 'hf-warmup-steps-ratio',
    severity: 'info',
    summary: 'A float `warmup_steps` below 1 is a ratio only from transformers 5.0.',
    doc: 'From transformers 5.0, `warmup_steps` below 1 is a fraction of the run (what `warmup_ratio` was). transformers 4.x reads it as a number of steps, so `0.1` means a warm-up shorter than one step: no warm-up at all. Informational, since which version reads the file is not in it; on 4.x use `warmup_ratio`.',
  },
  {
    code: 'OL325',
    name: 'hf-run-length-unknown',
    severity: 'hint',
    summary: 'The run length depends on the dataset size.',
    doc: 'With `num_train_epochs` and no `max_steps`, the number of optimizer steps is epochs x (dataset size / batch size / accumulation), which the file does not hold. Warm-up ratios and the schedule cannot be checked; set `max_steps` to check them.',
  },
  {
    code: 'OL330',
    name: 'hydra-partial-missing',
    severity: 'hint',
    summary: 'A Hydra optimizer block without `_partial_: true`.',
    doc: 'An optimizer needs the model parameters, which the config cannot hold. With `_partial_: true`, `instantiate` returns a function that the code calls with `params`; without it, `instantiate` builds the optimizer at once and fails unless the code passes `params` to `instantiate` itself.',
  },
  {
    code: 'OL340',
    name: 'torchtune-optimizer-in-backward',
    severity: 'error',
    summary: '`optimizer_in_bwd: True` with gradient accumulation or gradient clipping.',
    doc: 'With `optimizer_in_bwd: True` torchtune steps the optimizer inside the backward pass, one parameter at a time, so there is no accumulated gradient to wait for or to clip. The recipes that implement it (`full_finetune_single_device`, `full_finetune_distributed`, the QAT recipes) raise RuntimeError when `gradient_accumulation_steps` is above 1 or `clip_grad_norm` is not null; the LoRA recipes do not read the key at all. Set `gradient_accumulation_steps: 1` and `clip_grad_norm: null`, or turn `optimizer_in_bwd` off.',
  },
  {
    code: 'OL341',
    name: 'torchtune-scheduler-signature',
    severity: 'error',
    summary: 'The lr_scheduler cannot take the arguments torchtune passes to it.',
    doc: "torchtune's recipes build the scheduler as `instantiate(cfg.lr_scheduler, optimizer, num_training_steps=epochs * steps_per_epoch, last_epoch=global_step - 1)`. A scheduler without a `num_training_steps` (or `last_epoch`) parameter, such as any `torch.optim.lr_scheduler` class, raises TypeError. Use `torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup`, or a factory of your own with that signature.",
  },
  {
    code: 'OL342',
    name: 'torchtune-recipe-argument-replaced',
    severity: 'warning',
    summary: 'A value the torchtune recipe replaces with its own.',
    doc: 'The recipe passes `num_training_steps` (epochs x steps per epoch) and `last_epoch` (the last step when resuming) to the scheduler as keyword arguments of `torchtune.config.instantiate`, which merges them over the config: a value written in `lr_scheduler:` for either is replaced. Remove the key; to shorten the run, set `epochs` or `max_steps_per_epoch`.',
  },
  {
    code: 'OL343',
    name: 'torchtune-run-length-unknown',
    severity: 'hint',
    summary: 'The schedule length of a torchtune run depends on the dataset size.',
    doc: 'The recipe passes `num_training_steps` to the scheduler when it runs: the fine-tuning recipes compute it as `epochs * min(len(dataloader) // gradient_accumulation_steps, max_steps_per_epoch)` (the PPO recipe from `num_steps`, `batch_size`, `ppo_epochs` and `ppo_batch_size`). The number of batches is not in the file, so the schedule is not drawn and its warm-up is not checked against the run.',
  },
] as const satisfies readonly RuleEntry[];

/** Every diagnostic code in the catalog, e.g. `'OL101'`. */
export type RuleCode = (typeof RULES)[number]['code'];

export function findRule(code: string): RuleEntry | undefined {
  return RULES.find((rule) => rule.code === code);
}

/** The catalog severity of a code; total, since `RuleCode` only holds codes of the table. */
export function ruleSeverity(code: RuleCode): Severity {
  const rule: RuleEntry | undefined = RULES.find((entry) => entry.code === code);
  return rule?.severity ?? 'error';
}

/** Whether a string (a user setting, a SARIF id) is a catalogued code. */
export function isRuleCode(code: string): code is RuleCode {
  return RULES.some((rule) => rule.code === code);
}
