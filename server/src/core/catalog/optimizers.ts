// Catalog entries for optimizers: torch.optim 1.13, DeepSpeed's ds_config optimizers and the simulator's teaching optimizers.
import { BELOW_ONE, NON_NEGATIVE, POSITIVE } from './bounds';
import type { OptimizerEntry, ParamSpec, Reference } from './types';

function lrParam(defaultValue: number | undefined): ParamSpec {
  if (defaultValue === undefined) {
    return {
      name: 'lr',
      type: 'number',
      required: true,
      min: NON_NEGATIVE,
      unit: 'lr',
      doc: 'Learning rate. Required: PyTorch 1.13 has no default for it.',
    };
  }
  return {
    name: 'lr',
    type: 'number',
    default: defaultValue,
    min: NON_NEGATIVE,
    unit: 'lr',
    doc: `Learning rate (default \`${defaultValue}\`).`,
  };
}

function betasParam(defaultValue: readonly [number, number] = [0.9, 0.999]): ParamSpec {
  return {
    name: 'betas',
    type: 'numberPair',
    default: defaultValue,
    min: NON_NEGATIVE,
    max: BELOW_ONE,
    doc: 'Decay rates `(beta1, beta2)` of the running averages of the gradient and of its square; each in [0, 1).',
  };
}

function epsParam(defaultValue: number, where: string): ParamSpec {
  return {
    name: 'eps',
    type: 'number',
    default: defaultValue,
    min: POSITIVE,
    doc: `Term for numerical stability, ${where}.`,
  };
}

function weightDecayParam(kind: 'l2' | 'decoupled', defaultValue = 0): ParamSpec {
  const doc =
    kind === 'l2'
      ? 'L2 penalty: `weight_decay * x` is added to the gradient before the update (coupled).'
      : 'Decoupled weight decay: the weights shrink by `lr * weight_decay` each step, outside the adaptive update.';
  return { name: 'weight_decay', type: 'number', default: defaultValue, min: NON_NEGATIVE, doc };
}

function flagParam(name: string, doc: string, defaultValue: boolean | null = false): ParamSpec {
  return { name, type: 'boolean', default: defaultValue, doc };
}

/** Implementation switches: they change how the step is computed, never its result, so the engines ignore them. */
const SAME_MATHS =
  "An implementation switch: the update is mathematically the same, so the simulator's numbers (PyTorch 1.13 maths) do not depend on it.";

const MAXIMIZE = flagParam('maximize', 'Maximize the objective instead of minimizing it.');
const FOREACH: ParamSpec = {
  name: 'foreach',
  type: 'boolean',
  default: null,
  doc: 'Use the multi-tensor (foreach) implementation; `None` picks the single-tensor path on CPU in 1.13.',
  engineNote: SAME_MATHS,
};
const DIFFERENTIABLE: ParamSpec = {
  ...flagParam('differentiable', 'Let autograd differentiate through the optimizer step (slower).'),
  engineNote: SAME_MATHS,
};
const CAPTURABLE: ParamSpec = {
  ...flagParam('capturable', 'Keep state on the device so the step can be captured in a CUDA graph.'),
  engineNote: SAME_MATHS,
};
const FUSED: ParamSpec = {
  name: 'fused',
  type: 'boolean',
  default: null,
  doc: 'Use the fused kernel (one kernel for the whole step; CUDA, and CPU in recent releases). `None` lets PyTorch choose.',
  engineNote: SAME_MATHS,
};

/** A keyword that appeared after PyTorch 1.13, in release `version`. */
function since(spec: ParamSpec, version: string): ParamSpec {
  return { ...spec, since: version };
}

const DECOUPLED_NOT_SIMULATED =
  'The simulator reproduces the PyTorch 1.13 update rule, which has no decoupled weight decay for this optimizer: with `decoupled_weight_decay: true` and a weight decay it refuses to run instead of drawing the coupled L2 curve.';

function decoupledWeightDecayParam(version: string, engineNote: string): ParamSpec {
  return {
    name: 'decoupled_weight_decay',
    type: 'boolean',
    default: false,
    since: version,
    doc: 'Apply `weight_decay` decoupled (AdamW-style: the weights shrink by `lr * weight_decay`) instead of as an L2 term in the gradient.',
    engineNote,
  };
}

function torchDocs(name: string): Reference {
  return {
    title: `torch.optim.${name} (PyTorch 1.13)`,
    url: `https://pytorch.org/docs/1.13/generated/torch.optim.${name}.html`,
  };
}

const ADAM_PAPER: Reference = {
  title: 'Kingma & Ba, Adam: A Method for Stochastic Optimization (arXiv 1412.6980)',
  url: 'https://arxiv.org/abs/1412.6980',
};
const ADAMW_PAPER: Reference = {
  title: 'Loshchilov & Hutter, Decoupled Weight Decay Regularization (arXiv 1711.05101)',
  url: 'https://arxiv.org/abs/1711.05101',
};
const AMSGRAD_PAPER: Reference = {
  title: 'Reddi, Kale & Kumar, On the Convergence of Adam and Beyond (ICLR 2018)',
  url: 'https://openreview.net/forum?id=ryQu7f-RZ',
};
const LAMB_PAPER: Reference = {
  title: 'You et al., Large Batch Optimization for Deep Learning: Training BERT in 76 minutes (arXiv 1904.00962)',
  url: 'https://arxiv.org/abs/1904.00962',
};
const LARS_PAPER: Reference = {
  title: 'You, Gitman & Ginsburg, Large Batch Training of Convolutional Networks (arXiv 1708.03888)',
  url: 'https://arxiv.org/abs/1708.03888',
};
const LION_PAPER: Reference = {
  title: 'Chen et al., Symbolic Discovery of Optimization Algorithms (arXiv 2302.06675)',
  url: 'https://arxiv.org/abs/2302.06675',
};
const DEEPSPEED_OPTIMIZER_DOCS: Reference = {
  title: 'DeepSpeed configuration: optimizer parameters',
  url: 'https://www.deepspeed.ai/docs/config-json/#optimizer-parameters',
};

/** DeepSpeed's Adam-family switches and the 1-bit optimizers' communication keywords, the same in each of them. */
const BIAS_CORRECTION = flagParam('bias_correction', "Apply Adam's bias correction.", true);
const EPS_INSIDE_SQRT = flagParam('eps_inside_sqrt', 'Add eps inside the square root instead.');
const ONE_BIT_FREEZE_STEP: ParamSpec = {
  name: 'freeze_step',
  type: 'integer',
  default: 100000,
  min: NON_NEGATIVE,
  unit: 'steps',
  doc: 'Uncompressed warm-up steps before compression starts.',
};
const ONE_BIT_MAX_GRAD_NORM: ParamSpec = {
  name: 'max_grad_norm',
  type: 'number',
  default: 0,
  min: NON_NEGATIVE,
  doc: 'Gradient-norm clipping threshold (0 disables it).',
};
const ONE_BIT_AMSGRAD = flagParam('amsgrad', 'Not supported.');
const CUDA_AWARE = flagParam('cuda_aware', 'The MPI library is CUDA-aware.');
const COMM_BACKEND_NAME: ParamSpec = {
  name: 'comm_backend_name',
  type: 'enum',
  values: ['nccl', 'mpi', 'hccl', 'compressed'],
  default: 'nccl',
  doc: 'Communication backend.',
};

