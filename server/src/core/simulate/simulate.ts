// The simulation job: optimizers on a loss landscape, single runs with trajectories or batched grids with a heatmap.

import { findOptimizer } from '../catalog/index';
import { builtinLandscape, type Landscape, type LandscapeSpec } from '../landscape/index';
import { createBatchedOptimizer, type OptimizerConfig } from '../optim/index';
import { GaussianSource } from '../util/random';

/** Gradient noise: `fixed` adds N(0, std^2); `gradient` scales std by |g_j|; `distance` by the distance to the nearest known minimum. */
export interface NoiseSpec {
  readonly std: number;
  readonly seed?: number;
  readonly mode?: 'fixed' | 'gradient' | 'distance';
}

/** A dormant feature: coordinate `coordinate` gets a zero gradient (noise included) for updates `start <= k < end`. */
export interface DormantSpec {
  readonly coordinate: number;
  readonly start: number;
  readonly end: number;
}

export interface GridSpec {
  /** Learning rates (x axis). Missing: the optimizer's own lr. */
  readonly lr?: readonly number[];
  /** beta1 for optimizers with betas, momentum for SGD-like ones (y axis). Missing: the optimizer's own. */
  readonly beta1?: readonly number[];
  /** What each cell shows: the final loss (default) or the first update after which the loss is below `tolerance`. */
  readonly metric?: 'final_loss' | 'steps_to_tolerance';
  readonly tolerance?: number;
}

export interface LabeledOptimizer extends OptimizerConfig {
  readonly label?: string;
}

export interface SimulateRequest {
  readonly function: LandscapeSpec;
  /** Start point; defaults to the landscape's customary start. */
  readonly x0?: readonly number[];
  readonly steps: number;
  /** The configured optimizer first, then the `compare` entries. */
  readonly optimizers: readonly LabeledOptimizer[];
  readonly noise?: NoiseSpec;
  readonly dormant?: DormantSpec;
  /** A grid over the first optimizer's hyperparameters: produces `heatmap` instead of trajectories. */
  readonly grid?: GridSpec;
  /** Several start points: every optimizer runs from each, as one batch. */
  readonly starts?: readonly (readonly number[])[];
  /** A schedule as factors of each run's lr, one per update (the last repeats). */
  readonly lrFactors?: readonly number[];
  /** Blocks of coordinates that stand for layers (LAMB / LARS). */
  readonly blocks?: readonly number[];
  /** At most this many recorded points per trajectory (default 2001); longer runs are sampled evenly. */
  readonly maxRecordedPoints?: number;
  /** Side of the loss-surface grid for 2-D plots (default 64, 0 for none). */
  readonly surfaceResolution?: number;
  /** Multiply-add rounding (see OptimizerOptions): trajectories default to `fused` (PyTorch's bits), grids to `plain` (speed). */
  readonly arithmetic?: 'fused' | 'plain';
}

export interface SimulateIssue {
  /** Path inside the `simulate:` section (`['compare', 1, 'lr']`), or `['optimizer', ...]` for the configured optimizer. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface SimulateRun {
  readonly label: string;
  readonly optimizer: OptimizerConfig;
  /** Recorded iterates, `x[0]` the start; `steps[i]` is the update count after which `x[i]` was recorded. */
  readonly x: number[][];
  readonly loss: number[];
  readonly steps: number[];
  /** Effective per-coordinate step size `|dx_j| / |g_j|` of the recorded updates (0 where the gradient was 0). */
  readonly stepSize?: number[][];
  /** The update at which the loss or an iterate stopped being finite (or exceeded 1e150); the run stops there. */
  readonly divergedAt?: number;
  /** How the run moved, measured on every update (not only the recorded ones); absent for cancelled or diverged runs. */
  readonly motion?: RunMotion;
}

/**
 * How a run moved, measured on every update so that thinning the recording cannot alias an oscillation away.
 * The tail is the last quarter of the updates, `[tailStart, updates)`, split into two halves at `tailMiddle`;
 * distances are Euclidean over all coordinates.
 */
