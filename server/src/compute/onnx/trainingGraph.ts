// One training step of an MLP classifier as a single ONNX graph: forward pass, mean softmax cross-entropy,
// the backward pass written out by hand, and the configured optimizer's update, following torch.optim's
// single-tensor code paths (PyTorch 1.13). Run once per iteration, it takes the weights and optimizer state in
// and gives the loss (before the update) and the new weights and state out, so a step is one native call.
// The loss head, the parameter packing and the optimizer update are shared with the CNN's graph.

import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import {
  adagradStepLr,
  isRangeTestRule,
  nadamStepWeights,
  type RangeTestUpdateRule,
} from '../../core/optim/updateRules';
import { RANGE_TEST_UPDATE_RULES } from '../../core/rangeTest/types';
import { GraphBuilder } from './onnxModel';

/**
 * One input of trainable values: a large weight on its own, or the small ones packed into one flat vector. The
 * update is element-wise, so packing changes no value; it makes the update a dozen kernels for all the small
 * weights together instead of a dozen each (on the MLPs and the CNN, most of a step's kernels were those).
 */
export interface ParameterGroup {
  /** The input's name; output `${name}.next` is the updated value. */
  readonly name: string;
  readonly shape: readonly number[];
  /** The parameters it holds, in order (indices into the task's weights); their values are concatenated. */
  readonly members: readonly number[];
}

/** One optimizer state tensor of a parameter group, fed in and read back every step. */
export interface StateSlot {
  readonly name: string;
  /** Index of the group it belongs to (same shape). */
  readonly group: number;
  /** Its value before the first step (Adagrad starts its sum at `initial_accumulator_value`). */
  readonly initial: number;
}

export interface TrainingGraph {
  readonly model: Uint8Array;
  /** The trainable inputs; every task weight is in exactly one. */
  readonly groups: readonly ParameterGroup[];
  /** Optimizer state; output `${name}.next` is the updated value. */
  readonly state: readonly StateSlot[];
  /** Names of the per-step scalar inputs; `stepScalars` gives their values. */
  readonly scalars: readonly string[];
  /**
   * Training steps per run (1 when absent). Step k reads `stepName(FEATURES, k)`, `stepName(LABELS, k)` and
   * `stepName(scalar, k)` and gives `stepName(LOSS, k)`; the weights and state go in once and come out once.
   */
  readonly steps?: number;
}

export const FEATURES = 'features';
export const LABELS = 'labels';
export const LOSS = 'loss';

/** The name of per-step input or output `name` for step `k` of a multi-step graph (`name` itself for step 0). */
export function stepName(name: string, k: number): string {
  return k === 0 ? name : `${name}.${k}`;
}

/** The per-step scalars of one run, by 1-based step and learning rate (steps asked for in order, 1, 2, 3, ...). */
export type StepScalars = (step: number, lr: number) => Record<string, number>;

/**
 * The per-step scalars of `rule` for one run: at each 1-based `step` and learning rate `lr`, computed in double
 * precision as torch.optim does in Python, then fed as float32. A rule may carry a value from step to step
 * (NAdam's product of momentum factors), so a run makes one and asks it for its steps in order.
 */
export function createStepScalars(rule: RangeTestUpdateRule, hyper: Hyperparameters): StepScalars {
  return ONNX_UPDATES[rule].stepScalars(hyper);
}

/** The per-step scalars of `rule` at 1-based `step` alone (a fresh `createStepScalars`). */
export function stepScalars(
  rule: RangeTestUpdateRule,
  hyper: Hyperparameters,
  step: number,
  lr: number,
): Record<string, number> {
  return createStepScalars(rule, hyper)(step, lr);
}

/** Why the training graphs refuse `rule` (one outside the range test). */
export function rangeTestRefusal(rule: UpdateRuleName): string {
  return `The range test runs ${RANGE_TEST_UPDATE_RULES.join(', ')}; ${rule} has no implementation on this backend yet.`;
}

/** The per-step scalar inputs of `rule` for step `k`, declared on `g`; the names are whatever `stepScalars` computes. */
export function declareScalars(
  g: GraphBuilder,
  rule: RangeTestUpdateRule,
  hyper: Hyperparameters,
  k = 0,
): { names: string[]; inputs: Record<string, string> } {
  const names = Object.keys(stepScalars(rule, hyper, 1, 1));
  return { names, inputs: Object.fromEntries(names.map((name) => [name, g.input(stepName(name, k), [])])) };
}

