// The names that exist in the modules a `class_path:` / `_target_:` can point into, whether or not the catalog models
// them: a name listed here is real (so never "unknown"), a name missing from a closed module is a typo that fails
// at import time. Python names are case-sensitive, and so is every look-up here.

/** A module whose public optimizer / scheduler names are all listed, so a name outside the list cannot be imported. */
export interface ClosedModule {
  /** Dotted prefixes that reach the module (its public path and the files it re-exports from). */
  readonly prefixes: readonly string[];
  readonly kind: 'optimizer' | 'scheduler';
  /** Every public class or factory of the module that a config may name, as of the newest release. */
  readonly names: readonly string[];
  /** For messages: what the module is. */
  readonly label: string;
}

/** `torch.optim` as of PyTorch 2.9 (Adafactor since 2.5, Muon since 2.9), and the base class. */
const TORCH_OPTIMIZERS: readonly string[] = [
  'Adadelta',
  'Adafactor',
  'Adagrad',
  'Adam',
  'AdamW',
  'Adamax',
  'ASGD',
  'LBFGS',
  'Muon',
  'NAdam',
  'Optimizer',
  'RAdam',
  'RMSprop',
  'Rprop',
  'SGD',
  'SparseAdam',
];

/** `torch.optim.lr_scheduler` as of PyTorch 2.9 (`LRScheduler` is public since 2.0; `_LRScheduler` is its old name). */
const TORCH_SCHEDULERS: readonly string[] = [
  'ChainedScheduler',
  'ConstantLR',
  'CosineAnnealingLR',
  'CosineAnnealingWarmRestarts',
  'CyclicLR',
  'ExponentialLR',
  'LambdaLR',
  'LinearLR',
  'LRScheduler',
  '_LRScheduler',
  'MultiplicativeLR',
  'MultiStepLR',
  'OneCycleLR',
  'PolynomialLR',
  'ReduceLROnPlateau',
  'SequentialLR',
  'StepLR',
];

/** The schedule factories of `transformers.optimization` (re-exported at the top level of `transformers`). */
export const TRANSFORMERS_SCHEDULE_FUNCTIONS: readonly string[] = [
  'get_constant_schedule',
  'get_constant_schedule_with_warmup',
  'get_cosine_schedule_with_warmup',
  'get_cosine_with_hard_restarts_schedule_with_warmup',
  'get_cosine_with_min_lr_schedule_with_warmup',
  'get_cosine_with_min_lr_schedule_with_warmup_lr_rate',
  'get_inverse_sqrt_schedule',
  'get_linear_schedule_with_warmup',
  'get_polynomial_decay_schedule_with_warmup',
  'get_reduce_on_plateau_schedule',
  'get_scheduler',
  'get_wsd_schedule',
];

/** `timm.scheduler`'s schedulers and factories. */
export const TIMM_SCHEDULERS: readonly string[] = [
  'CosineLRScheduler',
  'MultiStepLRScheduler',
  'PlateauLRScheduler',
  'PolyLRScheduler',
  'StepLRScheduler',
  'TanhLRScheduler',
  'Scheduler',
  'create_scheduler',
  'create_scheduler_v2',
  'scheduler_kwargs',
];

/**
 * `bitsandbytes.optim` as of bitsandbytes-foundation/bitsandbytes@95f9af3 (August 2026), from its `__init__.py`: the
 * 8-bit, 32-bit and paged variants of each optimizer. torchtune's configs name them in `optimizer._component_`.
 */
export const BITSANDBYTES_OPTIMIZERS: readonly string[] = [
  'Adagrad',
  'Adagrad8bit',
  'Adagrad32bit',
  'Adam',
  'Adam8bit',
  'Adam32bit',
  'PagedAdam',
  'PagedAdam8bit',
  'PagedAdam32bit',
  'AdamW',
  'AdamW8bit',
  'AdamW32bit',
  'PagedAdamW',
  'PagedAdamW8bit',
  'PagedAdamW32bit',
  'AdEMAMix',
  'AdEMAMix8bit',
  'AdEMAMix32bit',
  'PagedAdEMAMix',
  'PagedAdEMAMix8bit',
  'PagedAdEMAMix32bit',
  'LAMB',
  'LAMB8bit',
  'LAMB32bit',
  'LARS',
  'LARS8bit',
  'LARS32bit',
  'PytorchLARS',
  'GlobalOptimManager',
  'Lion',
  'Lion8bit',
  'Lion32bit',
  'PagedLion',
  'PagedLion8bit',
  'PagedLion32bit',
  'RMSprop',
  'RMSprop8bit',
  'RMSprop32bit',
  'SGD',
  'SGD8bit',
  'SGD32bit',
];