export interface RunMotion {
  readonly updates: number;
  readonly tailStart: number;
  readonly tailMiddle: number;
  /** Path length (sum of update lengths) in the first and the second half of the tail. */
  readonly firstHalfPath: number;
  readonly secondHalfPath: number;
  /** Distance from the point where the tail began to the final point. */
  readonly tailDisplacement: number;
  /** The largest distance from the start reached during the run. */
  readonly reach: number;
  readonly startLoss: number;
  readonly finalLoss: number;
  /** Loss before the tail's first update and the smallest and largest loss after the tail's updates. */
  readonly tailFirstLoss: number;
  readonly tailMinLoss: number;
  readonly tailMaxLoss: number;
}

export interface SimulateHeatmap {
  readonly metric: 'final_loss' | 'steps_to_tolerance';
  readonly xAxis: { readonly name: 'lr'; readonly values: number[] };
  readonly yAxis: { readonly name: 'beta1' | 'momentum' | 'none'; readonly values: number[] };
  /** `values[row][column]` for yAxis value `row` and xAxis value `column`; null where the run diverged or never reached the tolerance. */
  readonly values: (number | null)[][];
  readonly best?: { readonly lr: number; readonly y: number; readonly value: number };
}

export interface SimulateSurface {
  readonly x: number[];
  readonly y: number[];
  /** `values[row][column]` = f(x[column], y[row]). */
  readonly values: number[][];
}

export interface SimulateResult {
  readonly runs: SimulateRun[];
  readonly heatmap?: SimulateHeatmap;
  readonly surface?: SimulateSurface;
  readonly landscape?: {
    readonly id: string;
    readonly dim: number;
    readonly formula: string;
    readonly minima: readonly (readonly number[])[];
    readonly bounds?: readonly (readonly [number, number])[];
  };
  readonly issues: SimulateIssue[];
  readonly cancelled?: boolean;
}

export const SIMULATION_LIMITS = {
  maxSteps: 1_000_000,
  /** Grid cells (or runs) times updates times dimension. */
  maxWork: 100_000_000,
  maxGridCells: 65_536,
  maxDim: 100_000,
} as const;

const DIVERGENCE_LIMIT = 1e150;

function labelOf(config: LabeledOptimizer): string {
  if (config.label) return config.label;
  const shown = Object.entries(config.params).map(
    ([key, value]) => `${key}=${Array.isArray(value) ? `(${value.join(', ')})` : String(value)}`,
  );
  return shown.length > 0 ? `${config.type} ${shown.join(' ')}` : config.type;
}

function optimizerPath(index: number): (string | number)[] {
  return index === 0 ? ['optimizer'] : ['compare', index - 1];
}

/** Per-step gradient post-processing shared by single and batched runs: noise, then the dormant mask. */
class GradientShaper {
  private readonly source: GaussianSource | null;
  constructor(
    private readonly landscape: Landscape,
    private readonly noise: NoiseSpec | undefined,
    private readonly dormant: DormantSpec | undefined,
  ) {
    this.source = noise && noise.std > 0 ? new GaussianSource(noise.seed ?? 0) : null;
  }

  apply(step: number, xs: Float64Array, grads: Float64Array, count: number): void {
    const dim = this.landscape.dim;
    if (this.source && this.noise) {
      const mode = this.noise.mode ?? 'fixed';
      for (let p = 0; p < count; p++) {
        const offset = p * dim;
        let scale = this.noise.std;
        if (mode === 'distance') scale *= this.distanceToMinimum(xs, offset);
        for (let j = 0; j < dim; j++) {
          const std = mode === 'gradient' ? scale * Math.abs(grads[offset + j]!) : scale;
          grads[offset + j] = grads[offset + j]! + std * this.source.nextGaussian();
        }
      }
    }
    const dormant = this.dormant;
    if (dormant && step >= dormant.start && step < dormant.end) {
      for (let p = 0; p < count; p++) grads[p * dim + dormant.coordinate] = 0;
    }
  }

