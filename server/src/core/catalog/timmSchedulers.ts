// Catalog entries for timm's schedulers (timm.scheduler): their keyword arguments and defaults as timm's sources define them.

import { NON_NEGATIVE, ONE, POSITIVE } from './bounds';
import type { ParamSpec, Reference, SchedulerEntry } from './types';

const TIMM_SOURCE = 'https://github.com/huggingface/pytorch-image-models/blob/main/timm/scheduler/';
const SGDR: Reference = {
  title: 'Loshchilov & Hutter, SGDR: Stochastic Gradient Descent with Warm Restarts (arXiv 1608.03983)',
  url: 'https://arxiv.org/abs/1608.03983',
};
const K_DECAY: Reference = {
  title: 'Zhang & Li, k-decay: A New Method For Learning Rate Schedule (arXiv 2004.05909)',
  url: 'https://arxiv.org/abs/2004.05909',
};
const HTD: Reference = {
  title: 'Hsueh et al., Stochastic Gradient Descent with Hyperbolic-Tangent Decay (arXiv 1806.01593)',
  url: 'https://arxiv.org/abs/1806.01593',
};

/** What every timm scheduler says about how it is stepped; the engine draws one point per `t`. */
const STEPPING = [
  'timm schedulers are stateless in `t`: the training loop calls `scheduler.step(epoch + 1)` at the end of each epoch and',
  '`scheduler.step_update(num_updates)` after each optimizer update; `t_in_epochs` (default true) decides which of the two',
  'moves the lr. So `t_initial`, `warmup_t` and `decay_t` count **epochs** unless `t_in_epochs: false`.',
  'Noise (`noise_range_t`) is random (seeded per `t`) and is not drawn.',
].join(' ');

function source(file: string, className: string): Reference {
  return { title: `timm source: timm/scheduler/${file} (${className})`, url: `${TIMM_SOURCE}${file}` };
}

function warmup(prefixDefault: boolean): ParamSpec[] {
  return [
    {
      name: 'warmup_t',
      type: 'integer',
      default: 0,
      min: NON_NEGATIVE,
      unit: 'steps',
      stepRole: 'warmup',
      doc: 'Length of the linear warm-up from `warmup_lr_init`, in `t` (epochs unless `t_in_epochs: false`).',
      synonyms: ['warmup_epochs', 'warmup_steps'],
    },
    {
      name: 'warmup_lr_init',
      type: 'number',
      default: 0,
      min: NON_NEGATIVE,
      unit: 'lr',
      doc: 'lr at `t = 0` when there is a warm-up.',
      synonyms: ['warmup_lr'],
    },
    {
      name: 'warmup_prefix',
      type: 'boolean',
      default: prefixDefault,
      doc: prefixDefault
        ? 'The schedule starts after the warm-up (`t - warmup_t`); the default here is true.'
        : 'When true, the schedule starts after the warm-up (`t - warmup_t`); when false (the default) the warm-up overlaps its first `warmup_t`.',
    },
  ];
}

const T_IN_EPOCHS: ParamSpec = {
  name: 't_in_epochs',
  type: 'boolean',
  default: true,
  doc: 'true: `t` counts epochs (`step(epoch)` moves the lr); false: `t` counts optimizer updates (`step_update(num_updates)` moves it).',
};

const NOISE: readonly ParamSpec[] = [
  {
    name: 'noise_range_t',
    type: 'any',
    default: null,
    doc: 'Apply lr noise for `t >= noise_range_t` (a number) or within `[a, b)` (a pair). Random, so not drawn.',
  },
  { name: 'noise_pct', type: 'number', default: 0.67, min: NON_NEGATIVE, doc: 'Noise limit as a fraction of the lr.' },
  { name: 'noise_std', type: 'number', default: 1.0, min: NON_NEGATIVE, doc: 'Noise standard deviation.' },
  { name: 'noise_seed', type: 'integer', default: 42, doc: 'Seed; the noise at `t` uses seed `noise_seed + t`.' },
];

