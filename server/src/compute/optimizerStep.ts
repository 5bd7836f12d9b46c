// The training step of the range test in TensorFlow.js ops, with PyTorch's update rules for the configured
// optimizer (SGD with momentum/nesterov, Adam, AdamW, RMSprop, Adagrad) and the lr given per step by the ramp.

import type * as TensorFlow from '@tensorflow/tfjs-core';
import type { Hyperparameters, UpdateRuleName } from '../core/optim/hyperparameters';
import { RANGE_TEST_UPDATE_RULES } from '../core/rangeTest/types';
import type { TensorFlowModule } from './backends';

type Tensor = TensorFlow.Tensor;


export interface OptimizerStep {
  /**
   * Computes the loss and gradients of `lossFunction` and updates every variable at learning rate `lr`.
   * Returns the loss tensor (before the update) for the caller to read back, and disposes everything else.
   */
  step(lossFunction: () => TensorFlow.Scalar, lr: number): TensorFlow.Scalar;
  dispose(): void;
}

interface SlotState {
  first?: TensorFlow.Variable;
  second?: TensorFlow.Variable;
  maxSecond?: TensorFlow.Variable;
  /** SGD: the momentum buffer does not exist before the first step (PyTorch initialises it with the gradient). */
  started: boolean;
}

/**
 * Builds the step for `rule` over `variables`. Returns a reason string when the rule has no TensorFlow.js
 * implementation here. The math follows torch.optim's single-tensor code paths, including Adam's coupled L2
 * `weight_decay` (added to the gradient) and AdamW's decoupled decay (`p *= 1 - lr * wd`).
 */
export function createOptimizerStep(
  tf: TensorFlowModule,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  variables: readonly TensorFlow.Variable[],
): OptimizerStep | string {
  const adamFamily = rule === 'Adam' || rule === 'AdamW';
  if (!RANGE_TEST_UPDATE_RULES.includes(rule)) {
    return `The range test runs ${RANGE_TEST_UPDATE_RULES.join(', ')}; ${rule} has no TensorFlow.js implementation yet.`;
  }
  const slots: SlotState[] = variables.map((variable) => {
    const zeros = () => tf.variable(tf.zerosLike(variable), false);
    const slot: SlotState = { started: false };
    if (rule === 'SGD' && hyper.momentum !== 0) slot.first = zeros();
    if (adamFamily) {
      slot.first = zeros();
      slot.second = zeros();
      if (hyper.amsgrad) slot.maxSecond = zeros();
    }
    if (rule === 'RMSprop') {
      slot.second = zeros();
      if (hyper.centered) slot.first = zeros();
      if (hyper.momentum > 0) slot.maxSecond = zeros();
    }
    if (rule === 'Adagrad') slot.second = tf.variable(tf.fill(variable.shape, hyper.initialAccumulatorValue), false);
    return slot;
  });
  let stepCount = 0;
  const decoupled = rule === 'AdamW';

  const update = (variable: TensorFlow.Variable, rawGradient: Tensor, slot: SlotState, lr: number): void => {
    let g = hyper.maximize ? tf.neg(rawGradient) : rawGradient;
    const wd = hyper.weightDecay;
    if (wd !== 0 && !decoupled) g = tf.add(g, tf.mul(variable, wd));
    switch (rule) {
      case 'SGD': {
        if (slot.first) {
          const buffer = slot.started ? tf.add(tf.mul(slot.first, hyper.momentum), tf.mul(g, 1 - hyper.dampening)) : g;
          slot.first.assign(buffer);
          g = hyper.nesterov ? tf.add(g, tf.mul(buffer, hyper.momentum)) : buffer;
        }
        variable.assign(tf.sub(variable, tf.mul(g, lr)));
        break;
      }
      case 'Adam':
      case 'AdamW': {
        const { beta1, beta2, eps } = hyper;
        const decayed = decoupled && wd !== 0 ? tf.mul(variable, 1 - lr * wd) : variable;
        const m = tf.add(tf.mul(slot.first!, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(slot.second!, beta2), tf.mul(tf.square(g), 1 - beta2));
        slot.first!.assign(m);
        slot.second!.assign(v);
        let second: Tensor = v;
        if (slot.maxSecond) {
          second = tf.maximum(slot.maxSecond, v);
          slot.maxSecond.assign(second);
        }
        const correction1 = 1 - Math.pow(beta1, stepCount);
        const correction2 = 1 - Math.pow(beta2, stepCount);
        const denominator = tf.add(tf.div(tf.sqrt(second), Math.sqrt(correction2)), eps);
        variable.assign(tf.sub(decayed, tf.mul(tf.div(m, denominator), lr / correction1)));
        break;
      }
      case 'RMSprop': {
        const { alpha, eps } = hyper;
        const squareAverage = tf.add(tf.mul(slot.second!, alpha), tf.mul(tf.square(g), 1 - alpha));
        slot.second!.assign(squareAverage);
        let average: Tensor;
        if (slot.first) {
          const gradientAverage = tf.add(tf.mul(slot.first, alpha), tf.mul(g, 1 - alpha));
          slot.first.assign(gradientAverage);
          average = tf.add(tf.sqrt(tf.sub(squareAverage, tf.square(gradientAverage))), eps);
        } else {
          average = tf.add(tf.sqrt(squareAverage), eps);
        }
        if (slot.maxSecond) {
          const buffer = tf.add(tf.mul(slot.maxSecond, hyper.momentum), tf.div(g, average));
          slot.maxSecond.assign(buffer);
          variable.assign(tf.sub(variable, tf.mul(buffer, lr)));
        } else {
          variable.assign(tf.sub(variable, tf.mul(tf.div(g, average), lr)));
        }
        break;
      }
      case 'Adagrad': {
        const clr = lr / (1 + (stepCount - 1) * hyper.lrDecay);
        const sum = tf.add(slot.second!, tf.square(g));
        slot.second!.assign(sum);
        variable.assign(tf.sub(variable, tf.mul(tf.div(g, tf.add(tf.sqrt(sum), hyper.eps)), clr)));
        break;
      }
      default:
        break;
    }
    slot.started = true;
  };

  return {
    step(lossFunction, lr) {
      stepCount += 1;
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFunction, variables as TensorFlow.Variable[]);
        variables.forEach((variable, index) => update(variable, grads[variable.name]!, slots[index]!, lr));
        return value;
      });
    },
    dispose() {
      for (const slot of slots) tf.dispose([slot.first, slot.second, slot.maxSecond].filter((t): t is TensorFlow.Variable => t !== undefined));
    },
  };
}