/**
 * `torchao.optim` as of pytorch/ao@36027d8 (August 2026), its `__all__`: low-bit Adam(W) and the CPU-offload wrapper.
 * (The older `torchao.prototype.low_bit_optim` path is not listed: it is left open.)
 */
export const TORCHAO_OPTIMIZERS: readonly string[] = [
  'Adam4bit',
  'Adam8bit',
  'AdamFp8',
  'AdamW4bit',
  'AdamW8bit',
  'AdamWFp8',
  '_AdamW',
  'CPUOffloadOptimizer',
];

/**
 * `torchtune.training.lr_schedulers` as of pytorch/torchtune@bd2a0fc (April 2026): its one schedule factory (the same
 * signature and formula as transformers' `get_cosine_schedule_with_warmup`) and the `get_lr` helper.
 */
export const TORCHTUNE_SCHEDULE_FUNCTIONS: readonly string[] = ['get_cosine_schedule_with_warmup', 'get_lr'];

/**
 * Names a package re-exports from an open module (one whose names are not all listed), mapped to their home in a closed
 * one: `torchtune.training` re-exports its schedule factory (torchtune/training/__init__.py).
 */
export const RE_EXPORTS: Readonly<Record<string, string>> = {
  'torchtune.training.get_cosine_schedule_with_warmup':
    'torchtune.training.lr_schedulers.get_cosine_schedule_with_warmup',
};

export const CLOSED_MODULES: readonly ClosedModule[] = [
  // The scheduler module first: `torch.optim.lr_scheduler.X` also starts with `torch.optim.`.
  {
    prefixes: ['torch.optim.lr_scheduler.'],
    kind: 'scheduler',
    names: TORCH_SCHEDULERS,
    label: 'torch.optim.lr_scheduler',
  },
  { prefixes: ['torch.optim.'], kind: 'optimizer', names: TORCH_OPTIMIZERS, label: 'torch.optim' },
  {
    prefixes: [
      'timm.scheduler.cosine_lr.',
      'timm.scheduler.tanh_lr.',
      'timm.scheduler.step_lr.',
      'timm.scheduler.multistep_lr.',
      'timm.scheduler.plateau_lr.',
      'timm.scheduler.poly_lr.',
      'timm.scheduler.scheduler_factory.',
      'timm.scheduler.',
    ],
    kind: 'scheduler',
    names: TIMM_SCHEDULERS,
    label: 'timm.scheduler',
  },
  {
    prefixes: ['transformers.optimization.get_', 'transformers.get_'],
    kind: 'scheduler',
    names: TRANSFORMERS_SCHEDULE_FUNCTIONS,
    label: 'transformers',
  },
  {
    prefixes: ['torchtune.training.lr_schedulers.'],
    kind: 'scheduler',
    names: TORCHTUNE_SCHEDULE_FUNCTIONS,
    label: 'torchtune.training.lr_schedulers',
  },
  { prefixes: ['bitsandbytes.optim.'], kind: 'optimizer', names: BITSANDBYTES_OPTIMIZERS, label: 'bitsandbytes.optim' },
  { prefixes: ['torchao.optim.'], kind: 'optimizer', names: TORCHAO_OPTIMIZERS, label: 'torchao.optim' },
];

/** Sub-modules of `torch.optim` that hold other things than optimizers (a dotted rest is not an optimizer name). */
export const TORCH_OPTIM_SUBMODULES: readonly string[] = [
  'lr_scheduler',
  'swa_utils',
  'optimizer',
  'adamw',
  'adam',
  'sgd',
  '_multi_tensor',
  'zero_redundancy_optimizer',
];

/**
 * Optimizers that wrap another optimizer: they take its class (`optimizer_class`, `base_optimizer`, ...) and its
 * arguments, so their own keys are not an optimizer's and they are never "unknown".
 */
export const WRAPPER_OPTIMIZERS: readonly string[] = [
  'torch.distributed.optim.ZeroRedundancyOptimizer',
  'torch.distributed.optim.zero_redundancy_optimizer.ZeroRedundancyOptimizer',
  'torch.distributed.optim.PostLocalSGDOptimizer',
  'timm.optim.Lookahead',
  'timm.optim.lookahead.Lookahead',
];

/** Keys under which a wrapper (or a project's own factory) receives the optimizer class it builds. */
export const OPTIMIZER_CLASS_KEYS: readonly string[] = [
  'optimizer_class',
  'optim_class',
  'base_optimizer',
  'optimizer_cls',
  'optimizer',
];