const INITIALIZE: ParamSpec = {
  name: 'initialize',
  type: 'boolean',
  default: true,
  doc: 'Set `initial_lr` on the param groups (false when resuming).',
};

function cycles(): ParamSpec[] {
  return [
    {
      name: 't_initial',
      type: 'integer',
      required: true,
      min: ONE,
      unit: 'steps',
      stepRole: 'total',
      doc: 'Length of the first cycle, in `t` (epochs unless `t_in_epochs: false`). timm asserts it is > 0.',
      synonyms: ['num_epochs', 'T_max', 'total_steps'],
    },
    {
      name: 'lr_min',
      type: 'number',
      default: 0,
      min: NON_NEGATIVE,
      unit: 'lr',
      doc: 'lr at the end of each cycle, and after the last cycle.',
      synonyms: ['min_lr', 'eta_min'],
    },
    {
      name: 'cycle_mul',
      type: 'number',
      default: 1,
      min: POSITIVE,
      doc: 'Each cycle is `cycle_mul` times longer than the one before.',
    },
    {
      name: 'cycle_decay',
      type: 'number',
      default: 1,
      min: NON_NEGATIVE,
      doc: 'Each cycle starts at `cycle_decay ** i` times the base lr.',
    },
    {
      name: 'cycle_limit',
      type: 'integer',
      default: 1,
      min: NON_NEGATIVE,
      doc: 'Number of cycles; after the last one the lr stays at `lr_min`.',
    },
  ];
}

const K_DECAY_PARAM: ParamSpec = {
  name: 'k_decay',
  type: 'number',
  default: 1.0,
  min: POSITIVE,
  doc: 'k-decay exponent: the cycle position enters as `t_curr ** k / t_i ** k`.',
};

function timm(
  entry: Omit<SchedulerEntry, 'kind' | 'family' | 'composite' | 'cyclesMomentum' | 'overridesLr' | 'aliases'> & {
    readonly file: string;
  },
): SchedulerEntry {
  const { file, ...rest } = entry;
  const className = rest.name.slice('timm.'.length);
  return {
    kind: 'scheduler',
    family: 'timm',
    composite: false,
    cyclesMomentum: false,
    overridesLr: false,
    ...rest,
    aliases: [`timm.scheduler.${className}`, `timm.scheduler.${file.replace(/\.py$/, '')}.${className}`],
    doc: `${rest.doc}\n\n${STEPPING}`,
    references: [source(file, className), ...rest.references],
  };
}

const WARMUP_LINE = 'lr(t) = warmup_lr_init + t * (base_lr - warmup_lr_init) / warmup_t     for t < warmup_t';
const CYCLE_LINES = [
  'with warmup_prefix: t = t - warmup_t',
  'cycle_mul == 1: i = t // t_initial, t_i = t_initial, t_curr = t - i * t_initial',
  'cycle_mul != 1: i = floor(log(1 - t / t_initial * (1 - cycle_mul), cycle_mul)), t_i = cycle_mul ** i * t_initial',
  'lr_max = base_lr * cycle_decay ** i; after cycle_limit cycles lr = lr_min',
];