  private distanceToMinimum(xs: Float64Array, offset: number): number {
    const minima = this.landscape.minima;
    if (minima.length === 0) return 1;
    let best = Infinity;
    for (const minimum of minima) {
      let squares = 0;
      for (let j = 0; j < minimum.length; j++) squares += (xs[offset + j]! - minimum[j]!) ** 2;
      best = Math.min(best, squares);
    }
    return Math.sqrt(best);
  }
}

function lrFactorAt(factors: readonly number[] | undefined, step: number): number {
  if (!factors || factors.length === 0) return 1;
  return factors[Math.min(step, factors.length - 1)]!;
}

function computeSurface(landscape: Landscape, resolution: number): SimulateSurface | undefined {
  if (landscape.dim !== 2 || !landscape.bounds || resolution < 2) return undefined;
  const [[x0, x1], [y0, y1]] = landscape.bounds as [[number, number], [number, number]];
  const xs = Array.from({ length: resolution }, (_, i) => x0 + ((x1 - x0) * i) / (resolution - 1));
  const ys = Array.from({ length: resolution }, (_, i) => y0 + ((y1 - y0) * i) / (resolution - 1));
  const point = new Float64Array(2);
  const values = ys.map((y) =>
    xs.map((x) => {
      point[0] = x;
      point[1] = y;
      const value = landscape.value(point);
      return Number.isFinite(value) ? value : Number.MAX_VALUE;
    }),
  );
  return { x: xs, y: ys, values };
}

/** Hyperparameter variants of the first optimizer for a grid, ordered beta1-major so consecutive cells share betas. */
function gridConfigs(
  base: OptimizerConfig,
  grid: GridSpec,
  issues: SimulateIssue[],
): { configs: OptimizerConfig[]; lrs: number[]; ys: number[]; yName: SimulateHeatmap['yAxis']['name'] } | null {
  const entry = findOptimizer(base.type);
  const lrs =
    grid.lr && grid.lr.length > 0
      ? [...grid.lr]
      : [
          typeof base.params['lr'] === 'number'
            ? base.params['lr']
            : Number(entry?.params.find((p) => p.name === 'lr')?.default ?? 0.001),
        ];
  let yName: SimulateHeatmap['yAxis']['name'] = 'none';
  let ys: number[] = [Number.NaN];
  if (grid.beta1 && grid.beta1.length > 0) {
    if (entry?.hasBetas) yName = 'beta1';
    else if (entry?.hasMomentum) yName = 'momentum';
    else {
      issues.push({
        path: ['grid', 'beta1'],
        message: `\`${base.type}\` has neither betas nor momentum, so a beta1 axis means nothing for it.`,
      });
      return null;
    }
    ys = [...grid.beta1];
  }
  const betas = base.params['betas'];
  const beta2 =
    Array.isArray(betas) && typeof betas[1] === 'number'
      ? betas[1]
      : Number((entry?.params.find((p) => p.name === 'betas')?.default as number[] | undefined)?.[1] ?? 0.999);
  const configs: OptimizerConfig[] = [];
  for (const y of ys) {
    for (const lr of lrs) {
      const params: Record<string, unknown> = { ...base.params, lr };
      if (yName === 'beta1') params['betas'] = [y, beta2];
      if (yName === 'momentum') params['momentum'] = y;
      configs.push({ type: base.type, params });
    }
  }
  return { configs, lrs, ys, yName };
}

interface BatchOutcome {
  readonly cancelled: boolean;
}

/**
 * Runs the simulation. Pure and synchronous: `progress` gets fractions in [0, 1], `isCancelled` is polled
 * between updates and a cancelled job returns what it has with `cancelled: true`. Sizes beyond
 * SIMULATION_LIMITS are refused with an issue before any work. Never throws on bad input.
 */