/** A one-step training graph being built: its builder, batch inputs and weights (see `startTrainingGraph`). */
export interface TrainingGraphStart {
  readonly g: GraphBuilder;
  /** The features and the one-hot labels of the batch. */
  readonly x: string;
  readonly y: string;
  /** Each weight's value, in the order of the parameter names. */
  readonly values: readonly string[];
  /** Adds the optimizer update from each weight's gradient and encodes the graph. */
  finish(gradients: readonly string[]): TrainingGraph;
}

/**
 * Starts a one-step training graph named `name`: the batch inputs, the weights (`declareParameters`) and the per-step
 * scalars. Returns the reason instead for a rule the graphs do not implement.
 */
export function startTrainingGraph(
  name: string,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  shapes: {
    readonly features: readonly number[];
    readonly labels: readonly number[];
    readonly parameters: readonly (readonly number[])[];
  },
  parameterNames: readonly string[],
): TrainingGraphStart | string {
  if (!isRangeTestRule(rule)) return rangeTestRefusal(rule);
  const g = new GraphBuilder(name);
  const x = g.input(FEATURES, shapes.features);
  const y = g.input(LABELS, shapes.labels);
  const { values, groups } = declareParameters(g, parameterNames, shapes.parameters);
  const scalars = declareScalars(g, rule, hyper);
  return {
    g,
    x,
    y,
    values,
    finish(gradients) {
      const { state } = addOptimizerUpdates(g, rule, hyper, groups, gradients, scalars.inputs);
      return { model: g.encode(), groups, state, scalars: scalars.names };
    },
  };
}

/**
 * Adds the mean over the batch of -sum(y * log_softmax(logits)) (F.cross_entropy with one-hot targets) as the
 * `loss` output, and returns its gradient with respect to the logits: (softmax - y) / batch.
 */
export function addCrossEntropy(
  g: GraphBuilder,
  logits: string,
  labels: string,
  batchSize: number,
  loss = LOSS,
): string {
  const logProbabilities = g.one('LogSoftmax', [logits], { axis: 1 });
  const perRow = g.one('ReduceSum', [g.one('Mul', [labels, logProbabilities]), g.int64s([1])], { keepdims: 0 });
  const rows = g.scalar(batchSize);
  g.output(
    g.one('Div', [g.one('Neg', [g.one('ReduceSum', [perRow, g.int64s([0])], { keepdims: 0 })]), rows]),
    loss,
    [],
  );
  return g.one('Div', [g.one('Sub', [g.one('Exp', [logProbabilities]), labels]), rows]);
}

/** Weights up to this many values are packed together (a copy in and out costs less than a dozen kernels). */
const PACK_LIMIT = 65536;

/**
 * Declares the trainable inputs for weights `names` of `shapes`: each large one alone, the small ones in one
 * flat `packed` input, sliced back into their shapes. Returns the value name of each weight and the groups.
 */
export function declareParameters(
  g: GraphBuilder,
  names: readonly string[],
  shapes: readonly (readonly number[])[],
): { values: string[]; groups: ParameterGroup[] } {
  const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
  const small = shapes.map((shape, index) => (size(shape) <= PACK_LIMIT ? index : -1)).filter((index) => index >= 0);
  const packed = small.length > 1 ? small : [];
  const values = new Array<string>(names.length);
  const groups: ParameterGroup[] = [];
  names.forEach((name, index) => {
    if (packed.includes(index)) return;
    values[index] = g.input(name, shapes[index]!);
    groups.push({ name, shape: shapes[index]!, members: [index] });
  });
  if (packed.length > 0) {
    const total = packed.reduce((sum, index) => sum + size(shapes[index]!), 0);
    groups.push({ name: g.input('packed', [total]), shape: [total], members: packed });
  }
  return {
    values: unpackParameters(
      g,
      groups,
      groups.map((group) => group.name),
      shapes,
    ),
    groups,
  };
}

