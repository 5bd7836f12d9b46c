// Catalog entry for the `simulate:` config section: optimizers racing on a 2-D (or n-D) loss landscape.
import type { SectionEntry } from './types';

export const SIMULATE_SECTION: SectionEntry = {
  kind: 'section',
  name: 'simulate',
  summary: 'Run the configured optimizer (and others to compare) on a toy loss landscape and plot the trajectories.',
  doc: [
    "Simulates the `optimizer:` of this file, with PyTorch 1.13's exact update rules in float64, on a test function, followed by every optimizer in `compare`.",
    '```yaml',
    'simulate:',
    '  function: rosenbrock          # or beale, himmelblau, rastrigin, saddle, plateau_basin, quadratic_ill, quadratic10',
    '  x0: [-1.5, 2.0]',
    '  steps: 500',
    '  compare:',
    '    - {type: SGD, lr: 0.0002, momentum: 0.9}',
    '    - {type: SignGD, lr: 0.01, label: sign descent}',
    '  noise: {std: 0.5, seed: 1}     # Gaussian gradient noise',
    '```',
    '`function` may also be an expression of `x` and `y` (`"x^2 + 10*y^2"`, with `sin cos tan exp log sqrt abs tanh`, `pi`, `e`) or `{type: quadratic, diag: [1, 10, 100]}` for an n-D quadratic.',
    'A `grid` (`lr` and/or `beta1` lists) runs every combination as one batch and shows a heatmap of the final loss (or of the steps to reach `tolerance`) instead of trajectories. `starts` runs each optimizer from several points at once.',
    'Limits: at most 1,000,000 steps and 1e8 coordinate updates in total (cells x steps x dimension).',
  ].join('\n\n'),
  references: [
    {
      title: 'Test functions for optimization (Wikipedia)',
      url: 'https://en.wikipedia.org/wiki/Test_functions_for_optimization',
    },
    { title: 'Goh, Why Momentum Really Works (Distill, 2017)', url: 'https://distill.pub/2017/momentum/' },
  ],
  params: [
    {
      name: 'function',
      type: 'any',
      default: 'rosenbrock',
      doc: 'The landscape: a built-in name (`rosenbrock`, `quadratic_ill`, `plateau_basin`, `rastrigin`, `beale`, `himmelblau`, `saddle`, `quadratic10`), an expression of x and y, or `{type: quadratic, diag: [...]}`.',
    },
    {
      name: 'x0',
      type: 'numberList',
      doc: "Start point, one number per coordinate (default: the function's customary start, e.g. (-1.5, 2) for Rosenbrock).",
    },
    {
      name: 'steps',
      type: 'integer',
      default: 200,
      min: { value: 1 },
      max: { value: 1_000_000 },
      unit: 'steps',
      doc: 'Number of optimizer updates.',
    },
    {
      name: 'compare',
      type: 'any',
      doc: 'Optimizer blocks to run after the configured one, each `{type, label?, ...kwargs}`.',
    },
    {
      name: 'noise',
      type: 'any',
      doc: 'Gradient noise `{std, seed, mode}`: `mode` is `fixed` (default), `gradient` (std times |g|) or `distance` (std times the distance to the minimum).',
    },
    {
      name: 'dormant',
      type: 'any',
      doc: "A dormant feature `{coordinate, start, end}`: that coordinate gets no gradient for updates start <= k < end, then it returns (shows how Adam's decayed second moment makes a huge step).",
    },
    {
      name: 'grid',
      type: 'any',
      doc: 'Hyperparameter sweep `{lr: [...], beta1: [...], metric: final_loss | steps_to_tolerance, tolerance}` of the configured optimizer; `beta1` is momentum for SGD-like optimizers.',
    },
    { name: 'starts', type: 'any', doc: 'Several start points `[[x, y], ...]`: every optimizer runs from each one.' },
    {
      name: 'blocks',
      type: 'integerList',
      doc: 'Lengths of coordinate blocks that stand for layers, for the layer-wise trust ratios of `Lamb` and `LARS` (they must add up to the dimension).',
    },
  ],
};
