// One training step of an MLP classifier as a single ONNX graph: forward pass, mean softmax cross-entropy,
// the backward pass written out by hand, and the configured optimizer's update, following torch.optim's
// single-tensor code paths (PyTorch 1.13). Run once per iteration, it takes the weights and optimizer state in
// and gives the loss (before the update) and the new weights and state out, so a step is one native call.

import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import { RANGE_TEST_UPDATE_RULES } from '../../core/rangeTest/types';
import { GraphBuilder } from './onnxModel';

/** One optimizer state tensor of a parameter, fed in and read back every step. */
export interface StateSlot {
  readonly name: string;
  /** Index of the parameter it belongs to (same shape). */
  readonly parameter: number;
  /** Its value before the first step (Adagrad starts its sum at `initial_accumulator_value`). */
  readonly initial: number;
}

export interface TrainingGraph {
  readonly model: Uint8Array;
  /** Input names of the weights, in [W0, b0, W1, b1, ...] order; output `${name}.next` is the updated value. */
  readonly parameters: readonly string[];
  readonly parameterShapes: readonly (readonly number[])[];
  /** Optimizer state; output `${name}.next` is the updated value. */
  readonly state: readonly StateSlot[];
  /** Names of the per-step scalar inputs; `stepScalars` gives their values. */
  readonly scalars: readonly string[];
}

export const FEATURES = 'features';
export const LABELS = 'labels';
export const LOSS = 'loss';

/**
 * The per-step scalars of `rule` at 1-based `step` and learning rate `lr`, computed in double precision as
 * torch.optim does in Python, then fed as float32.
 */
export function stepScalars(rule: UpdateRuleName, hyper: Hyperparameters, step: number, lr: number): Record<string, number> {
  switch (rule) {
    case 'SGD':
      // PyTorch starts the momentum buffer as a copy of the first gradient (no dampening on step 1).
      return step === 1 ? { lr, bufferScale: 0, gradientScale: 1 } : { lr, bufferScale: hyper.momentum, gradientScale: 1 - hyper.dampening };
    case 'Adam':
    case 'AdamW': {
      const correction1 = 1 - Math.pow(hyper.beta1, step);
      const correction2 = 1 - Math.pow(hyper.beta2, step);
      return { stepSize: lr / correction1, correction2Root: Math.sqrt(correction2), decay: 1 - lr * hyper.weightDecay };
    }
    case 'RMSprop':
      return { lr };
    case 'Adagrad':
      return { clr: lr / (1 + (step - 1) * hyper.lrDecay) };
    default:
      return {};
  }
}

/**
 * Builds the training-step graph of an MLP over `sizes` (ReLU between layers, logits out) for batches of
 * `batchSize` rows, with `rule`'s update. Returns a reason string for a rule the graph does not implement.
 */
export function buildMlpTrainingGraph(sizes: readonly number[], batchSize: number, rule: UpdateRuleName, hyper: Hyperparameters): TrainingGraph | string {
  if (!RANGE_TEST_UPDATE_RULES.includes(rule)) {
    return `The range test runs ${RANGE_TEST_UPDATE_RULES.join(', ')}; ${rule} has no implementation on this backend yet.`;
  }
  // The inputs are whatever `stepScalars` computes for the rule, so the two cannot drift apart.
  const scalarNames = Object.keys(stepScalars(rule, hyper, 1, 1));
  const g = new GraphBuilder(`mlp_${sizes.join('_')}_${rule}`);
  const x = g.input(FEATURES, [batchSize, sizes[0]!]);
  const y = g.input(LABELS, [batchSize, sizes[sizes.length - 1]!]);
  const parameters: string[] = [];
  const parameterShapes: number[][] = [];
  for (let layer = 0; layer + 1 < sizes.length; layer++) {
    parameters.push(g.input(`w${layer}`, [sizes[layer]!, sizes[layer + 1]!]), g.input(`b${layer}`, [sizes[layer + 1]!]));
    parameterShapes.push([sizes[layer]!, sizes[layer + 1]!], [sizes[layer + 1]!]);
  }
  const scalars = Object.fromEntries(scalarNames.map((name) => [name, g.input(name, [])]));

  // Forward: activations[l] is the input of layer l; the last layer gives logits.
  const layers = parameters.length / 2;
  const activations: string[] = [x];
  let logits = x;
  for (let layer = 0; layer < layers; layer++) {
    const z = g.one('Gemm', [activations[layer]!, parameters[2 * layer]!, parameters[2 * layer + 1]!]);
    if (layer + 1 < layers) activations.push(g.one('Relu', [z]));
    else logits = z;
  }
  // Mean over the batch of -sum(y * log_softmax(logits)), as F.cross_entropy with one-hot targets.
  const logProbabilities = g.one('LogSoftmax', [logits], { axis: 1 });
  const rowAxis = g.int64s([1]);
  const batchAxis = g.int64s([0]);
  const perRow = g.one('ReduceSum', [g.one('Mul', [y, logProbabilities]), rowAxis], { keepdims: 0 });
  const rows = g.scalar(batchSize);
  g.output(g.one('Div', [g.one('Neg', [g.one('ReduceSum', [perRow, batchAxis], { keepdims: 0 })]), rows]), LOSS, []);

  // Backward: d(loss)/d(logits) = (softmax - y) / batch; ReLU passes the gradient where its output is > 0.
  const gradients: string[] = new Array<string>(parameters.length);
  let upstream = g.one('Div', [g.one('Sub', [g.one('Exp', [logProbabilities]), y]), rows]);
  for (let layer = layers - 1; layer >= 0; layer--) {
    gradients[2 * layer] = g.one('Gemm', [activations[layer]!, upstream], { transA: 1 });
    gradients[2 * layer + 1] = g.one('ReduceSum', [upstream, batchAxis], { keepdims: 0 });
    if (layer > 0) {
      const input = g.one('Gemm', [upstream, parameters[2 * layer]!], { transB: 1 });
      upstream = g.one('Mul', [input, g.one('Sign', [activations[layer]!])]);
    }
  }

  const state: StateSlot[] = [];
  parameters.forEach((parameter, index) => {
    const slot = (kind: string, initial = 0): string => {
      const name = `${parameter}.${kind}`;
      state.push({ name, parameter: index, initial });
      return g.input(name, parameterShapes[index]!);
    };
    const emit = (value: string, name: string) => g.output(value, `${name}.next`, parameterShapes[index]!);
    const updated = applyUpdate(g, rule, hyper, parameter, gradients[index]!, scalars, slot, emit);
    emit(updated, parameter);
  });
  return { model: g.encode(), parameters, parameterShapes, state, scalars: scalarNames };
}