const ADAM_MOMENTS = [
  'm = m*beta1 + (1 - beta1)*g',
  'v = v*beta2 + ((1 - beta2)*g)*g',
  'bias_correction1 = 1 - beta1**step',
  'bias_correction2 = 1 - beta2**step',
];

function code(lines: readonly string[]): string {
  return '```python\n' + lines.join('\n') + '\n```';
}

/**
 * transformers `optim` values that run AdamW's update: each implementation (torch, fused, XLA, NPU, apex,
 * bitsandbytes 8-bit, ...) keeps the arithmetic, and bitsandbytes' `paged_` variants too. `adamw_torch` (first) is
 * what convert writes. Other `optim` values (adafactor, galore_*, lomo, schedule_free_*, ...) stay opaque.
 */
const HF_ADAMW_IMPLEMENTATIONS = [
  'adamw_torch',
  'adamw',
  'adamw_torch_fused',
  'adamw_torch_xla',
  'adamw_torch_npu_fused',
  'adamw_torch_4bit',
  'adamw_torch_8bit',
  'adamw_apex_fused',
  'adamw_bnb_8bit',
  'adamw_8bit',
  'adamw_32bit',
  'adamw_hf',
  'adamw_anyprecision',
];
const HF_ADAMW_OPTIM: readonly string[] = [
  ...HF_ADAMW_IMPLEMENTATIONS,
  ...HF_ADAMW_IMPLEMENTATIONS.map((name) => `paged_${name}`),
];

