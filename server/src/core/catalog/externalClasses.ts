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