export function simulate(
  request: SimulateRequest,
  progress?: (fraction: number) => void,
  isCancelled?: () => boolean,
): SimulateResult {
  const issues: SimulateIssue[] = [];
  const { landscape, issues: landscapeIssues } = builtinLandscape(request.function);
  for (const issue of landscapeIssues) issues.push({ path: ['function', ...issue.path], message: issue.message });
  if (!landscape) return { runs: [], issues };
  const dim = landscape.dim;
  const landscapeInfo = {
    id: landscape.id,
    dim,
    formula: landscape.formula,
    minima: landscape.minima,
    ...(landscape.bounds ? { bounds: landscape.bounds } : {}),
  };

  const steps = request.steps;
  if (!Number.isInteger(steps) || steps < 1)
    issues.push({ path: ['steps'], message: `\`steps\` must be a whole number >= 1, got ${steps}.` });
  else if (steps > SIMULATION_LIMITS.maxSteps)
    issues.push({
      path: ['steps'],
      message: `\`steps\` is ${steps}; the simulator runs at most ${SIMULATION_LIMITS.maxSteps.toLocaleString('en-US')} updates.`,
    });
  if (request.optimizers.length === 0)
    issues.push({
      path: ['optimizer'],
      message: 'There is no optimizer to simulate: add an `optimizer:` section or a `compare:` list.',
    });

  const x0 = request.x0 ?? landscape.defaultStart ?? new Array<number>(dim).fill(1);
  if (x0.length !== dim || x0.some((value) => typeof value !== 'number' || !Number.isFinite(value))) {
    issues.push({ path: ['x0'], message: `\`x0\` must be ${dim} finite numbers for \`${landscape.id}\`.` });
  }
  const starts = request.starts && request.starts.length > 0 ? request.starts : [x0];
  starts.forEach((start, index) => {
    if (
      request.starts &&
      (start.length !== dim || start.some((value) => typeof value !== 'number' || !Number.isFinite(value)))
    ) {
      issues.push({ path: ['starts', index], message: `Each start must be ${dim} finite numbers.` });
    }
  });
  const noise = request.noise;
  if (noise && (!(noise.std >= 0) || !Number.isFinite(noise.std)))
    issues.push({ path: ['noise', 'std'], message: '`noise.std` must be a finite number >= 0.' });
  const dormant = request.dormant;
  if (dormant && (!Number.isInteger(dormant.coordinate) || dormant.coordinate < 0 || dormant.coordinate >= dim)) {
    issues.push({
      path: ['dormant', 'coordinate'],
      message: `\`dormant.coordinate\` must be a whole number in [0, ${dim - 1}].`,
    });
  }
  if (dormant && !(dormant.start <= dormant.end))
    issues.push({ path: ['dormant'], message: '`dormant.start` must not be after `dormant.end`.' });

  const grid = request.grid;
  const gridCells = grid ? Math.max(1, grid.lr?.length ?? 0) * Math.max(1, grid.beta1?.length ?? 0) : 0;
  const trajectories = grid ? gridCells : request.optimizers.length * starts.length;
  if (grid && gridCells > SIMULATION_LIMITS.maxGridCells) {
    issues.push({
      path: ['grid'],
      message: `The grid has ${gridCells} cells; at most ${SIMULATION_LIMITS.maxGridCells} are allowed.`,
    });
  }
  if (Number.isInteger(steps) && trajectories * steps * dim > SIMULATION_LIMITS.maxWork) {
    issues.push({
      path: grid ? ['grid'] : ['steps'],
      message: `${trajectories} run(s) x ${steps} updates x ${dim} coordinates is ${(trajectories * steps * dim).toExponential(1)} coordinate updates; the limit is 1e8. Use fewer steps, cells or starts.`,
    });
  }
  if (
    grid?.metric === 'steps_to_tolerance' &&
    !(typeof grid.tolerance === 'number' && Number.isFinite(grid.tolerance))
  ) {
    issues.push({ path: ['grid', 'tolerance'], message: '`metric: steps_to_tolerance` needs a finite `tolerance`.' });
  }
  if (issues.length > 0) return { runs: [], issues, landscape: landscapeInfo };

  const surface = computeSurface(landscape, request.surfaceResolution ?? 64);
  const withSurface = surface ? { surface } : {};
  if (grid) {
    const layout = gridConfigs(request.optimizers[0]!, grid, issues);
    if (!layout) return { runs: [], issues, landscape: landscapeInfo };
    const { optimizer, issues: optimizerIssues } = createBatchedOptimizer(layout.configs, dim, {
      arithmetic: request.arithmetic ?? 'plain',
      ...(request.blocks ? { blocks: request.blocks } : {}),
    });
    for (const issue of optimizerIssues) {
      // A cell's issue is the grid's problem when the base optimizer itself is fine.
      issues.push({
        path: typeof issue.path[0] === 'number' ? ['grid', ...issue.path.slice(1)] : ['optimizer', ...issue.path],
        message: issue.message,
      });
    }
    if (!optimizer) return { runs: [], issues: dedupe(issues), landscape: landscapeInfo };
    const count = layout.configs.length;
    const metric = grid.metric ?? 'final_loss';
    const tolerance = grid.tolerance ?? 0;
    const xs = new Float64Array(count * dim);
    for (let p = 0; p < count; p++) xs.set(x0, p * dim);
    const grads = new Float64Array(count * dim);
    const losses = new Float64Array(count);
    const reached = new Float64Array(count).fill(Number.NaN);
    const diverged = new Uint8Array(count);
    const shaper = new GradientShaper(landscape, noise, dormant);
    const outcome = runBatch(steps, progress, isCancelled, (k) => {
      landscape.evaluateBatch(xs, count, null, grads);
      shaper.apply(k, xs, grads, count);
      optimizer.step(xs, grads, lrFactorAt(request.lrFactors, k));
      if (metric === 'steps_to_tolerance' || k === steps - 1) {
        landscape.evaluateBatch(xs, count, losses, null);
        for (let p = 0; p < count; p++) {
          const loss = losses[p]!;
          if (!(Math.abs(loss) < DIVERGENCE_LIMIT)) diverged[p] = 1;
          if (reached[p] !== reached[p] && loss <= tolerance) reached[p] = k + 1;
        }
      }
    });
    landscape.evaluateBatch(xs, count, losses, null);
    const values: (number | null)[][] = layout.ys.map((_, row) =>
      layout.lrs.map((__, column) => {
        const p = row * layout.lrs.length + column;
        if (metric === 'steps_to_tolerance') return reached[p] === reached[p] ? reached[p]! : null;
        return diverged[p] || !Number.isFinite(losses[p]!) ? null : losses[p]!;
      }),
    );
    let best: SimulateHeatmap['best'];
    values.forEach((row, r) =>
      row.forEach((value, c) => {
        if (value !== null && (best === undefined || value < best.value))
          best = { lr: layout.lrs[c]!, y: layout.ys[r]!, value };
      }),
    );
    const heatmap: SimulateHeatmap = {
      metric,
      xAxis: { name: 'lr', values: layout.lrs },
      yAxis: { name: layout.yName, values: layout.yName === 'none' ? [] : layout.ys },
      values,
      ...(best ? { best } : {}),
    };
    return {
      runs: [],
      heatmap,
      ...withSurface,
      landscape: landscapeInfo,
      issues,
      ...(outcome.cancelled ? { cancelled: true } : {}),
    };
  }

  // Trajectories: every optimizer from every start. Each optimizer is one batch over the starts.
  const runs: SimulateRun[] = [];
  const maxPoints = Math.max(2, Math.floor(request.maxRecordedPoints ?? 2001));
  const stride = Math.max(1, Math.ceil(steps / (maxPoints - 1)));
  let cancelled = false;
  request.optimizers.forEach((config, index) => {
    if (cancelled) return;
    const { optimizer, issues: optimizerIssues } = createBatchedOptimizer(
      starts.map(() => config),
      dim,
      { arithmetic: request.arithmetic ?? 'fused', ...(request.blocks ? { blocks: request.blocks } : {}) },
    );
    for (const issue of optimizerIssues) {
      const path = starts.length > 1 ? issue.path.slice(1) : issue.path;
      issues.push({ path: [...optimizerPath(index), ...path], message: issue.message });
    }
    if (!optimizer) return;
    const count = starts.length;
    const xs = new Float64Array(count * dim);
    starts.forEach((start, p) => xs.set(start, p * dim));
    const grads = new Float64Array(count * dim);
    const before = new Float64Array(count * dim);
    const losses = new Float64Array(count);
    const record = starts.map(() => ({
      x: [] as number[][],
      loss: [] as number[],
      steps: [] as number[],
      stepSize: [] as number[][],
      divergedAt: -1,
    }));
    landscape.evaluateBatch(xs, count, losses, null);
    record.forEach((r, p) => {
      r.x.push(Array.from(xs.subarray(p * dim, (p + 1) * dim)));
      r.loss.push(losses[p]!);
      r.steps.push(0);
    });
    const tracker = new MotionTracker(xs, losses, count, dim, steps);
    const shaper = new GradientShaper(landscape, noise, dormant);
    const outcome = runBatch(
      steps,
      progress && ((fraction) => progress((index + fraction) / request.optimizers.length)),
      isCancelled,
      (k) => {
        landscape.evaluateBatch(xs, count, null, grads);
        shaper.apply(k, xs, grads, count);
        before.set(xs);
        optimizer.step(xs, grads, lrFactorAt(request.lrFactors, k));
        const recordNow = (k + 1) % stride === 0 || k === steps - 1;
        landscape.evaluateBatch(xs, count, losses, null);
        for (let p = 0; p < count; p++) {
          const r = record[p]!;
          if (r.divergedAt >= 0) continue;
          const loss = losses[p]!;
          let finite = Math.abs(loss) < DIVERGENCE_LIMIT;
          for (let j = 0; j < dim && finite; j++) finite = Math.abs(xs[p * dim + j]!) < DIVERGENCE_LIMIT;
          if (!finite) {
            r.divergedAt = k + 1;
            continue;
          }
          tracker.update(k, p, before, xs, loss);
          if (recordNow) {
            r.x.push(Array.from(xs.subarray(p * dim, (p + 1) * dim)));
            r.loss.push(loss);
            r.steps.push(k + 1);
            const sizes: number[] = [];
            for (let j = 0; j < dim; j++) {
              const i = p * dim + j;
              const g = grads[i]!;
              sizes.push(g === 0 ? 0 : Math.abs(xs[i]! - before[i]!) / Math.abs(g));
            }
            r.stepSize.push(sizes);
          }
        }
      },
    );
    cancelled = outcome.cancelled;
    record.forEach((r, p) => {
      const label = labelOf(config) + (starts.length > 1 ? ` from (${starts[p]!.join(', ')})` : '');
      runs.push({
        label,
        optimizer: { type: config.type, params: config.params },
        x: r.x,
        loss: r.loss,
        steps: r.steps,
        stepSize: r.stepSize,
        ...(r.divergedAt >= 0 ? { divergedAt: r.divergedAt } : {}),
        ...(r.divergedAt < 0 && !outcome.cancelled ? { motion: tracker.motion(p, xs) } : {}),
      });
    });
  });
  for (const run of runs) {
    if (run.divergedAt !== undefined)
      issues.push({ path: [], message: `${run.label} diverged at update ${run.divergedAt}: lower its lr.` });
  }
  return { runs, ...withSurface, landscape: landscapeInfo, issues, ...(cancelled ? { cancelled: true } : {}) };
}