/**
 * Adds the optimizer's update of one parameter and returns the new parameter's value name. `slot` declares a
 * state input (returning its name); `emit` declares the updated state as an output.
 */
function applyUpdate(
  g: GraphBuilder,
  rule: UpdateRuleName,
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
  let grad = hyper.maximize ? g.one('Neg', [gradient]) : gradient;
  const decoupled = rule === 'AdamW';
  if (hyper.weightDecay !== 0 && !decoupled) grad = add(grad, mul(parameter, c(hyper.weightDecay)));
  switch (rule) {
    case 'SGD': {
      let direction = grad;
      if (hyper.momentum !== 0) {
        const name = slot('momentum_buffer');
        const buffer = add(mul(name, scalars.bufferScale!), mul(grad, scalars.gradientScale!));
        emit(buffer, name);
        direction = hyper.nesterov ? add(grad, mul(buffer, c(hyper.momentum))) : buffer;
      }
      return g.one('Sub', [parameter, mul(direction, scalars.lr!)]);
    }
    case 'Adam':
    case 'AdamW': {
      const decayed = decoupled && hyper.weightDecay !== 0 ? mul(parameter, scalars.decay!) : parameter;
      const mName = slot('exp_avg');
      const vName = slot('exp_avg_sq');
      const m = add(mul(mName, c(hyper.beta1)), mul(grad, c(1 - hyper.beta1)));
      const v = add(mul(vName, c(hyper.beta2)), mul(mul(grad, grad), c(1 - hyper.beta2)));
      emit(m, mName);
      emit(v, vName);
      let second = v;
      if (hyper.amsgrad) {
        const maxName = slot('max_exp_avg_sq');
        second = g.one('Max', [maxName, v]);
        emit(second, maxName);
      }
      const denominator = add(g.one('Div', [g.one('Sqrt', [second]), scalars.correction2Root!]), c(hyper.eps));
      return g.one('Sub', [decayed, mul(g.one('Div', [m, denominator]), scalars.stepSize!)]);
    }
    case 'RMSprop': {
      const sqName = slot('square_avg');
      const squareAverage = add(mul(sqName, c(hyper.alpha)), mul(mul(grad, grad), c(1 - hyper.alpha)));
      emit(squareAverage, sqName);
      let average: string;
      if (hyper.centered) {
        const gaName = slot('grad_avg');
        const gradientAverage = add(mul(gaName, c(hyper.alpha)), mul(grad, c(1 - hyper.alpha)));
        emit(gradientAverage, gaName);
        average = add(g.one('Sqrt', [g.one('Sub', [squareAverage, mul(gradientAverage, gradientAverage)])]), c(hyper.eps));
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
    }
    case 'Adagrad': {
      const sumName = slot('sum', hyper.initialAccumulatorValue);
      const sum = add(sumName, mul(grad, grad));
      emit(sum, sumName);
      const direction = g.one('Div', [grad, add(g.one('Sqrt', [sum]), c(hyper.eps))]);
      return g.one('Sub', [parameter, mul(direction, scalars.clr!)]);
    }
    default:
      return parameter;
  }
}