export const OPTIMIZERS: readonly OptimizerEntry[] = [
  {
    kind: 'optimizer',
    name: 'SGD',
    library: 'torch',
    deepspeed: { write: 'SGD' },
    hfOptim: ['sgd'],
    summary: 'Stochastic gradient descent, optionally with (Nesterov) momentum.',
    doc: [
      '**Update rule** (PyTorch 1.13, per coordinate):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'if momentum != 0:',
        '    buf = g if step == 1 else buf*momentum + (1 - dampening)*g',
        '    d = g + momentum*buf if nesterov else buf',
        'else:',
        '    d = g',
        'x = x - lr*d',
      ]),
      '**When to use it:** vision models (ResNets), convex problems, when the best final accuracy matters more than tuning time.',
      '**Pitfalls:** `lr` has no default up to PyTorch 2.1 and must be given there (2.2 added the default `1e-3`). Dampening is not applied on the first step. `nesterov=True` requires `momentum > 0` and `dampening == 0`. With momentum `mu` the effective step is about `lr / (1 - mu)`: 10x larger at 0.9.',
    ].join('\n\n'),
    references: [
      torchDocs('SGD'),
      {
        title: 'Sutskever et al., On the importance of initialization and momentum in deep learning (ICML 2013)',
        url: 'https://proceedings.mlr.press/v28/sutskever13.html',
      },
    ],
    params: [
      {
        name: 'lr',
        type: 'number',
        default: 1e-3,
        requiredUntil: '2.2',
        min: NON_NEGATIVE,
        unit: 'lr',
        doc: 'Learning rate. Required up to PyTorch 2.1; the default is `1e-3` from 2.2 on (the simulator, which follows 1.13, still needs it).',
      },
      {
        name: 'momentum',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'Momentum factor (0 turns momentum off; 0.9 is common).',
      },
      {
        name: 'dampening',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        max: { value: 1 },
        doc: 'Dampening for momentum: the new gradient enters the buffer scaled by `1 - dampening` (not on the first step).',
      },
      weightDecayParam('l2'),
      flagParam('nesterov', 'Nesterov momentum; needs `momentum > 0` and `dampening == 0`.'),
      MAXIMIZE,
      FOREACH,
      DIFFERENTIABLE,
      since(FUSED, '2.3'),
    ],
    hasMomentum: true,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: false,
    typicalLr: [1e-4, 1],
  },
  {
    kind: 'optimizer',
    name: 'Adagrad',
    library: 'torch',
    deepspeed: { types: ['Adagrad'], write: 'Adagrad' },
    hfOptim: ['adagrad'],
    summary: 'Per-coordinate step sizes from the sum of all past squared gradients.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'clr = lr / (1 + (step - 1)*lr_decay)',
        'sum = sum + g*g                      # starts at initial_accumulator_value',
        'x = x + (-clr*g) / (sqrt(sum) + eps)',
      ]),
      '**When to use it:** sparse features (embeddings, linear models on text) where rare coordinates deserve larger steps.',
      '**Pitfalls:** the accumulator only grows, so the effective step shrinks forever and training can stall long before convergence; RMSprop and Adam fix this with a decaying average. `eps` is outside the square root.',
      'DeepSpeed also accepts `Adagrad` in ds_config (its CPU Adagrad with ZeRO-Offload).',
    ].join('\n\n'),
    references: [
      torchDocs('Adagrad'),
      {
        title:
          'Duchi, Hazan & Singer, Adaptive Subgradient Methods for Online Learning and Stochastic Optimization (JMLR 2011)',
        url: 'https://jmlr.org/papers/v12/duchi11a.html',
      },
    ],
    params: [
      lrParam(0.01),
      {
        name: 'lr_decay',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'The lr is divided by `1 + (step - 1) * lr_decay`.',
      },
      weightDecayParam('l2'),
      {
        name: 'initial_accumulator_value',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'Starting value of the sum of squared gradients.',
      },
      epsParam(1e-10, 'added to the square root of the accumulator'),
      FOREACH,
      MAXIMIZE,
      since(DIFFERENTIABLE, '2.0'),
      since(FUSED, '2.4'), // CPU fused Adagrad, pytorch/pytorch#124905 (May 2024, before the 2.4 branch cut)
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [1e-3, 1e-1],
  },
  {
    kind: 'optimizer',
    name: 'RMSprop',
    library: 'torch',
    deepspeed: { write: 'RMSprop' },
    hfOptim: ['rmsprop', 'rmsprop_bnb', 'rmsprop_bnb_8bit', 'rmsprop_bnb_32bit'],
    summary: 'Divides the gradient by a running root-mean-square of recent gradients.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'sq = sq*alpha + ((1 - alpha)*g)*g',
        'if centered:',
        '    ga = ga*alpha + (1 - alpha)*g',
        '    avg = sqrt(sq - ga*ga) + eps',
        'else:',
        '    avg = sqrt(sq) + eps',
        'if momentum > 0:',
        '    buf = buf*momentum + g/avg',
        '    x = x - lr*buf',
        'else:',
        '    x = x + (-lr*g)/avg',
      ]),
      '**When to use it:** recurrent networks and reinforcement learning (it was the standard for DQN/A3C).',
      "**Pitfalls:** PyTorch adds `eps` outside the square root, TensorFlow/Keras inside, so the same `eps` means different things; Keras' `rho` is PyTorch's `alpha`. There is no bias correction, so the first steps are large (the average starts at 0).",
    ].join('\n\n'),
    references: [
      torchDocs('RMSprop'),
      {
        title: 'Hinton, Neural Networks for Machine Learning, lecture 6e',
        url: 'https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf',
      },
      {
        title: 'Graves, Generating Sequences With Recurrent Neural Networks (arXiv 1308.0850), centered variant',
        url: 'https://arxiv.org/abs/1308.0850',
      },
    ],
    params: [
      lrParam(0.01),
      {
        name: 'alpha',
        type: 'number',
        default: 0.99,
        min: NON_NEGATIVE,
        max: { value: 1 },
        doc: 'Smoothing constant of the running average of squared gradients.',
      },
      epsParam(1e-8, 'added outside the square root'),
      weightDecayParam('l2'),
      {
        name: 'momentum',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'Momentum factor applied to the normalized gradient.',
      },
      flagParam('centered', 'Normalize by an estimate of the gradient variance (subtracts the squared mean).'),
      FOREACH,
      MAXIMIZE,
      DIFFERENTIABLE,
      since(CAPTURABLE, '2.4'), // pytorch/pytorch#122264, merged after the 2.3 branch cut
    ],
    hasMomentum: true,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'Adadelta',
    library: 'torch',
    deepspeed: { write: 'Adadelta' },
    summary: 'Step sizes from the ratio of running RMS of updates and of gradients (no lr needed in theory).',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'sq = sq*rho + ((1 - rho)*g)*g',
        'delta = sqrt(acc + eps) / sqrt(sq + eps) * g',
        'acc = acc*rho + ((1 - rho)*delta)*delta',
        'x = x - lr*delta',
      ]),
      '**When to use it:** rarely today; it is a robust choice when you cannot tune the learning rate.',
      '**Pitfalls:** `eps` is inside both square roots and sets the size of the very first steps (about `sqrt(eps)`), so progress is slow at the start. `lr` scales delta and should normally stay at 1.0.',
    ].join('\n\n'),
    references: [
      torchDocs('Adadelta'),
      {
        title: 'Zeiler, ADADELTA: An Adaptive Learning Rate Method (arXiv 1212.5701)',
        url: 'https://arxiv.org/abs/1212.5701',
      },
    ],
    params: [
      lrParam(1.0),
      {
        name: 'rho',
        type: 'number',
        default: 0.9,
        min: NON_NEGATIVE,
        max: { value: 1 },
        doc: 'Decay of the running averages of squared gradients and squared updates.',
      },
      epsParam(1e-6, 'inside both square roots'),
      weightDecayParam('l2'),
      FOREACH,
      MAXIMIZE,
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.4'), // pytorch/pytorch#122252 (tensor step + capturable), merged 2024-03-21
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [0.1, 1],
  },
  {
    kind: 'optimizer',
    name: 'Adam',
    library: 'torch',
    deepspeed: { write: 'Adam' },
    summary: 'Adaptive moment estimation: momentum plus per-coordinate RMS scaling, with bias correction.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled (not AdamW!)',
        ...ADAM_MOMENTS,
        'if amsgrad: v_max = max(v_max, v); v_used = v_max',
        'denom = sqrt(v_used)/sqrt(bias_correction2) + eps',
        'x = x + (-(lr/bias_correction1)*m) / denom',
      ]),
      '**When to use it:** the default for transformers, GANs and most new architectures; forgiving of the lr.',
      "**Pitfalls:** `weight_decay` here is coupled L2: it goes through the adaptive denominator, so large-gradient weights are barely decayed. For real weight decay use `AdamW`. `amsgrad=True` keeps the maximum of `v` and can slow training. DeepSpeed's `Adam` in ds_config is decoupled by default (`adam_w_mode: true`), unlike this class.",
    ].join('\n\n'),
    references: [torchDocs('Adam'), ADAM_PAPER, AMSGRAD_PAPER],
    params: [
      lrParam(1e-3),
      betasParam(),
      epsParam(1e-8, 'added to the bias-corrected square root of the second moment'),
      weightDecayParam('l2'),
      flagParam('amsgrad', 'Use the running maximum of the second moment (AMSGrad).'),
      FOREACH,
      MAXIMIZE,
      CAPTURABLE,
      DIFFERENTIABLE,
      {
        ...FUSED,
        default: false,
        doc: 'Use the fused kernel (CUDA tensors only in 1.13, where the default is `False`; `None` lets PyTorch choose from 2.0 on).',
      },
      decoupledWeightDecayParam(
        '2.7',
        'The simulator runs `Adam` with `decoupled_weight_decay: true` as its AdamW update rule (the same maths as torch.optim.AdamW).',
      ),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
    decoupledVariant: 'AdamW',
  },
  {
    kind: 'optimizer',
    name: 'AdamW',
    library: 'torch',
    deepspeed: { write: 'AdamW' },
    hfOptim: HF_ADAMW_OPTIM,
    summary: 'Adam with decoupled weight decay.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'x = x*(1 - lr*weight_decay)          # decoupled, before the Adam step',
        ...ADAM_MOMENTS,
        'if amsgrad: v_max = max(v_max, v); v_used = v_max',
        'denom = sqrt(v_used)/sqrt(bias_correction2) + eps',
        'x = x + (-(lr/bias_correction1)*m) / denom',
      ]),
      '**When to use it:** the standard for transformer pre-training and fine-tuning (weight_decay 0.01 to 0.1).',
      '**Pitfalls:** the default `weight_decay` is **0.01**, not 0 as in Adam. The decay is multiplied by `lr`, so a schedule also scales the decay; moving an Adam L2 value to AdamW unchanged gives a very different regularization.',
    ].join('\n\n'),
    references: [torchDocs('AdamW'), ADAMW_PAPER, ADAM_PAPER],
    params: [
      lrParam(1e-3),
      betasParam(),
      epsParam(1e-8, 'added to the bias-corrected square root of the second moment'),
      weightDecayParam('decoupled', 0.01),
      flagParam('amsgrad', 'Use the running maximum of the second moment (AMSGrad).'),
      MAXIMIZE,
      FOREACH,
      CAPTURABLE,
      since(DIFFERENTIABLE, '2.0'),
      since(FUSED, '2.0'),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'NAdam',
    library: 'torch',
    deepspeed: { write: 'NAdam' },
    summary: 'Adam with Nesterov momentum and a momentum warm-up schedule.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'mu      = beta1*(1 - 0.5*0.96**(step*momentum_decay))',
        'mu_next = beta1*(1 - 0.5*0.96**((step + 1)*momentum_decay))',
        'mu_product = mu_product*mu           # starts at 1',
        'm = m*beta1 + (1 - beta1)*g',
        'v = v*beta2 + ((1 - beta2)*g)*g',
        'denom = sqrt(v/(1 - beta2**step)) + eps',
        'x = x + ((-lr*(1 - mu)/(1 - mu_product))*g) / denom',
        'x = x + ((-lr*mu_next)/(1 - mu_product*mu*mu_next)*m) / denom   # sic: 1.13 counts mu twice here',
      ]),
      '**When to use it:** a drop-in for Adam that sometimes converges faster.',
      '**Pitfalls:** the default lr is 2e-3, not 1e-3. `weight_decay` is coupled L2 unless `decoupled_weight_decay: true` (PyTorch 2.1 and later; 1.13 has no such keyword). `momentum_decay` warms up beta1 over thousands of steps.',
    ].join('\n\n'),
    references: [
      torchDocs('NAdam'),
      {
        title: 'Dozat, Incorporating Nesterov Momentum into Adam (ICLR 2016 workshop)',
        url: 'https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ',
      },
    ],
    params: [
      lrParam(2e-3),
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      weightDecayParam('l2'),
      {
        name: 'momentum_decay',
        type: 'number',
        default: 4e-3,
        min: NON_NEGATIVE,
        doc: 'psi in the momentum schedule `mu_t = beta1 * (1 - 0.5 * 0.96^(t * psi))`.',
      },
      FOREACH,
      decoupledWeightDecayParam('2.1', DECOUPLED_NOT_SIMULATED),
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.1'),
      since(MAXIMIZE, '2.4'),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'RAdam',
    library: 'torch',
    deepspeed: { write: 'RAdam' },
    summary: 'Rectified Adam: momentum-only steps until the variance estimate is reliable, then rectified Adam steps.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        ...ADAM_MOMENTS,
        'm_hat = m / bias_correction1',
        'rho_inf = 2/(1 - beta2) - 1',
        'rho = rho_inf - 2*step*beta2**step / bias_correction2',
        'if rho > 5:',
        '    r = sqrt((rho - 4)*(rho - 2)*rho_inf / ((rho_inf - 4)*(rho_inf - 2)*rho))',
        '    x = x - m_hat*lr*(sqrt(bias_correction2)/(sqrt(v) + eps))*r',
        'else:',
        '    x = x - m_hat*lr                 # un-adapted SGD-with-momentum step',
      ]),
      '**When to use it:** as a warm-up-free alternative to Adam.',
      '**Pitfalls:** with beta2 = 0.999 the first 5 steps are plain momentum steps of size `lr * |m_hat|`, not normalized: on steep functions they are huge (a large gradient times lr). `decoupled_weight_decay` exists from PyTorch 2.1 on (not in 1.13).',
    ].join('\n\n'),
    references: [
      torchDocs('RAdam'),
      {
        title: 'Liu et al., On the Variance of the Adaptive Learning Rate and Beyond (arXiv 1908.03265)',
        url: 'https://arxiv.org/abs/1908.03265',
      },
    ],
    params: [
      lrParam(1e-3),
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      weightDecayParam('l2'),
      FOREACH,
      decoupledWeightDecayParam('2.1', DECOUPLED_NOT_SIMULATED),
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.3'), // pytorch/pytorch#117912 (Jan 2024); 2.1/2.2 RAdam has no capturable
      since(MAXIMIZE, '2.4'),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'Adamax',
    library: 'torch',
    deepspeed: { write: 'Adamax' },
    summary: 'Adam with the infinity norm in place of the RMS.',
    doc: [
      '**Update rule** (PyTorch 1.13):',
      code([
        'g = grad + weight_decay*x            # L2, coupled',
        'm = m*beta1 + (1 - beta1)*g',
        'u = max(u*beta2, abs(g) + eps)       # eps inside the max',
        'x = x + (-(lr/(1 - beta1**step))*m) / u',
      ]),
      "**When to use it:** embeddings and other sparse-ish problems where Adam's second moment is noisy.",
      '**Pitfalls:** the default lr is 2e-3. There is no bias correction for `u`.',
    ].join('\n\n'),
    references: [torchDocs('Adamax'), ADAM_PAPER],
    params: [
      lrParam(2e-3),
      betasParam(),
      epsParam(1e-8, 'added to |g| inside the max'),
      weightDecayParam('l2'),
      FOREACH,
      MAXIMIZE,
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.3'),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'SparseAdam',
    library: 'torch',
    summary:
      'Lazy Adam for sparse gradients (nn.Embedding(sparse=True)): only the rows present in the gradient are updated.',
    doc: [
      'Adam restricted to the non-zero rows of a sparse gradient: moments of absent rows are neither decayed nor used.',
      '**When to use it:** large embedding tables with `sparse=True`.',
      '**Pitfalls:** only accepts sparse gradients; there is no weight decay. The simulator does not run it.',
    ].join('\n\n'),
    references: [torchDocs('SparseAdam'), ADAM_PAPER],
    params: [lrParam(1e-3), betasParam(), epsParam(1e-8, 'added outside the square root'), MAXIMIZE],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'none',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'ASGD',
    library: 'torch',
    summary: 'Averaged SGD (Polyak-Ruppert averaging) with a decaying step size.',
    doc: [
      'SGD whose step size decays as `lr / (1 + lambd*lr*step)^alpha`, while an average of the iterates (`ax`) is kept from step `t0` on.',
      '**When to use it:** convex and online problems where averaging reduces the noise of the last iterate.',
      '**Pitfalls:** the averaged weights live in the optimizer state (`ax`), not in the model; you must copy them in yourself. The simulator does not run it.',
    ].join('\n\n'),
    references: [
      torchDocs('ASGD'),
      {
        title: 'Polyak & Juditsky, Acceleration of Stochastic Approximation by Averaging (1992)',
        url: 'https://doi.org/10.1137/0330046',
      },
    ],
    params: [
      lrParam(0.01),
      { name: 'lambd', type: 'number', default: 1e-4, min: NON_NEGATIVE, doc: 'Decay term of the step size.' },
      { name: 'alpha', type: 'number', default: 0.75, min: NON_NEGATIVE, doc: 'Power of the step-size decay.' },
      {
        name: 't0',
        type: 'number',
        default: 1e6,
        min: NON_NEGATIVE,
        unit: 'steps',
        doc: 'Step at which averaging starts.',
      },
      weightDecayParam('l2'),
      FOREACH,
      MAXIMIZE,
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.2'), // pytorch/pytorch#107857, merged Sep 2023 (after the 2.1 branch cut)
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: false,
    typicalLr: [1e-4, 1],
  },
  {
    kind: 'optimizer',
    name: 'Rprop',
    library: 'torch',
    summary:
      'Resilient backpropagation: per-coordinate step sizes grown or shrunk by the sign agreement of successive gradients.',
    doc: [
      'Each coordinate keeps its own step size: multiplied by `etas[1]` when the gradient keeps its sign, by `etas[0]` when it flips (and that step is skipped), clamped to `step_sizes`; the update is `-sign(g)*step_size`.',
      '**Update rule** (PyTorch 1.13, per coordinate):',
      code([
        'g = -grad if maximize else grad',
        'step_size = lr                       # once, at the first step',
        'factor = etaplus if g*prev > 0 else etaminus if g*prev < 0 else 1',
        'step_size = clamp(step_size*factor, step_size_min, step_size_max)',
        'if factor == etaminus: g = 0         # skip the step after a sign flip',
        'x = x - sign(g)*step_size',
        'prev = g',
      ]),
      '**When to use it:** full-batch training of small networks.',
      '**Pitfalls:** it only looks at gradient signs and does not work with mini-batches. The lr is only the initial step size: a scheduler changing it after the first step has no effect. There is no weight decay.',
    ].join('\n\n'),
    references: [
      torchDocs('Rprop'),
      {
        title:
          'Riedmiller & Braun, A direct adaptive method for faster backpropagation learning: the RPROP algorithm (1993)',
        url: 'https://doi.org/10.1109/ICNN.1993.298623',
      },
    ],
    params: [
      lrParam(0.01),
      {
        name: 'etas',
        type: 'numberPair',
        default: [0.5, 1.2],
        min: POSITIVE,
        doc: '`(etaminus, etaplus)`: step-size factors on a sign flip (< 1) and on agreement (> 1).',
      },
      {
        name: 'step_sizes',
        type: 'numberPair',
        default: [1e-6, 50],
        min: NON_NEGATIVE,
        doc: '`(min, max)` allowed step sizes.',
      },
      FOREACH,
      MAXIMIZE,
      since(DIFFERENTIABLE, '2.0'),
      since(CAPTURABLE, '2.4'), // pytorch/pytorch#122261, merged after the 2.3 branch cut
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: true,
    typicalLr: [1e-4, 1e-1],
  },
  {
    kind: 'optimizer',
    name: 'LBFGS',
    library: 'torch',
    summary: 'Limited-memory BFGS quasi-Newton method; needs a closure that re-evaluates the loss.',
    doc: [
      'Builds a low-rank inverse-Hessian approximation from the last `history_size` steps and runs up to `max_iter` inner iterations per `step(closure)`.',
      '**When to use it:** full-batch, deterministic, smooth problems (style transfer, small scientific models).',
      '**Pitfalls:** `step()` needs a closure; it supports a single parameter group; it is memory-hungry (`history_size` copies of the parameters) and behaves badly with noisy mini-batch gradients. The simulator does not run it.',
    ].join('\n\n'),
    references: [
      torchDocs('LBFGS'),
      {
        title: 'Nocedal & Wright, Numerical Optimization, chapter 7',
        url: 'https://doi.org/10.1007/978-0-387-40065-5',
      },
    ],
    params: [
      lrParam(1),
      {
        name: 'max_iter',
        type: 'integer',
        default: 20,
        min: { value: 1 },
        doc: 'Maximum inner iterations per `step()`.',
      },
      {
        name: 'max_eval',
        type: 'integer',
        doc: 'Maximum function evaluations per `step()` (default `max_iter * 1.25`).',
        default: null,
      },
      {
        name: 'tolerance_grad',
        type: 'number',
        default: 1e-7,
        min: NON_NEGATIVE,
        doc: 'Stop when the max-abs gradient is below this.',
      },
      {
        name: 'tolerance_change',
        type: 'number',
        default: 1e-9,
        min: NON_NEGATIVE,
        doc: 'Stop when the loss or parameter change is below this.',
      },
      { name: 'history_size', type: 'integer', default: 100, min: { value: 1 }, doc: 'Number of past updates kept.' },
      {
        name: 'line_search_fn',
        type: 'enum',
        values: ['strong_wolfe'],
        default: null,
        doc: '`strong_wolfe` or `None` (fixed step).',
      },
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: false,
    typicalLr: [0.01, 1],
  },
  {
    kind: 'optimizer',
    name: 'Adafactor',
    library: 'torch',
    since: '2.5',
    summary:
      'Adafactor: a factored (row and column) second moment instead of a full one, and no first moment; memory-light.',
    doc: [
      '**Update rule** (torch.optim.Adafactor, PyTorch 2.5 and later; for a matrix, per row `r` and column `c`):',
      code([
        'beta2_t = 1 - step**beta2_decay',
        'row = beta2_t*row + (1 - beta2_t)*mean_c(g*g)      # lerp towards the row means',
        'col = beta2_t*col + (1 - beta2_t)*mean_r(g*g)',
        'v = outer(row, col) / mean(row)',
        'rho = min(lr, 1/sqrt(step))',
        'alpha = max(eps2, rms(x)/d) * rho',
        'x = x*(1 - lr*weight_decay)                       # decoupled',
        'x = x - alpha * g/max(sqrt(v), eps1) / max(1, rms(update)/d)',
      ]),
      "**When to use it:** large models where Adam's second moment does not fit in memory (T5 was trained with it).",
      "**Pitfalls:** this is PyTorch's own Adafactor (2.5+), not `transformers.Adafactor`: there is no `relative_step`/`scale_parameter`/`warmup_init`, and the lr is capped by `1/sqrt(step)`. `eps` is a pair `(eps1, eps2)` whose first element may be `None`. The simulator does not run it.",
    ].join('\n\n'),
    references: [
      {
        title: 'torch.optim.Adafactor (PyTorch stable)',
        url: 'https://docs.pytorch.org/docs/stable/generated/torch.optim.Adafactor.html',
      },
      {
        title: 'Shazeer & Stern, Adafactor: Adaptive Learning Rates with Sublinear Memory Cost (arXiv 1804.04235)',
        url: 'https://arxiv.org/abs/1804.04235',
      },
    ],
    params: [
      lrParam(1e-2),
      {
        name: 'beta2_decay',
        type: 'number',
        default: -0.8,
        max: { value: 0 },
        doc: 'Decay rate of beta2: `beta2_t = 1 - step**beta2_decay`; must be <= 0.',
      },
      {
        name: 'eps',
        type: 'any',
        default: [null, 1e-3],
        doc: "`(eps1, eps2)`: eps1 bounds the denominator (None means the dtype's smallest value), eps2 the relative step size.",
      },
      { name: 'd', type: 'number', default: 1.0, min: POSITIVE, doc: "Clipping threshold of the update's RMS." },
      weightDecayParam('decoupled', 0),
      FOREACH,
      MAXIMIZE,
    ],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [1e-4, 1e-1],
  },
  {
    kind: 'optimizer',
    name: 'Muon',
    library: 'torch',
    since: '2.9',
    summary: 'Muon: SGD momentum orthogonalized by Newton-Schulz iterations, for 2-D weight matrices.',
    doc: [
      '**Update rule** (torch.optim.Muon, PyTorch 2.9 and later; 2-D parameters only):',
      code([
        'buf = momentum*buf + g',
        'u = g + momentum*buf if nesterov else buf',
        'o = newton_schulz(u, ns_coefficients, ns_steps, eps)   # ~ the nearest orthogonal matrix',
        'x = x*(1 - lr*weight_decay)                            # decoupled',
        'x = x - adjusted_lr*o',
      ]),
      '**When to use it:** the hidden weight matrices of transformers, with AdamW for embeddings, heads, norms and biases.',
      "**Pitfalls:** it raises for parameters that are not 2-D, so it needs its own parameter group. `adjust_lr_fn: match_rms_adamw` rescales the lr so AdamW's lr and weight decay can be reused. Momentum at or above 1 diverges. The simulator does not run it.",
    ].join('\n\n'),
    references: [
      {
        title: 'torch.optim.Muon (PyTorch stable)',
        url: 'https://docs.pytorch.org/docs/stable/generated/torch.optim.Muon.html',
      },
      {
        title: 'Jordan et al., Muon: An optimizer for hidden layers in neural networks',
        url: 'https://kellerjordan.github.io/posts/muon/',
      },
    ],
    params: [
      lrParam(1e-3),
      weightDecayParam('decoupled', 0.1),
      { name: 'momentum', type: 'number', default: 0.95, min: NON_NEGATIVE, doc: 'Momentum factor.' },
      flagParam('nesterov', 'Nesterov momentum.', true),
      {
        name: 'ns_coefficients',
        type: 'numberList',
        default: [3.4445, -4.775, 2.0315],
        doc: 'Coefficients `(a, b, c)` of the quintic Newton-Schulz iteration.',
      },
      {
        name: 'eps',
        type: 'number',
        default: 1e-7,
        min: POSITIVE,
        doc: 'Added to the norm before the Newton-Schulz iteration.',
      },
      { name: 'ns_steps', type: 'integer', default: 5, min: { value: 1 }, doc: 'Newton-Schulz iterations per step.' },
      {
        name: 'adjust_lr_fn',
        type: 'enum',
        values: ['original', 'match_rms_adamw'],
        default: null,
        doc: "How the lr is scaled by the matrix shape: `original` (Keller Jordan's) or `match_rms_adamw` (Moonshot's, to reuse AdamW hyperparameters).",
      },
    ],
    hasMomentum: true,
    hasBetas: false,
    weightDecay: 'decoupled',
    adaptive: false,
    typicalLr: [1e-4, 1e-1],
  },
  {
    kind: 'optimizer',
    name: 'FusedAdam',
    library: 'deepspeed',
    deepspeed: { types: ['Adam', 'AdamW'] },
    torchEquivalent: {
      classPath: 'torch.optim.AdamW',
      whenFalse: { param: 'adam_w_mode', classPath: 'torch.optim.Adam' },
      dropParams: ['adam_w_mode', 'bias_correction', 'torch_adam', 'set_grad_none'],
    },
    aliases: ['DeepSpeedCPUAdam', 'DeepSpeedAdam'],
    summary: 'DeepSpeed\'s Adam (ds_config `"type": "Adam"` or `"AdamW"`): decoupled weight decay by default.',
    doc: [
      'What DeepSpeed builds for ds_config `"type": "Adam"` / `"AdamW"` (FusedAdam on GPU, DeepSpeedCPUAdam with ZeRO-Offload).',
      code([
        'if adam_w_mode: x = x*(1 - lr*weight_decay)     # decoupled (default!)',
        'else:           g = grad + weight_decay*x        # L2',
        'm = m*beta1 + (1 - beta1)*g; v = v*beta2 + (1 - beta2)*g*g',
        'x = x - lr * (m/bias_correction1) / (sqrt(v/bias_correction2) + eps)',
      ]),
      '**Pitfalls:** `adam_w_mode` defaults to **true**, so ds_config `Adam` with `weight_decay` is AdamW, not torch.optim.Adam. `"type": "AdamW"` forces it on. `torch_adam: true` uses torch.optim.Adam/AdamW instead of the fused kernel.',
    ].join('\n\n'),
    references: [DEEPSPEED_OPTIMIZER_DOCS, ADAM_PAPER, ADAMW_PAPER],
    params: [
      lrParam(1e-3),
      BIAS_CORRECTION,
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      {
        name: 'weight_decay',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'Weight decay; decoupled when `adam_w_mode` is true (the default), L2 otherwise.',
      },
      flagParam('adam_w_mode', 'Decoupled (AdamW-style) weight decay. Default **true** in DeepSpeed.', true),
      flagParam('torch_adam', "Use torch.optim.Adam/AdamW instead of DeepSpeed's fused kernel."),
      flagParam('amsgrad', 'Not supported by FusedAdam.'),
      flagParam('set_grad_none', 'Set gradients to None in `zero_grad()`.', true),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'Lamb',
    library: 'deepspeed',
    deepspeed: { types: ['Lamb'], write: 'Lamb' },
    aliases: ['FusedLamb', 'LAMB'],
    summary: 'LAMB: Adam direction scaled per layer by the trust ratio ||w|| / ||update|| (DeepSpeed FusedLamb).',
    doc: [
      '**Update rule** (per layer / block of coordinates):',
      code([
        'm = m*beta1 + (1 - beta1)*g; v = v*beta2 + (1 - beta2)*g*g',
        'r = (m/bias_correction1) / (sqrt(v/bias_correction2) + eps) + weight_decay*x',
        'trust = clamp(norm(x)/norm(r), min_coeff, max_coeff)   # 1 when a norm is 0',
        'x = x - lr*trust*r',
      ]),
      '**When to use it:** very large batch pre-training (BERT with batch 32k+).',
      "**Pitfalls:** the trust ratio makes each layer move about `lr * ||w||` per step regardless of the gradient scale, so lr means something different from Adam's. Exclude biases and norms from weight decay and from the ratio. In the simulator, blocks of coordinates stand for layers.",
    ].join('\n\n'),
    references: [LAMB_PAPER, DEEPSPEED_OPTIMIZER_DOCS],
    params: [
      lrParam(1e-3),
      BIAS_CORRECTION,
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      EPS_INSIDE_SQRT,
      weightDecayParam('decoupled'),
      {
        name: 'max_grad_norm',
        type: 'number',
        default: 0,
        min: NON_NEGATIVE,
        doc: 'Global gradient-norm clipping threshold (0 disables it).',
      },
      { name: 'max_coeff', type: 'number', default: 10.0, min: POSITIVE, doc: 'Upper clamp of the trust ratio.' },
      { name: 'min_coeff', type: 'number', default: 0.01, min: NON_NEGATIVE, doc: 'Lower clamp of the trust ratio.' },
      flagParam('amsgrad', 'Not supported by FusedLamb.'),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [1e-4, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'OneBitAdam',
    library: 'deepspeed',
    deepspeed: { types: ['OneBitAdam'], write: 'OneBitAdam' },
    aliases: ['OnebitAdam'],
    summary: 'DeepSpeed 1-bit Adam: Adam warm-up, then frozen variance and 1-bit compressed momentum communication.',
    doc: [
      'Runs plain Adam for `freeze_step` steps, then freezes the second moment and communicates the momentum compressed to one bit per value with error feedback.',
      '**Pitfalls:** `freeze_step` must cover the phase where the variance is still changing (typically 15-25% of training); too small hurts convergence. `amsgrad` is not supported. Needs NCCL or MPI. The simulator does not run it.',
    ].join('\n\n'),
    references: [
      { title: 'Tang et al., 1-bit Adam (arXiv 2102.02888)', url: 'https://arxiv.org/abs/2102.02888' },
      DEEPSPEED_OPTIMIZER_DOCS,
    ],
    params: [
      lrParam(1e-3),
      ONE_BIT_FREEZE_STEP,
      BIAS_CORRECTION,
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      EPS_INSIDE_SQRT,
      weightDecayParam('decoupled'),
      ONE_BIT_MAX_GRAD_NORM,
      ONE_BIT_AMSGRAD,
      CUDA_AWARE,
      COMM_BACKEND_NAME,
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'ZeroOneAdam',
    library: 'deepspeed',
    deepspeed: { types: ['ZeroOneAdam'], write: 'ZeroOneAdam' },
    summary: 'DeepSpeed 0/1 Adam: adaptive variance freezing and local steps with 1-bit communication.',
    doc: [
      'A successor of 1-bit Adam that updates the variance only at growing intervals and skips communication with local steps.',
      '**Pitfalls:** `var_freeze_step`, `var_update_scaler`, `local_step_scaler` and `local_step_clipper` interact; start from the tutorial values. The simulator does not run it.',
    ].join('\n\n'),
    references: [
      {
        title:
          'Lu et al., Maximizing Communication Efficiency for Large-scale Training via 0/1 Adam (arXiv 2202.06009)',
        url: 'https://arxiv.org/abs/2202.06009',
      },
      DEEPSPEED_OPTIMIZER_DOCS,
    ],
    params: [
      lrParam(1e-3),
      BIAS_CORRECTION,
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      EPS_INSIDE_SQRT,
      weightDecayParam('decoupled'),
      ONE_BIT_MAX_GRAD_NORM,
      {
        name: 'var_freeze_step',
        type: 'integer',
        default: 100000,
        min: NON_NEGATIVE,
        unit: 'steps',
        doc: 'Step after which the variance is frozen.',
      },
      {
        name: 'var_update_scaler',
        type: 'integer',
        default: 16,
        min: { value: 1 },
        doc: 'Growth of the interval between variance updates.',
      },
      {
        name: 'local_step_scaler',
        type: 'integer',
        default: 32678,
        min: { value: 1 },
        doc: 'Growth of the interval between synchronizations.',
      },
      {
        name: 'local_step_clipper',
        type: 'integer',
        default: 16,
        min: { value: 1 },
        doc: 'Maximum interval between synchronizations.',
      },
      ONE_BIT_AMSGRAD,
      CUDA_AWARE,
      COMM_BACKEND_NAME,
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'OneBitLamb',
    library: 'deepspeed',
    deepspeed: { types: ['OneBitLamb'], write: 'OneBitLamb' },
    aliases: ['OnebitLamb'],
    summary:
      'DeepSpeed 1-bit LAMB: LAMB warm-up, then compressed momentum communication with frozen layer-wise scaling.',
    doc: [
      'LAMB for `freeze_step` steps, then 1-bit compressed communication with the trust-ratio scaling factors frozen and adjusted within `[factor_min, factor_max]`.',
      '**Pitfalls:** as for 1-bit Adam, `freeze_step` must cover the warm-up. The simulator does not run it.',
    ].join('\n\n'),
    references: [
      { title: 'Li et al., 1-bit LAMB (arXiv 2104.06069)', url: 'https://arxiv.org/abs/2104.06069' },
      LAMB_PAPER,
      DEEPSPEED_OPTIMIZER_DOCS,
    ],
    params: [
      lrParam(1e-3),
      ONE_BIT_FREEZE_STEP,
      BIAS_CORRECTION,
      betasParam(),
      epsParam(1e-8, 'added outside the square root'),
      EPS_INSIDE_SQRT,
      weightDecayParam('decoupled'),
      ONE_BIT_MAX_GRAD_NORM,
      { name: 'max_coeff', type: 'number', default: 10.0, min: POSITIVE, doc: 'Upper clamp of the trust ratio.' },
      { name: 'min_coeff', type: 'number', default: 0.01, min: NON_NEGATIVE, doc: 'Lower clamp of the trust ratio.' },
      ONE_BIT_AMSGRAD,
      CUDA_AWARE,
      COMM_BACKEND_NAME,
      {
        name: 'coeff_beta',
        type: 'number',
        default: 0.9,
        min: NON_NEGATIVE,
        max: BELOW_ONE,
        doc: 'Decay of the running average of the trust ratio during warm-up.',
      },
      {
        name: 'factor_max',
        type: 'number',
        default: 4.0,
        min: POSITIVE,
        doc: 'Upper bound of the scaling-factor adjustment after the freeze.',
      },
      {
        name: 'factor_min',
        type: 'number',
        default: 0.5,
        min: POSITIVE,
        doc: 'Lower bound of the scaling-factor adjustment after the freeze.',
      },
      {
        name: 'factor_threshold',
        type: 'number',
        default: 0.1,
        min: NON_NEGATIVE,
        doc: 'Threshold on the change of the scaling factor between steps.',
      },
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: true,
    typicalLr: [5e-7, 1e-2],
  },
  {
    kind: 'optimizer',
    name: 'Lion',
    library: 'deepspeed',
    deepspeed: { types: ['Lion'], write: 'Lion' },
    hfOptim: ['lion_32bit', 'lion_8bit', 'paged_lion_32bit', 'paged_lion_8bit'],
    aliases: ['FusedLion', 'DeepSpeedCPULion'],
    summary: 'Lion: the sign of an interpolated momentum, with decoupled weight decay (DeepSpeed FusedLion).',
    doc: [
      '**Update rule:**',
      code(['c = beta1*m + (1 - beta1)*g', 'x = x*(1 - lr*weight_decay) - lr*sign(c)', 'm = beta2*m + (1 - beta2)*g']),
      '**When to use it:** memory-light alternative to AdamW (one state tensor) for large vision and language models.',
      "**Pitfalls:** every coordinate moves by exactly `lr` per step, so the lr must be 3-10x smaller than AdamW's and the weight decay 3-10x larger. DeepSpeed's default betas are (0.9, 0.999); the paper recommends (0.9, 0.99).",
    ].join('\n\n'),
    references: [LION_PAPER, DEEPSPEED_OPTIMIZER_DOCS],
    params: [
      lrParam(1e-3),
      betasParam([0.9, 0.999]),
      weightDecayParam('decoupled'),
      flagParam('set_grad_none', 'Set gradients to None in `zero_grad()`.', true),
    ],
    hasMomentum: false,
    hasBetas: true,
    weightDecay: 'decoupled',
    adaptive: false,
    typicalLr: [1e-7, 1e-3],
  },
  {
    kind: 'optimizer',
    name: 'GD',
    library: 'other',
    aliases: ['GradientDescent'],
    summary: 'Plain gradient descent `x -= lr * g` (simulator teaching optimizer).',
    doc: [
      code(['x = x - lr*g']),
      'The baseline every other method is compared with. On a quadratic with curvatures `d_i` it converges only when `lr < 2 / max(d_i)`, and the slowest direction then contracts by `1 - lr*min(d_i)` per step: the condition number sets the speed.',
    ].join('\n\n'),
    references: [
      {
        title: 'Boyd & Vandenberghe, Convex Optimization, section 9.3',
        url: 'https://web.stanford.edu/~boyd/cvxbook/',
      },
    ],
    params: [lrParam(0.01)],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: false,
    typicalLr: [1e-4, 1],
  },
  {
    kind: 'optimizer',
    name: 'NormalizedGD',
    library: 'other',
    summary:
      'Normalized gradient descent: a step of length exactly `lr` along the negative gradient (simulator teaching optimizer).',
    doc: [
      code(['x = x - lr * g / norm(g)     # no step when g == 0']),
      'The step length does not depend on the gradient size, so it crosses plateaus as fast as steep regions, but it never settles: near a minimum it oscillates with amplitude about `lr` unless the lr decays.',
    ].join('\n\n'),
    references: [
      {
        title:
          'Hazan, Levy & Shalev-Shwartz, Beyond Convexity: Stochastic Quasi-Convex Optimization (arXiv 1507.02030)',
        url: 'https://arxiv.org/abs/1507.02030',
      },
    ],
    params: [lrParam(0.01)],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: false,
    typicalLr: [1e-4, 1],
  },
  {
    kind: 'optimizer',
    name: 'SignGD',
    library: 'other',
    aliases: ['SignSGD'],
    summary: 'Sign descent `x -= lr * sign(g)`: every coordinate moves by exactly lr (simulator teaching optimizer).',
    doc: [
      code(['x = x - lr*sign(g)']),
      "The limit of Adam with `betas=(0, 0)` and `eps -> 0`: the per-coordinate normalization of adaptive methods in its purest form. Shows why Adam ignores the scale of each coordinate's gradient.",
    ].join('\n\n'),
    references: [
      {
        title: 'Bernstein et al., signSGD: Compressed Optimisation for Non-Convex Problems (arXiv 1802.04434)',
        url: 'https://arxiv.org/abs/1802.04434',
      },
    ],
    params: [lrParam(0.01)],
    hasMomentum: false,
    hasBetas: false,
    weightDecay: 'none',
    adaptive: true,
    typicalLr: [1e-5, 1e-1],
  },
  {
    kind: 'optimizer',
    name: 'LARS',
    library: 'other',
    summary:
      'LARS: SGD with momentum and a layer-wise learning rate `trust_coefficient * ||w|| / ||g + wd*w||` (simulator teaching optimizer).',
    doc: [
      '**Update rule** (per layer / block of coordinates):',
      code([
        'd = g + weight_decay*x',
        'local_lr = trust_coefficient*norm(x) / (norm(g) + weight_decay*norm(x))   # 1 when a norm is 0',
        'buf = momentum*buf + lr*local_lr*d',
        'x = x - buf',
      ]),
      '**When to use it:** large-batch training of convolutional networks (ImageNet with batch 8k-32k).',
      '**Pitfalls:** weights at zero get no update through the trust ratio (it uses 1 then); exclude biases and norms. In the simulator, blocks of coordinates stand for layers.',
    ].join('\n\n'),
    references: [LARS_PAPER],
    params: [
      lrParam(0.1),
      { name: 'momentum', type: 'number', default: 0.9, min: NON_NEGATIVE, doc: 'Momentum factor.' },
      weightDecayParam('l2'),
      {
        name: 'trust_coefficient',
        type: 'number',
        default: 0.001,
        min: POSITIVE,
        doc: 'eta: scale of the layer-wise trust ratio.',
      },
    ],
    hasMomentum: true,
    hasBetas: false,
    weightDecay: 'l2',
    adaptive: true,
    typicalLr: [1e-2, 20],
  },
];

/**
 * DeepSpeed lower-cases `optimizer.type` and maps it to its own classes (the entries' `deepspeed.types`); everything
 * else goes to torch.optim by name. Keys are the lower-cased ds_config names, values the catalog entry names.
 */
export const DEEPSPEED_OPTIMIZER_TYPES: Readonly<Record<string, string>> = Object.fromEntries(
  OPTIMIZERS.flatMap((entry) =>
    (entry.deepspeed?.types ?? []).map((type) => [type.toLowerCase(), entry.name] as const),
  ),
);

/** The catalog entry DeepSpeed would build for a ds_config `optimizer.type` (DeepSpeed's own classes first, then torch.optim). */
export function findDeepSpeedOptimizer(typeName: string): OptimizerEntry | undefined {
  const lower = typeName.trim().toLowerCase();
  const mapped = DEEPSPEED_OPTIMIZER_TYPES[lower];
  if (mapped !== undefined) return OPTIMIZERS.find((entry) => entry.name === mapped);
  return OPTIMIZERS.find((entry) => entry.library === 'torch' && entry.name.toLowerCase() === lower);
}

/** The catalog entry of a transformers TrainingArguments `optim` value, or undefined when it is opaque. */
export function findHfOptimizer(optim: string): OptimizerEntry | undefined {
  return OPTIMIZERS.find((entry) => entry.hfOptim?.includes(optim));
}