/** Accumulates each run's RunMotion over every update of a batch of runs. */
class MotionTracker {
  private readonly start: Float64Array;
  private readonly tailStartPoint: Float64Array;
  private readonly startLoss: Float64Array;
  private readonly tailFirstLoss: Float64Array;
  private readonly tailMinLoss: Float64Array;
  private readonly tailMaxLoss: Float64Array;
  private readonly finalLoss: Float64Array;
  private readonly firstHalfPath: Float64Array;
  private readonly secondHalfPath: Float64Array;
  private readonly reach: Float64Array;
  private readonly tailStart: number;
  private readonly tailMiddle: number;

  constructor(
    xs: Float64Array,
    losses: Float64Array,
    count: number,
    private readonly dim: number,
    private readonly updates: number,
  ) {
    this.start = Float64Array.from(xs);
    this.tailStartPoint = Float64Array.from(xs);
    this.startLoss = Float64Array.from(losses);
    this.tailFirstLoss = Float64Array.from(losses);
    this.finalLoss = Float64Array.from(losses);
    this.tailMinLoss = new Float64Array(count).fill(Infinity);
    this.tailMaxLoss = new Float64Array(count).fill(-Infinity);
    this.firstHalfPath = new Float64Array(count);
    this.secondHalfPath = new Float64Array(count);
    this.reach = new Float64Array(count);
    this.tailStart = updates - Math.max(1, Math.floor(updates / 4));
    this.tailMiddle = this.tailStart + Math.floor((updates - this.tailStart) / 2);
  }