export function timmEntries(): SchedulerEntry[] {
  return [
    timm({
      name: 'timm.CosineLRScheduler',
      file: 'cosine_lr.py',
      summary:
        'timm: cosine decay from the base lr to lr_min over t_initial (epochs by default), with warm-up, restarts and k-decay.',
      doc: [
        '```',
        WARMUP_LINE,
        ...CYCLE_LINES,
        'lr(t) = lr_min + 0.5 * (lr_max - lr_min) * (1 + cos(pi * t_curr ** k / t_i ** k))',
        '```',
        '**Pitfalls:** with the default `warmup_prefix: false` the warm-up eats into the first cycle; with `cycle_limit: 1` the lr sits at `lr_min` from `t_initial` on.',
      ].join('\n'),
      references: [SGDR, K_DECAY],
      params: [...cycles(), ...warmup(false), T_IN_EPOCHS, ...NOISE, K_DECAY_PARAM, INITIALIZE],
      decays: true,
      needsMetric: false,
    }),
    timm({
      name: 'timm.TanhLRScheduler',
      file: 'tanh_lr.py',
      summary: 'timm: hyperbolic-tangent decay from the base lr to lr_min over t_initial, with warm-up and restarts.',
      doc: [
        '```',
        WARMUP_LINE,
        ...CYCLE_LINES,
        'lr(t) = lr_min + 0.5 * (lr_max - lr_min) * (1 - tanh(lb * (1 - t_curr / t_i) + ub * t_curr / t_i))',
        '```',
        "Without `warmup_prefix` the warm-up ramps to the tanh curve's value at `t = warmup_t`.",
      ].join('\n'),
      references: [HTD],
      params: [
        ...cycles(),
        {
          name: 'lb',
          type: 'number',
          default: -7,
          doc: 'Lower bound of the tanh argument (start of a cycle); must be below `ub`.',
        },
        { name: 'ub', type: 'number', default: 3, doc: 'Upper bound of the tanh argument (end of a cycle).' },
        ...warmup(false),
        T_IN_EPOCHS,
        ...NOISE,
        INITIALIZE,
      ],
      decays: true,
      needsMetric: false,
    }),
    timm({
      name: 'timm.PolyLRScheduler',
      file: 'poly_lr.py',
      summary:
        'timm: polynomial decay from the base lr to lr_min over t_initial (power 0.5 by default), with warm-up and restarts.',
      doc: [
        '```',
        WARMUP_LINE,
        ...CYCLE_LINES,
        'lr(t) = lr_min + (lr_max - lr_min) * (1 - t_curr ** k / t_i ** k) ** power',
        '```',
      ].join('\n'),
      references: [K_DECAY],
      params: [
        ...cycles(),
        {
          name: 'power',
          type: 'number',
          default: 0.5,
          min: NON_NEGATIVE,
          doc: "Exponent of the decay (timm's default 0.5 is a square root, not linear).",
        },
        ...warmup(false),
        T_IN_EPOCHS,
        ...NOISE,
        K_DECAY_PARAM,
        INITIALIZE,
      ],
      decays: true,
      needsMetric: false,
    }),
    timm({
      name: 'timm.StepLRScheduler',
      file: 'step_lr.py',
      summary: 'timm: multiply the lr by decay_rate every decay_t (epochs by default), after an optional warm-up.',
      doc: [
        '```',
        WARMUP_LINE,
        'with warmup_prefix (the default here): t = t - warmup_t',
        'lr(t) = base_lr * decay_rate ** (t // decay_t)',
        '```',
        '**Pitfalls:** `decay_rate` defaults to 1 (no decay).',
      ].join('\n'),
      references: [],
      params: [
        {
          name: 'decay_t',
          type: 'number',
          required: true,
          min: POSITIVE,
          unit: 'steps',
          stepRole: 'period',
          doc: 'Period of the decay, in `t` (epochs unless `t_in_epochs: false`).',
          synonyms: ['decay_epochs', 'step_size'],
        },
        {
          name: 'decay_rate',
          type: 'number',
          default: 1,
          min: NON_NEGATIVE,
          doc: 'Factor applied every `decay_t` (the default 1 never decays).',
          synonyms: ['gamma'],
        },
        ...warmup(true),
        T_IN_EPOCHS,
        ...NOISE,
        INITIALIZE,
      ],
      decays: true,
      needsMetric: false,
    }),
    timm({
      name: 'timm.MultiStepLRScheduler',
      file: 'multistep_lr.py',
      summary:
        'timm: multiply the lr by decay_rate at each milestone of decay_t (epochs by default), after an optional warm-up.',
      doc: [
        '```',
        WARMUP_LINE,
        'with warmup_prefix (the default here): t = t - warmup_t',
        'lr(t) = base_lr * decay_rate ** bisect_right(decay_t, t + 1)',
        '```',
        '**Pitfalls:** timm compares `t + 1` with the milestones, so the lr already drops at `t = milestone - 1`; `decay_rate` defaults to 1 (no decay).',
      ].join('\n'),
      references: [],
      params: [
        {
          name: 'decay_t',
          type: 'integerList',
          required: true,
          min: NON_NEGATIVE,
          unit: 'steps',
          stepRole: 'milestone',
          doc: 'Sorted milestones, in `t` (epochs unless `t_in_epochs: false`).',
          synonyms: ['decay_milestones', 'milestones'],
        },
        {
          name: 'decay_rate',
          type: 'number',
          default: 1,
          min: NON_NEGATIVE,
          doc: 'Factor applied at each milestone (the default 1 never decays).',
          synonyms: ['gamma'],
        },
        ...warmup(true),
        T_IN_EPOCHS,
        ...NOISE,
        INITIALIZE,
      ],
      decays: true,
      needsMetric: false,
    }),
    timm({
      name: 'timm.PlateauLRScheduler',
      file: 'plateau_lr.py',
      summary:
        "timm: warm-up, then torch's ReduceLROnPlateau on the metric given to step(epoch, metric) (mode max by default).",
      doc: [
        '```',
        'lr(t) = warmup_lr_init + t * (base_lr - warmup_lr_init) / warmup_t     for t <= warmup_t',
        'then ReduceLROnPlateau(factor=decay_rate, patience=patience_t, cooldown=cooldown_t, min_lr=lr_min, mode=mode)',
        '```',
        "**Pitfalls:** `mode` defaults to `max` (an accuracy), unlike torch's `min`; it steps per epoch only.",
      ].join('\n'),
      references: [],
      params: [
        {
          name: 'decay_rate',
          type: 'number',
          default: 0.1,
          min: NON_NEGATIVE,
          max: { value: 1, exclusive: true },
          doc: "Factor applied on a plateau (torch's `factor`).",
        },
        {
          name: 'patience_t',
          type: 'integer',
          default: 10,
          min: NON_NEGATIVE,
          unit: 'steps',
          doc: 'Epochs without improvement before a reduction.',
        },
        {
          name: 'threshold',
          type: 'number',
          default: 1e-4,
          min: NON_NEGATIVE,
          doc: 'Minimum relative change that counts as an improvement.',
        },
        {
          name: 'cooldown_t',
          type: 'integer',
          default: 0,
          min: NON_NEGATIVE,
          unit: 'steps',
          doc: 'Epochs to wait after a reduction.',
        },
        {
          name: 'warmup_t',
          type: 'integer',
          default: 0,
          min: NON_NEGATIVE,
          unit: 'steps',
          stepRole: 'warmup',
          doc: 'Epochs of linear warm-up from `warmup_lr_init`.',
        },
        {
          name: 'warmup_lr_init',
          type: 'number',
          default: 0,
          min: NON_NEGATIVE,
          unit: 'lr',
          doc: 'lr at epoch 0 when there is a warm-up.',
        },
        {
          name: 'lr_min',
          type: 'number',
          default: 0,
          min: NON_NEGATIVE,
          unit: 'lr',
          doc: "Floor of the reductions (torch's `min_lr`).",
        },
        {
          name: 'mode',
          type: 'enum',
          values: ['min', 'max'],
          default: 'max',
          doc: '`max` (the default) for accuracy-like metrics, `min` for losses.',
        },
        NOISE[0]!,
        {
          name: 'noise_type',
          type: 'enum',
          values: ['normal', 'uniform'],
          default: 'normal',
          doc: 'Distribution of the noise.',
        },
        ...NOISE.slice(1).map((spec) => (spec.name === 'noise_seed' ? { ...spec, default: null } : spec)),
        INITIALIZE,
      ],
      decays: true,
      needsMetric: true,
    }),
  ];
}
