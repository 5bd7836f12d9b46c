// Turns the `simulate:` config section (plain values as the dialect read them) into a SimulateRequest, with issues.

import { BUILTIN_LANDSCAPE_IDS, type LandscapeSpec } from '../landscape/index';
import type { OptimizerConfig } from '../optim/index';
import type { GridSpec, LabeledOptimizer, NoiseSpec, SimulateIssue, SimulateRequest } from './simulate';

const SECTION_KEYS = ['function', 'x0', 'steps', 'compare', 'noise', 'dormant', 'grid', 'starts', 'blocks'];
export const DEFAULT_SIMULATION_STEPS = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function numberList(
  value: unknown,
  path: (string | number)[],
  issues: SimulateIssue[],
  what: string,
): number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((element) => typeof element !== 'number' || !Number.isFinite(element))) {
    issues.push({ path, message: `${what} must be a list of numbers.` });
    return undefined;
  }
  return value as number[];
}

function functionSpec(value: unknown, issues: SimulateIssue[]): LandscapeSpec {
  if (value === undefined) return 'rosenbrock';
  if (typeof value === 'string') {
    const trimmed = value.trim();
    // A bare identifier names a built-in; anything with operators or parentheses is an expression of x and y.
    return /^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed) && !['x', 'y'].includes(trimmed)
      ? trimmed
      : { expression: trimmed };
  }
  if (isRecord(value)) return value as LandscapeSpec;
  issues.push({
    path: ['function'],
    message: `\`function\` is a built-in name (${BUILTIN_LANDSCAPE_IDS.join(', ')}), an expression of x and y, or an object with \`type\`.`,
  });
  return 'rosenbrock';
}

/** One `compare:` entry: `{type, label?, ...kwargs}` in the native format, or `{type, params: {...}}` as DeepSpeed writes it. */
function compareEntry(value: unknown, index: number, issues: SimulateIssue[]): LabeledOptimizer | null {
  if (!isRecord(value) || typeof value['type'] !== 'string') {
    issues.push({
      path: ['compare', index],
      message: 'Each `compare` entry is an optimizer block with a `type`, e.g. `{type: SGD, lr: 0.01, momentum: 0.9}`.',
    });
    return null;
  }
  const { type, label, params, ...rest } = value;
  const kwargs = isRecord(params) ? params : rest;
  return { type: type as string, params: kwargs, ...(typeof label === 'string' ? { label } : {}) };
}

/**
 * The request for a `simulate:` section. `configured` is the file's `optimizer:` block (run first); `compare`
 * entries follow. Unknown keys and wrong shapes are issues with paths inside the section; never throws.
 */