  /** Update `k` of run `p` moved `before` to `xs` and left the loss at `loss`. */
  update(k: number, p: number, before: Float64Array, xs: Float64Array, loss: number): void {
    const offset = p * this.dim;
    let fromStart = 0;
    for (let j = 0; j < this.dim; j++) fromStart += (xs[offset + j]! - this.start[offset + j]!) ** 2;
    if (fromStart > this.reach[p]! ** 2) this.reach[p] = Math.sqrt(fromStart);
    // Until it is overwritten, finalLoss holds the loss the previous update left (the start loss before update 0).
    const previousLoss = this.finalLoss[p]!;
    this.finalLoss[p] = loss;
    if (k < this.tailStart) return;
    if (k === this.tailStart) {
      for (let j = 0; j < this.dim; j++) this.tailStartPoint[offset + j] = before[offset + j]!;
      this.tailFirstLoss[p] = previousLoss;
    }
    let move = 0;
    for (let j = 0; j < this.dim; j++) move += (xs[offset + j]! - before[offset + j]!) ** 2;
    if (k < this.tailMiddle) this.firstHalfPath[p] = this.firstHalfPath[p]! + Math.sqrt(move);
    else this.secondHalfPath[p] = this.secondHalfPath[p]! + Math.sqrt(move);
    this.tailMinLoss[p] = Math.min(this.tailMinLoss[p]!, loss);
    this.tailMaxLoss[p] = Math.max(this.tailMaxLoss[p]!, loss);
  }

