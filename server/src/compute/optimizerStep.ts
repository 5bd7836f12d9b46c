// The training step of the range test in TensorFlow.js ops, with PyTorch's update rule for the configured
// optimizer (every rule the update-rule table marks `rangeTest`) and the lr given per step by the ramp.

import type * as TensorFlow from '@tensorflow/tfjs-core';
import type { Hyperparameters } from '../core/optim/hyperparameters';
import {
  adagradStepLr,
  isRangeTestRule,
  nadamStepWeights,
  RANGE_TEST_RULES,
  type RangeTestUpdateRule,
  type UpdateRuleName,
} from '../core/optim/updateRules';
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

/** What one update of one variable sees; `g` already has `maximize` and coupled L2 decay applied. */
interface UpdateContext {
  readonly tf: TensorFlowModule;
  readonly hyper: Hyperparameters;
  readonly variable: TensorFlow.Variable;
  readonly g: Tensor;
  readonly slot: SlotState;
  readonly lr: number;
  /** 1-based count of the step being taken. */
  readonly stepCount: number;
  /** This step's scalars from the rule's `stepScalars` (empty when it has none). */
  readonly scalars: Readonly<Record<string, number>>;
}

/** One update rule in TensorFlow.js ops. */
interface TensorFlowUpdate {
  /** Decoupled weight decay (AdamW): `weight_decay` shrinks the weights instead of entering the gradient. */
  readonly decoupled: boolean;
  /** Creates the state of one variable (before the first step). */
  slots(tf: TensorFlowModule, hyper: Hyperparameters, variable: TensorFlow.Variable): SlotState;
  /**
   * Scalars computed once per step for all variables, in double precision (NAdam's momentum schedule, which
   * carries a running product); called with steps 1, 2, 3, ...
   */
  stepScalars?(hyper: Hyperparameters): (stepCount: number, lr: number) => Readonly<Record<string, number>>;
  apply(context: UpdateContext): void;
}

function zerosLike(tf: TensorFlowModule, variable: TensorFlow.Variable): TensorFlow.Variable {
  return tf.variable(tf.zerosLike(variable), false);
}

function adamUpdate(decoupled: boolean): TensorFlowUpdate {
  return {
    decoupled,
    slots: (tf, hyper, variable) => ({
      started: false,
      first: zerosLike(tf, variable),
      second: zerosLike(tf, variable),
      ...(hyper.amsgrad ? { maxSecond: zerosLike(tf, variable) } : {}),
    }),
    apply({ tf, hyper, variable, g, slot, lr, stepCount }) {
      const { beta1, beta2, eps } = hyper;
      const wd = hyper.weightDecay;
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
    },
  };
}

/**
 * The range test's rules in TensorFlow.js. Keyed by every rule the update-rule table marks `rangeTest`, so a rule
 * added there without an implementation here does not compile.
 */
const TENSORFLOW_UPDATES: Readonly<Record<RangeTestUpdateRule, TensorFlowUpdate>> = {
  SGD: {
    decoupled: false,
    slots: (tf, hyper, variable) => ({
      started: false,
      ...(hyper.momentum !== 0 ? { first: zerosLike(tf, variable) } : {}),
    }),
    apply({ tf, hyper, variable, g, slot, lr }) {
      let direction = g;
      if (slot.first) {
        const buffer = slot.started ? tf.add(tf.mul(slot.first, hyper.momentum), tf.mul(g, 1 - hyper.dampening)) : g;
        slot.first.assign(buffer);
        direction = hyper.nesterov ? tf.add(g, tf.mul(buffer, hyper.momentum)) : buffer;
      }
      variable.assign(tf.sub(variable, tf.mul(direction, lr)));
    },
  },
  Adam: adamUpdate(false),
  AdamW: adamUpdate(true),
  RMSprop: {
    decoupled: false,
    slots: (tf, hyper, variable) => ({
      started: false,
      second: zerosLike(tf, variable),
      ...(hyper.centered ? { first: zerosLike(tf, variable) } : {}),
      ...(hyper.momentum > 0 ? { maxSecond: zerosLike(tf, variable) } : {}),
    }),
    apply({ tf, hyper, variable, g, slot, lr }) {
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
    },
  },
  NAdam: {
    decoupled: false,
    slots: (tf, _hyper, variable) => ({
      started: false,
      first: zerosLike(tf, variable),
      second: zerosLike(tf, variable),
    }),
    stepScalars(hyper) {
      const weights = nadamStepWeights(hyper);
      return (stepCount, lr) => ({ ...weights(stepCount, lr) });
    },
    apply({ tf, hyper, variable, g, slot, scalars }) {
      const { beta1, beta2, eps } = hyper;
      const m = tf.add(tf.mul(slot.first!, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(slot.second!, beta2), tf.mul(tf.square(g), 1 - beta2));
      slot.first!.assign(m);
      slot.second!.assign(v);
      const denominator = tf.add(tf.sqrt(tf.div(v, scalars.biasCorrection2!)), eps);
      const numerator = tf.add(tf.mul(g, scalars.gradientWeight!), tf.mul(m, scalars.momentumWeight!));
      variable.assign(tf.sub(variable, tf.div(numerator, denominator)));
    },
  },
  Adagrad: {
    decoupled: false,
    slots: (tf, hyper, variable) => ({
      started: false,
      second: tf.variable(tf.fill(variable.shape, hyper.initialAccumulatorValue), false),
    }),
    apply({ tf, hyper, variable, g, slot, lr, stepCount }) {
      const clr = adagradStepLr(lr, hyper.lrDecay, stepCount);
      const sum = tf.add(slot.second!, tf.square(g));
      slot.second!.assign(sum);
      variable.assign(tf.sub(variable, tf.mul(tf.div(g, tf.add(tf.sqrt(sum), hyper.eps)), clr)));
    },
  },
};

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
  if (!isRangeTestRule(rule)) {
    return `The range test runs ${RANGE_TEST_RULES.join(', ')}; ${rule} has no TensorFlow.js implementation yet.`;
  }
  const rules = TENSORFLOW_UPDATES[rule];
  const slots: SlotState[] = variables.map((variable) => rules.slots(tf, hyper, variable));
  const scalarsAt = rules.stepScalars?.(hyper);
  let stepCount = 0;

  const update = (
    variable: TensorFlow.Variable,
    rawGradient: Tensor,
    slot: SlotState,
    lr: number,
    scalars: Readonly<Record<string, number>>,
  ): void => {
    let g = hyper.maximize ? tf.neg(rawGradient) : rawGradient;
    const wd = hyper.weightDecay;
    if (wd !== 0 && !rules.decoupled) g = tf.add(g, tf.mul(variable, wd));
    rules.apply({ tf, hyper, variable, g, slot, lr, stepCount, scalars });
    slot.started = true;
  };

  return {
    step(lossFunction, lr) {
      stepCount += 1;
      const scalars = scalarsAt?.(stepCount, lr) ?? {};
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFunction, variables as TensorFlow.Variable[]);
        variables.forEach((variable, index) => update(variable, grads[variable.name]!, slots[index]!, lr, scalars));
        return value;
      });
    },
    dispose() {
      for (const slot of slots)
        tf.dispose([slot.first, slot.second, slot.maxSecond].filter((t): t is TensorFlow.Variable => t !== undefined));
    },
  };
}
