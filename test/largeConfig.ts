// Large but valid optimizer configs, for the benchmarks and the responsiveness tests: a config followed by a long
// `simulate: compare:` list, which every rule reads like any other part of the file.

/** An AdamW + cosine config of nine lines; `lr: 3.0e-4` is line 2 (counted from 0), its value at characters 6 to 12. */
const SMALL_CONFIG = [
  'optimizer:',
  '  type: AdamW',
  '  lr: 3.0e-4',
  '  weight_decay: 0.01',
  'scheduler:',
  '  type: CosineAnnealingLR',
  '  T_max: 1000',
  'training:',
  '  steps: 1000',
].join('\n');

export interface CompareListOptions {
  /** The config above the `simulate:` section, without a final new line; the nine lines of an AdamW + cosine config (lr on line 2) when absent. */
  readonly head?: string;
  /** The simulation's `steps`; 100 when absent. */
  readonly simulateSteps?: number;
  /** The optimizer types the entries take in turn; Adam and SGD when absent. */
  readonly kinds?: readonly string[];
  /** Whether each entry also sets `weight_decay`. */
  readonly weightDecay?: boolean;
}

/**
 * `head` with a `simulate:` section comparing many optimizers: `{ entries }` of them, or as many as make the text
 * about `{ bytes }` long (the first entry that reaches the size is the last).
 */
export function compareListConfig(
  size: { readonly entries: number } | { readonly bytes: number },
  options: CompareListOptions = {},
): string {
  const kinds = options.kinds ?? ['Adam', 'SGD'];
  const lines = [
    options.head ?? SMALL_CONFIG,
    'simulate:',
    '  function: rosenbrock',
    '  x0: [-1.5, 2.0]',
    `  steps: ${options.simulateSteps ?? 100}`,
    '  compare:',
  ];
  let length = lines.join('\n').length;
  for (let i = 0; 'entries' in size ? i < size.entries : length < size.bytes; i++) {
    const entry = [`    - type: ${kinds[i % kinds.length]}`, `      label: run-${i}`, `      lr: ${(i % 9) + 1}.0e-3`];
    if (options.weightDecay) entry.push(`      weight_decay: 0.0${i % 10}`);
    lines.push(...entry);
    length += entry.join('\n').length + 1;
  }
  return `${lines.join('\n')}\n`;
}