  motion(p: number, xs: Float64Array): RunMotion {
    const offset = p * this.dim;
    let displacement = 0;
    for (let j = 0; j < this.dim; j++) displacement += (xs[offset + j]! - this.tailStartPoint[offset + j]!) ** 2;
    return {
      updates: this.updates,
      tailStart: this.tailStart,
      tailMiddle: this.tailMiddle,
      firstHalfPath: this.firstHalfPath[p]!,
      secondHalfPath: this.secondHalfPath[p]!,
      tailDisplacement: Math.sqrt(displacement),
      reach: this.reach[p]!,
      startLoss: this.startLoss[p]!,
      finalLoss: this.finalLoss[p]!,
      tailFirstLoss: this.tailFirstLoss[p]!,
      tailMinLoss: this.tailMinLoss[p]!,
      tailMaxLoss: this.tailMaxLoss[p]!,
    };
  }
}

function dedupe(issues: SimulateIssue[]): SimulateIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = JSON.stringify(issue);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The update loop with progress about every 1% and a cancellation poll every 64 updates. */
function runBatch(
  steps: number,
  progress: ((fraction: number) => void) | undefined,
  isCancelled: (() => boolean) | undefined,
  update: (k: number) => void,
): BatchOutcome {
  const progressEvery = Math.max(1, Math.floor(steps / 100));
  for (let k = 0; k < steps; k++) {
    if (isCancelled && (k & 63) === 0 && isCancelled()) return { cancelled: true };
    update(k);
    if (progress && (k + 1) % progressEvery === 0) progress((k + 1) / steps);
  }
  return { cancelled: false };
}