/** Each weight's value, from the values of the groups (a packed group sliced back into its members' shapes). */
function unpackParameters(
  g: GraphBuilder,
  groups: readonly ParameterGroup[],
  groupValues: readonly string[],
  shapes: readonly (readonly number[])[],
): string[] {
  const values = new Array<string>(shapes.length);
  groups.forEach((group, index) => {
    const flat = groupValues[index]!;
    if (group.members.length === 1) {
      values[group.members[0]!] = flat;
      return;
    }
    let offset = 0;
    for (const member of group.members) {
      const end = offset + shapes[member]!.reduce((a, b) => a * b, 1);
      const slice = g.one('Slice', [flat, g.int64s([offset]), g.int64s([end]), g.int64s([0])]);
      values[member] = shapes[member]!.length === 1 ? slice : g.one('Reshape', [slice, g.int64s(shapes[member]!)]);
      offset = end;
    }
  });
  return values;
}

/** Where one step of a multi-step graph takes its weights and state from, and whether it is the run's last. */
interface StepLinks {
  /** Each group's value before this step (the group's input on the first step). */
  readonly parameters: readonly string[];
  /** Each state value before this step by state name; absent on the first step, which declares them as inputs. */
  readonly state?: ReadonlyMap<string, string>;
  /** The last step's new weights and state are the graph's `${name}.next` outputs. */
  readonly last: boolean;
}

/**
 * Adds `rule`'s update of every parameter group (given each weight's gradient). By default (a one-step graph) the
 * optimizer state comes in as inputs and the new values go out as `${name}.next` outputs; `links` chains one step of
 * a multi-step run to the previous one. Returns the state slots, and the new group values and state for a next step.
 */
export function addOptimizerUpdates(
  g: GraphBuilder,
  rule: RangeTestUpdateRule,
  hyper: Hyperparameters,
  groups: readonly ParameterGroup[],
  gradients: readonly string[],
  scalars: Record<string, string>,
  links: StepLinks = { parameters: groups.map((group) => group.name), last: true },
): { state: StateSlot[]; parameters: string[]; stateValues: Map<string, string> } {
  const state: StateSlot[] = [];
  const stateValues = new Map<string, string>();
  const parameters = groups.map((group, index) => {
    // `emit` is given the value `slot` returned (or the parameter's); this maps it back to the state's name.
    const stateNames = new Map<string, string>([[links.parameters[index]!, group.name]]);
    const slot = (kind: string, initial = 0): string => {
      const name = `${group.name}.${kind}`;
      state.push({ name, group: index, initial });
      const value = links.state ? links.state.get(name)! : g.input(name, group.shape);
      stateNames.set(value, name);
      return value;
    };
    const emit = (value: string, given: string) => {
      const name = stateNames.get(given) ?? given;
      if (links.last) g.output(value, `${name}.next`, group.shape);
      stateValues.set(name, value);
    };
    const gradient =
      group.members.length === 1
        ? gradients[group.members[0]!]!
        : g.one(
            'Concat',
            group.members.map((member) => g.one('Reshape', [gradients[member]!, g.int64s([-1])])),
            { axis: 0 },
          );
    const updated = applyUpdate(g, rule, hyper, links.parameters[index]!, gradient, scalars, slot, emit);
    emit(updated, links.parameters[index]!);
    return updated;
  });
  return { state, parameters, stateValues };
}

/**
 * Builds the training graph of an MLP over `sizes` (ReLU between layers, logits out) for batches of `batchSize`
 * rows, with `rule`'s update: `steps` training steps one after the other in one run (see `TrainingGraph.steps`).
 * Returns a reason string for a rule the graph does not implement.
 */
export function buildMlpTrainingGraph(
  sizes: readonly number[],
  batchSize: number,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  steps = 1,
): TrainingGraph | string {
  if (!isRangeTestRule(rule)) return rangeTestRefusal(rule);
  const g = new GraphBuilder(`mlp_${sizes.join('_')}_${rule}_${steps}`);
  const names: string[] = [];
  const shapes: number[][] = [];
  for (let layer = 0; layer + 1 < sizes.length; layer++) {
    names.push(`w${layer}`, `b${layer}`);
    shapes.push([sizes[layer]!, sizes[layer + 1]!], [sizes[layer + 1]!]);
  }
  const declared = declareParameters(g, names, shapes);
  const groups = declared.groups;
  let links: StepLinks = { parameters: groups.map((group) => group.name), last: steps === 1 };
  let parameters = declared.values;
  let state: StateSlot[] = [];
  let scalarNames: string[] = [];
  for (let k = 0; k < steps; k++) {
    if (k > 0) parameters = unpackParameters(g, groups, links.parameters, shapes);
    const x = g.input(stepName(FEATURES, k), [batchSize, sizes[0]!]);
    const y = g.input(stepName(LABELS, k), [batchSize, sizes[sizes.length - 1]!]);
    const scalars = declareScalars(g, rule, hyper, k);
    const gradients = addMlpGradients(g, parameters, x, y, batchSize, stepName(LOSS, k));
    const step = addOptimizerUpdates(g, rule, hyper, groups, gradients, scalars.inputs, links);
    if (k === 0) [state, scalarNames] = [step.state, scalars.names];
    links = { parameters: step.parameters, state: step.stateValues, last: k + 2 === steps };
  }
  return { model: g.encode(), groups, state, scalars: scalarNames, steps };
}

