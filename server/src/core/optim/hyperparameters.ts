// Checks an optimizer config against the catalog and turns it into the numbers an update rule needs.

import { optimizerConstraintViolations } from '../catalog/constraints';
import { findOptimizer, resolveParams } from '../catalog/index';
import type { Bound, OptimizerEntry, ParamSpec } from '../catalog/types';
import type { OptimizerConfig, OptimizerIssue } from './types';
import { isUpdateRule, type UpdateRuleName } from './updateRules';

export type { UpdateRuleName } from './updateRules';

/** Every number any rule reads; a rule ignores the fields it has no use for. */
export interface Hyperparameters {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly amsgrad: boolean;
  readonly centered: boolean;
  readonly alpha: number;
  readonly rho: number;
  readonly lrDecay: number;
  readonly initialAccumulatorValue: number;
  readonly momentumDecay: number;
  readonly biasCorrection: boolean;
  readonly adamWMode: boolean;
  readonly epsInsideSqrt: boolean;
  readonly maxCoeff: number;
  readonly minCoeff: number;
  readonly trustCoefficient: number;
  /** Rprop: `etas` and `step_sizes`. */
  readonly etaMinus: number;
  readonly etaPlus: number;
  readonly stepSizeMin: number;
  readonly stepSizeMax: number;
}

export interface ResolvedOptimizer {
  readonly rule: UpdateRuleName;
  readonly entry: OptimizerEntry;
  readonly hyperparameters: Hyperparameters;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string "${value}"`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : String(value);
}

function boundText(bound: Bound, side: 'min' | 'max'): string {
  if (side === 'min') return bound.exclusive ? `> ${bound.value}` : `>= ${bound.value}`;
  return bound.exclusive ? `< ${bound.value}` : `<= ${bound.value}`;
}

function checkNumber(
  spec: ParamSpec,
  value: number,
  path: readonly (string | number)[],
  label: string,
  issues: OptimizerIssue[],
): void {
  if (!Number.isFinite(value)) {
    issues.push({ path, message: `${label} must be a finite number, got ${value}.` });
    return;
  }
  if (spec.type === 'integer' && !Number.isInteger(value)) {
    issues.push({ path, message: `${label} must be an integer, got ${value}.` });
  }
  const { min, max } = spec;
  if (min && (min.exclusive ? value <= min.value : value < min.value)) {
    issues.push({ path, message: `${label} must be ${boundText(min, 'min')}, got ${value}.` });
  }
  if (max && (max.exclusive ? value >= max.value : value > max.value)) {
    issues.push({ path, message: `${label} must be ${boundText(max, 'max')}, got ${value}.` });
  }
}

/** Checks one given value against its catalog spec. Values equal to the catalog default are never questioned. */
function checkParam(spec: ParamSpec, value: unknown, issues: OptimizerIssue[]): void {
  const path = [spec.name];
  if (value === spec.default) return;
  switch (spec.type) {
    case 'number':
    case 'integer':
      if (typeof value !== 'number') {
        if (value === null && spec.default === null) return;
        issues.push({ path, message: `\`${spec.name}\` expects a number, got ${describe(value)}.` });
        return;
      }
      checkNumber(spec, value, path, `\`${spec.name}\``, issues);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && !(value === null && spec.default === null)) {
        issues.push({ path, message: `\`${spec.name}\` expects true or false, got ${describe(value)}.` });
      }
      return;
    case 'numberPair': {
      if (!Array.isArray(value) || value.length !== 2) {
        issues.push({
          path,
          message: `\`${spec.name}\` expects a pair of numbers like [0.9, 0.999], got ${describe(value)}.`,
        });
        return;
      }
      value.forEach((element: unknown, index: number) => {
        if (typeof element !== 'number') {
          issues.push({
            path: [spec.name, index],
            message: `\`${spec.name}[${index}]\` expects a number, got ${describe(element)}.`,
          });
        } else {
          checkNumber(spec, element, [spec.name, index], `\`${spec.name}[${index}]\``, issues);
        }
      });
      return;
    }
    case 'enum':
      if (value !== null && (typeof value !== 'string' || !(spec.values ?? []).includes(value))) {
        issues.push({
          path,
          message: `\`${spec.name}\` must be one of ${(spec.values ?? []).map((v) => `"${v}"`).join(', ')}, got ${describe(value)}.`,
        });
      }
      return;
    default:
      return;
  }
}