export function parseSimulateSection(
  section: unknown,
  configured: OptimizerConfig | null,
): { request: SimulateRequest | null; issues: SimulateIssue[] } {
  const issues: SimulateIssue[] = [];
  if (section === null || section === undefined) section = {};
  if (!isRecord(section)) {
    return {
      request: null,
      issues: [{ path: [], message: '`simulate` must be a mapping of settings (function, x0, steps, compare, ...).' }],
    };
  }
  for (const key of Object.keys(section)) {
    if (!SECTION_KEYS.includes(key))
      issues.push({
        path: [key],
        message: `Unknown \`simulate\` setting \`${key}\`; known: ${SECTION_KEYS.join(', ')}.`,
      });
  }
  const steps = section['steps'] ?? DEFAULT_SIMULATION_STEPS;
  if (typeof steps !== 'number') issues.push({ path: ['steps'], message: '`steps` must be a whole number.' });
  const optimizers: LabeledOptimizer[] = configured ? [configured] : [];
  const compare = section['compare'];
  if (compare !== undefined) {
    if (!Array.isArray(compare))
      issues.push({ path: ['compare'], message: '`compare` must be a list of optimizer blocks.' });
    else
      compare.forEach((entry, index) => {
        const parsed = compareEntry(entry, index, issues);
        if (parsed) optimizers.push(parsed);
      });
  }
  const x0 = numberList(section['x0'], ['x0'], issues, '`x0`');
  const startsValue = section['starts'];
  let starts: number[][] | undefined;
  if (startsValue !== undefined) {
    if (!Array.isArray(startsValue))
      issues.push({ path: ['starts'], message: '`starts` must be a list of points like [[-1, 2], [1, -1]].' });
    else starts = startsValue.map((point, index) => numberList(point, ['starts', index], issues, 'Each start') ?? []);
  }
  let noise: NoiseSpec | undefined;
  const noiseValue = section['noise'];
  if (noiseValue !== undefined) {
    if (!isRecord(noiseValue) || typeof noiseValue['std'] !== 'number')
      issues.push({
        path: ['noise'],
        message: '`noise` needs `std` (a number), optionally `seed` and `mode` (fixed, gradient, distance).',
      });
    else {
      const mode = noiseValue['mode'];
      if (mode !== undefined && mode !== 'fixed' && mode !== 'gradient' && mode !== 'distance')
        issues.push({ path: ['noise', 'mode'], message: '`noise.mode` is fixed, gradient or distance.' });
      noise = {
        std: noiseValue['std'],
        ...(typeof noiseValue['seed'] === 'number' ? { seed: noiseValue['seed'] } : {}),
        ...(mode === 'fixed' || mode === 'gradient' || mode === 'distance' ? { mode } : {}),
      };
    }
  }
  const dormantValue = section['dormant'];
  let dormant: SimulateRequest['dormant'];
  if (dormantValue !== undefined) {
    if (
      !isRecord(dormantValue) ||
      typeof dormantValue['coordinate'] !== 'number' ||
      typeof dormantValue['start'] !== 'number' ||
      typeof dormantValue['end'] !== 'number'
    ) {
      issues.push({
        path: ['dormant'],
        message:
          '`dormant` needs `coordinate`, `start` and `end` (the coordinate gets no gradient for updates start <= k < end).',
      });
    } else dormant = { coordinate: dormantValue['coordinate'], start: dormantValue['start'], end: dormantValue['end'] };
  }
  const gridValue = section['grid'];
  let grid: GridSpec | undefined;
  if (gridValue !== undefined) {
    if (!isRecord(gridValue))
      issues.push({ path: ['grid'], message: '`grid` is a mapping with `lr` and/or `beta1` lists.' });
    else {
      const lr = numberList(gridValue['lr'], ['grid', 'lr'], issues, '`grid.lr`');
      const beta1 = numberList(gridValue['beta1'], ['grid', 'beta1'], issues, '`grid.beta1`');
      const metric = gridValue['metric'];
      if (metric !== undefined && metric !== 'final_loss' && metric !== 'steps_to_tolerance')
        issues.push({ path: ['grid', 'metric'], message: '`grid.metric` is final_loss or steps_to_tolerance.' });
      grid = {
        ...(lr ? { lr } : {}),
        ...(beta1 ? { beta1 } : {}),
        ...(metric === 'final_loss' || metric === 'steps_to_tolerance' ? { metric } : {}),
        ...(typeof gridValue['tolerance'] === 'number' ? { tolerance: gridValue['tolerance'] } : {}),
      };
    }
  }
  const blocks = numberList(section['blocks'], ['blocks'], issues, '`blocks`');
  if (issues.length > 0) return { request: null, issues };
  const request: SimulateRequest = {
    function: functionSpec(section['function'], issues),
    steps: steps as number,
    optimizers,
    ...(x0 ? { x0 } : {}),
    ...(starts ? { starts } : {}),
    ...(noise ? { noise } : {}),
    ...(dormant ? { dormant } : {}),
    ...(grid ? { grid } : {}),
    ...(blocks ? { blocks } : {}),
  };
  return issues.length > 0 ? { request: null, issues } : { request, issues };
}