/** One forward and backward pass of the MLP with weights `parameters` on batch `x`, `y`; returns the gradients. */
function addMlpGradients(
  g: GraphBuilder,
  parameters: readonly string[],
  x: string,
  y: string,
  batchSize: number,
  loss: string,
): string[] {
  // Forward: activations[l] is the input of layer l; the last layer gives logits.
  const layers = parameters.length / 2;
  const activations: string[] = [x];
  let logits = x;
  for (let layer = 0; layer < layers; layer++) {
    const z = g.one('Gemm', [activations[layer]!, parameters[2 * layer]!, parameters[2 * layer + 1]!]);
    if (layer + 1 < layers) activations.push(g.one('Relu', [z]));
    else logits = z;
  }
  // Backward: ReLU passes the gradient where its output is > 0. A bias's gradient, the sum over the batch, is a
  // product with a row of ones: ONNX Runtime's ReduceSum over the leading axis took 4 times as long (40 us a step
  // for the 784-256-10 MLP's hidden layer).
  const gradients: string[] = new Array<string>(parameters.length);
  let upstream = addCrossEntropy(g, logits, y, batchSize, loss);
  const ones = g.one('Expand', [g.scalar(1), g.int64s([batchSize])]);
  for (let layer = layers - 1; layer >= 0; layer--) {
    gradients[2 * layer] = g.one('Gemm', [activations[layer]!, upstream], { transA: 1 });
    gradients[2 * layer + 1] = g.one('MatMul', [ones, upstream]);
    if (layer > 0) {
      const input = g.one('Gemm', [upstream, parameters[2 * layer]!], { transB: 1 });
      upstream = g.one('Mul', [input, g.one('Sign', [activations[layer]!])]);
    }
  }
  return gradients;
}

/**
 * Adds the optimizer's update of one parameter and returns the new parameter's value name. `slot` declares a
 * state input (returning its name); `emit` declares the updated state as an output.
 */
function applyUpdate(
  g: GraphBuilder,
  rule: RangeTestUpdateRule,
  hyper: Hyperparameters,
  parameter: string,
  gradient: string,
  scalars: Record<string, string>,
  slot: (kind: string, initial?: number) => string,
  emit: (value: string, stateName: string) => void,
): string {
  const mul = (a: string, b: string) => g.one('Mul', [a, b]);
  const add = (a: string, b: string) => g.one('Add', [a, b]);
  const c = (value: number) => g.scalar(value);
  const update = ONNX_UPDATES[rule];
  // torch.optim negates the gradient for `maximize`, then adds the L2 term; both, and the rule's own constant
  // factor, go into the gradient's Gemm where it has one (no element-wise pass for any of them).
  const scale = update.gradientScale?.(hyper) ?? 1;
  const decay =
    hyper.weightDecay !== 0 && !update.decoupled ? { value: parameter, factor: hyper.weightDecay * scale } : undefined;
  const grad = g.scaledSum(gradient, hyper.maximize ? -scale : scale, decay);
  return update.apply({ g, hyper, parameter, grad, scalars, slot, emit, mul, add, c });
}

/**
 * What the update of one parameter sees; `grad` already has `maximize` and coupled L2 decay applied, and is
 * multiplied by the rule's `gradientScale`.
 */
interface OnnxUpdateContext {
  readonly g: GraphBuilder;
  readonly hyper: Hyperparameters;
  readonly parameter: string;
  readonly grad: string;
  readonly scalars: Record<string, string>;
  readonly slot: (kind: string, initial?: number) => string;
  readonly emit: (value: string, stateName: string) => void;
  readonly mul: (a: string, b: string) => string;
  readonly add: (a: string, b: string) => string;
  readonly c: (value: number) => string;
}