function numberOf(params: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function flagOf(params: Readonly<Record<string, unknown>>, name: string, fallback: boolean): boolean {
  const value = params[name];
  return typeof value === 'boolean' ? value : fallback;
}

function pairOf(
  params: Readonly<Record<string, unknown>>,
  name: string,
  fallback: readonly [number, number],
): [number, number] {
  const value = params[name];
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number')
    return [value[0], value[1]];
  return [fallback[0], fallback[1]];
}

/**
 * Looks the optimizer up, checks every given keyword argument against the catalog (unknown names, types,
 * ranges, PyTorch's own constructor checks) and fills the defaults. Returns `resolved: null` when the config
 * cannot be run; issues never throw.
 */
export function resolveOptimizer(config: OptimizerConfig): {
  resolved: ResolvedOptimizer | null;
  issues: OptimizerIssue[];
} {
  const issues: OptimizerIssue[] = [];
  const typeName = typeof config?.type === 'string' ? config.type : '';
  const entry = typeName === '' ? undefined : findOptimizer(typeName);
  if (!entry) {
    issues.push({
      path: ['type'],
      message:
        typeName === ''
          ? 'The optimizer has no `type`: write e.g. `type: AdamW`.'
          : `Unknown optimizer \`${typeName}\`: not a torch.optim, DeepSpeed or simulator optimizer.`,
    });
    return { resolved: null, issues };
  }
  const given: Readonly<Record<string, unknown>> =
    config.params !== null && typeof config.params === 'object' ? config.params : {};
  for (const [name, value] of Object.entries(given)) {
    const spec = entry.params.find((param) => param.name === name);
    if (!spec) {
      issues.push({
        path: [name],
        message: `\`${entry.name}\` has no parameter \`${name}\`; it takes ${entry.params.map((p) => `\`${p.name}\``).join(', ')}.`,
      });
      continue;
    }
    checkParam(spec, value, issues);
  }
  for (const spec of entry.params) {
    // The engines follow PyTorch 1.13, so an argument that only later releases default (SGD's lr) is still needed.
    if ((spec.required === true || spec.requiredUntil !== undefined) && given[spec.name] === undefined) {
      issues.push({
        path: [spec.name],
        message: `\`${entry.name}\` needs \`${spec.name}\`: PyTorch 1.13 has no default for it.`,
      });
    }
  }
  const params = resolveParams(entry, given);
  const momentum = numberOf(params, 'momentum', 0);
  const dampening = numberOf(params, 'dampening', 0);
  const nesterov = flagOf(params, 'nesterov', false);
  // The same check as the lint rule OL226, so lint reports first whatever the engines refuse here.
  for (const violation of optimizerConstraintViolations(entry, params))
    issues.push({ path: [violation.param], message: violation.message });
  let rule: string = entry.name;
  if (params.decoupled_weight_decay === true) {
    // PyTorch 2.7's Adam(decoupled_weight_decay=True) is AdamW's update. NAdam and RAdam (2.1) have their own
    // decoupled variants, which the engines (PyTorch 1.13's update rules) do not implement.
    if (rule === 'Adam') rule = 'AdamW';
    else if (numberOf(params, 'weight_decay', 0) !== 0) {
      issues.push({
        path: ['decoupled_weight_decay'],
        message: `The simulator reproduces PyTorch 1.13's \`${entry.name}\`, which has no decoupled weight decay; set \`decoupled_weight_decay: false\` or \`weight_decay: 0\` to simulate it.`,
      });
    }
  }
  if (!isUpdateRule(rule)) {
    issues.push({
      path: ['type'],
      message: `\`${entry.name}\` is catalogued for validation and hover, but the simulator does not run it.`,
    });
    return { resolved: null, issues };
  }
  let updateRule: UpdateRuleName = rule;
  if (updateRule === 'FusedAdam' && flagOf(params, 'torch_adam', false)) {
    // DeepSpeed then builds torch.optim.AdamW or torch.optim.Adam with the same arguments.
    updateRule = flagOf(params, 'adam_w_mode', true) || /^adamw$/i.test(typeName.trim()) ? 'AdamW' : 'Adam';
  }
  if (issues.length > 0) return { resolved: null, issues };
  const [beta1, beta2] = pairOf(params, 'betas', [0.9, 0.999]);
  const [etaMinus, etaPlus] = pairOf(params, 'etas', [0.5, 1.2]);
  const [stepSizeMin, stepSizeMax] = pairOf(params, 'step_sizes', [1e-6, 50]);
  const hyperparameters: Hyperparameters = {
    lr: numberOf(params, 'lr', Number.NaN),
    momentum,
    dampening,
    weightDecay: numberOf(params, 'weight_decay', 0),
    nesterov,
    maximize: flagOf(params, 'maximize', false),
    beta1,
    beta2,
    eps: numberOf(params, 'eps', 1e-8),
    amsgrad: flagOf(params, 'amsgrad', false),
    centered: flagOf(params, 'centered', false),
    alpha: numberOf(params, 'alpha', 0.99),
    rho: numberOf(params, 'rho', 0.9),
    lrDecay: numberOf(params, 'lr_decay', 0),
    initialAccumulatorValue: numberOf(params, 'initial_accumulator_value', 0),
    momentumDecay: numberOf(params, 'momentum_decay', 4e-3),
    biasCorrection: flagOf(params, 'bias_correction', true),
    // DeepSpeed forces the decoupled mode for `"type": "AdamW"` whatever adam_w_mode says.
    adamWMode: flagOf(params, 'adam_w_mode', true) || /^adamw$/i.test(typeName.trim()),
    epsInsideSqrt: flagOf(params, 'eps_inside_sqrt', false),
    maxCoeff: numberOf(params, 'max_coeff', 10),
    minCoeff: numberOf(params, 'min_coeff', 0.01),
    trustCoefficient: numberOf(params, 'trust_coefficient', 0.001),
    etaMinus,
    etaPlus,
    stepSizeMin,
    stepSizeMax,
  };
  return { resolved: { rule: updateRule, entry, hyperparameters }, issues };
}
