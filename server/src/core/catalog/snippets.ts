// Ready-made setups offered by completion at the top level of an empty or new config.

export interface ConfigSnippet {
  readonly label: string;
  readonly description: string;
  /** YAML body with `${n:placeholder}` tab stops. */
  readonly yaml: string;
  /** The same setup in JSON (without the surrounding braces of the document). */
  readonly json: string;
}

export const CONFIG_SNIPPETS: readonly ConfigSnippet[] = [
  {
    label: 'AdamW + linear warmup + cosine decay',
    description: 'The usual transformer recipe: AdamW, LinearLR warmup then CosineAnnealingLR to eta_min.',
    yaml: [
      'optimizer:',
      '  type: AdamW',
      '  lr: ${1:3.0e-4}',
      '  betas: [0.9, 0.999]',
      '  weight_decay: ${2:0.05}',
      'scheduler:',
      '  type: SequentialLR',
      '  schedulers:',
      '    - {type: LinearLR, start_factor: 0.01, total_iters: ${3:500}}',
      '    - {type: CosineAnnealingLR, T_max: ${4:9500}, eta_min: 1.0e-6}',
      '  milestones: [${3:500}]',
      'training:',
      '  steps: ${5:10000}',
      '',
    ].join('\n'),
    json: [
      '"optimizer": {"type": "AdamW", "lr": ${1:3e-4}, "betas": [0.9, 0.999], "weight_decay": ${2:0.05}},',
      '"scheduler": {',
      '  "type": "SequentialLR",',
      '  "schedulers": [',
      '    {"type": "LinearLR", "start_factor": 0.01, "total_iters": ${3:500}},',
      '    {"type": "CosineAnnealingLR", "T_max": ${4:9500}, "eta_min": 1e-6}',
      '  ],',
      '  "milestones": [${3:500}]',
      '},',
      '"training": {"steps": ${5:10000}}',
    ].join('\n'),
  },
  {
    label: 'SGD + momentum + OneCycleLR',
    description: 'Super-convergence: SGD with Nesterov momentum and a one-cycle policy stepped every batch.',
    yaml: [
      'optimizer:',
      '  type: SGD',
      '  lr: ${1:0.1}',
      '  momentum: 0.9',
      '  nesterov: true',
      '  weight_decay: ${2:5.0e-4}',
      'scheduler:',
      '  type: OneCycleLR',
      '  max_lr: ${1:0.1}',
      '  total_steps: ${3:10000}',
      '  pct_start: 0.3',
      'training:',
      '  steps: ${3:10000}',
      '',
    ].join('\n'),
    json: [
      '"optimizer": {"type": "SGD", "lr": ${1:0.1}, "momentum": 0.9, "nesterov": true, "weight_decay": ${2:5e-4}},',
      '"scheduler": {"type": "OneCycleLR", "max_lr": ${1:0.1}, "total_steps": ${3:10000}, "pct_start": 0.3},',
      '"training": {"steps": ${3:10000}}',
    ].join('\n'),
  },
  {
    label: 'AdamW + Hugging Face cosine with warmup',
    description: 'transformers get_cosine_schedule_with_warmup: linear warmup, then half a cosine to 0.',
    yaml: [
      'optimizer:',
      '  type: AdamW',
      '  lr: ${1:2.0e-5}',
      '  weight_decay: 0.01',
      'scheduler:',
      '  type: hf.cosine',
      '  num_warmup_steps: ${2:500}',
      '  num_training_steps: ${3:10000}',
      'training:',
      '  steps: ${3:10000}',
      '',
    ].join('\n'),
    json: [
      '"optimizer": {"type": "AdamW", "lr": ${1:2e-5}, "weight_decay": 0.01},',
      '"scheduler": {"type": "hf.cosine", "num_warmup_steps": ${2:500}, "num_training_steps": ${3:10000}},',
      '"training": {"steps": ${3:10000}}',
    ].join('\n'),
  },
  {
    label: 'SGD + step decay (MultiStepLR)',
    description: 'The classic ResNet recipe: SGD momentum 0.9, lr divided by 10 at fixed milestones.',
    yaml: [
      'optimizer:',
      '  type: SGD',
      '  lr: ${1:0.1}',
      '  momentum: 0.9',
      '  weight_decay: 1.0e-4',
      'scheduler:',
      '  type: MultiStepLR',
      '  milestones: [${2:30000}, ${3:60000}]',
      '  gamma: 0.1',
      'training:',
      '  steps: ${4:90000}',
      '',
    ].join('\n'),
    json: [
      '"optimizer": {"type": "SGD", "lr": ${1:0.1}, "momentum": 0.9, "weight_decay": 1e-4},',
      '"scheduler": {"type": "MultiStepLR", "milestones": [${2:30000}, ${3:60000}], "gamma": 0.1},',
      '"training": {"steps": ${4:90000}}',
    ].join('\n'),
  },
];