/** One update rule as ONNX nodes, with the per-step scalars it reads. */
interface OnnxUpdate {
  /** Decoupled weight decay (AdamW): `weight_decay` shrinks the weights instead of entering the gradient. */
  readonly decoupled: boolean;
  /**
   * A constant the update wants the gradient multiplied by (1 when absent): folded into the gradient's matrix
   * product, it saves the update an element-wise pass over the weight.
   */
  gradientScale?(hyper: Hyperparameters): number;
  /** The per-step scalar inputs of one run, at 1-based `step` and learning rate `lr` (steps in order). */
  stepScalars(hyper: Hyperparameters): StepScalars;
  /** Adds the update of one parameter and returns the new parameter's value name. */
  apply(context: OnnxUpdateContext): string;
}

/**
 * Adam's two moments in the scaled form of `adamUpdate` and `nadamUpdate` (the gradient arrives as
 * G = sqrt(1 - beta2) g): M beta1 + G and v beta2 + G G, emitted as the new `exp_avg` and `exp_avg_sq`.
 */
function scaledMoments({ hyper, grad, slot, emit, mul, add, c }: OnnxUpdateContext): { m: string; v: string } {
  const mName = slot('exp_avg');
  const vName = slot('exp_avg_sq');
  const m = add(mul(mName, c(hyper.beta1)), grad);
  const v = add(mul(vName, c(hyper.beta2)), mul(grad, grad));
  emit(m, mName);
  emit(v, vName);
  return { m, v };
}

/**
 * Adam and AdamW in as few element-wise passes as the algebra allows (10 over a weight whose gradient is a Gemm,
 * against 13 written as in torch.optim). The gradient arrives as G = sqrt(1 - beta2) g (betas are in [0, 1)), so
 * the second moment v is v beta2 + G G, and the first moment is kept as M = m / k with k = (1 - beta1) /
 * sqrt(1 - beta2), so that M is M beta1 + G. The bias corrections and k go into two per-step scalars:
 * lr / c1 m / (sqrt(v) / sqrt(c2) + eps) is (lr sqrt(c2) k / c1) M / (sqrt(v) + eps sqrt(c2)).
 */
function adamUpdate(decoupled: boolean): OnnxUpdate {
  const firstMomentScale = (hyper: Hyperparameters) => (1 - hyper.beta1) / Math.sqrt(1 - hyper.beta2);
  return {
    decoupled,
    gradientScale: (hyper) => Math.sqrt(1 - hyper.beta2),
    stepScalars: (hyper) => (step, lr) => {
      const correction1 = 1 - Math.pow(hyper.beta1, step);
      const correction2Root = Math.sqrt(1 - Math.pow(hyper.beta2, step));
      return {
        stepSize: (lr / correction1) * correction2Root * firstMomentScale(hyper),
        epsilon: hyper.eps * correction2Root,
        decay: 1 - lr * hyper.weightDecay,
      };
    },
    apply(context) {
      const { g, hyper, parameter, scalars, slot, emit, mul, add } = context;
      const decayed = decoupled && hyper.weightDecay !== 0 ? mul(parameter, scalars.decay!) : parameter;
      const { m, v } = scaledMoments(context);
      let second = v;
      if (hyper.amsgrad) {
        const maxName = slot('max_exp_avg_sq');
        second = g.one('Max', [maxName, v]);
        emit(second, maxName);
      }
      const denominator = add(g.one('Sqrt', [second]), scalars.epsilon!);
      return g.one('Sub', [decayed, mul(g.one('Div', [m, denominator]), scalars.stepSize!)]);
    },
  };
}

/**
 * NAdam in the same form as Adam: the gradient arrives as G = sqrt(1 - beta2) g and the first moment is kept as
 * M = m / k, k = (1 - beta1) / sqrt(1 - beta2), so v is v beta2 + G G and M is M beta1 + G. With
 * sqrt(v / c2) + eps = (sqrt(v) + eps sqrt(c2)) / sqrt(c2), the update (a g + b m) / (sqrt(v / c2) + eps) is
 * (a' G + b' M) / (sqrt(v) + eps'), the per-step a, b (NAdam's momentum schedule) and c2 folded into a', b', eps'.
 */
function nadamUpdate(): OnnxUpdate {
  return {
    decoupled: false,
    gradientScale: (hyper) => Math.sqrt(1 - hyper.beta2),
    stepScalars(hyper) {
      const weights = nadamStepWeights(hyper);
      const gradientRoot = Math.sqrt(1 - hyper.beta2);
      const firstMomentScale = (1 - hyper.beta1) / gradientRoot;
      return (step, lr) => {
        const { gradientWeight, momentumWeight, biasCorrection2 } = weights(step, lr);
        const correction2Root = Math.sqrt(biasCorrection2);
        return {
          gradientStep: (gradientWeight * correction2Root) / gradientRoot,
          momentumStep: momentumWeight * correction2Root * firstMomentScale,
          epsilon: hyper.eps * correction2Root,
        };
      };
    },
    apply(context) {
      const { g, parameter, grad, scalars, mul, add } = context;
      const { m, v } = scaledMoments(context);
      const numerator = add(mul(grad, scalars.gradientStep!), mul(m, scalars.momentumStep!));
      const denominator = add(g.one('Sqrt', [v]), scalars.epsilon!);
      return g.one('Sub', [parameter, g.one('Div', [numerator, denominator])]);
    },
  };
}

/**
 * The range test's rules as ONNX graph pieces. Keyed by every rule the update-rule table (core/optim/updateRules.ts)
 * marks `rangeTest`, so a rule added there without an implementation here does not compile.
 */
const ONNX_UPDATES: Readonly<Record<RangeTestUpdateRule, OnnxUpdate>> = {
  SGD: {
    decoupled: false,
    // PyTorch starts the momentum buffer as a copy of the first gradient (no dampening on step 1).
    stepScalars: (hyper) => (step, lr) =>
      step === 1
        ? { lr, bufferScale: 0, gradientScale: 1 }
        : { lr, bufferScale: hyper.momentum, gradientScale: 1 - hyper.dampening },
    apply({ g, hyper, parameter, grad, scalars, slot, emit, mul, add, c }) {
      let direction = grad;
      if (hyper.momentum !== 0) {
        const name = slot('momentum_buffer');
        const buffer = add(mul(name, scalars.bufferScale!), mul(grad, scalars.gradientScale!));
        emit(buffer, name);
        direction = hyper.nesterov ? add(grad, mul(buffer, c(hyper.momentum))) : buffer;
      }
      return g.one('Sub', [parameter, mul(direction, scalars.lr!)]);
    },
  },
  Adam: adamUpdate(false),
  AdamW: adamUpdate(true),
  RMSprop: {
    decoupled: false,
    stepScalars: () => (_step, lr) => ({ lr }),
    apply({ g, hyper, parameter, grad, scalars, slot, emit, mul, add, c }) {
      const sqName = slot('square_avg');
      const squareAverage = add(mul(sqName, c(hyper.alpha)), mul(mul(grad, grad), c(1 - hyper.alpha)));
      emit(squareAverage, sqName);
      let average: string;
      if (hyper.centered) {
        const gaName = slot('grad_avg');
        const gradientAverage = add(mul(gaName, c(hyper.alpha)), mul(grad, c(1 - hyper.alpha)));
        emit(gradientAverage, gaName);
        average = add(
          g.one('Sqrt', [g.one('Sub', [squareAverage, mul(gradientAverage, gradientAverage)])]),
          c(hyper.eps),
        );
      } else {
        average = add(g.one('Sqrt', [squareAverage]), c(hyper.eps));
      }
      let direction = g.one('Div', [grad, average]);
      if (hyper.momentum > 0) {
        const bufName = slot('momentum_buffer');
        direction = add(mul(bufName, c(hyper.momentum)), direction);
        emit(direction, bufName);
      }
      return g.one('Sub', [parameter, mul(direction, scalars.lr!)]);
    },
  },
  NAdam: nadamUpdate(),
  Adagrad: {
    decoupled: false,
    stepScalars: (hyper) => (step, lr) => ({ clr: adagradStepLr(lr, hyper.lrDecay, step) }),
    apply({ g, hyper, parameter, grad, scalars, slot, emit, mul, add, c }) {
      const sumName = slot('sum', hyper.initialAccumulatorValue);
      const sum = add(sumName, mul(grad, grad));
      emit(sum, sumName);
      const direction = g.one('Div', [grad, add(g.one('Sqrt', [sum]), c(hyper.eps))]);
      return g.one('Sub', [parameter, mul(direction, scalars.clr!)]);
    },
  },
};
