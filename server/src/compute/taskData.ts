// The built-in proxy tasks as plain arrays: data, initial weights and batch order, all drawn from the seed.
// Every engine (TensorFlow.js, ONNX Runtime) builds its tensors from these, so a seed gives the same starting
// point and the same batches whichever backend runs the test, and curves can be compared across backends.

import { BUILT_IN_MLP_SIZES } from '../core/rangeTest/types';
import type { RangeTestParams } from '../core/rangeTest/types';
import { createRandom, permutation } from '../core/util/random';
import type { SeededRandom } from '../core/util/random';

/** A labelled data set: `count` samples of `sampleShape` features each, row-major. */
export interface Dataset {
  readonly features: Float32Array;
  readonly sampleShape: readonly number[];
  readonly labels: Int32Array;
  readonly classes: number;
  readonly count: number;
}

/** A weight tensor's initial values and shape. */
export interface InitialWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A built-in task's data, the generator that drew it (to draw weights and order next), and what it is. */
interface BuiltInData {
  /** e.g. `spiral: MLP 2-64-64-3 on 3000 points of a 3-arm spiral`. */
  readonly description: string;
  readonly dataset: Dataset;
  readonly random: SeededRandom;
}

/** The order in which fixed batches are visited: cut once from a seeded permutation, reshuffled every epoch. */
export interface BatchOrder {
  /** Rows of each batch: `batchRows(b)` is a view of `size` row indices. */
  readonly size: number;
  readonly batchCount: number;
  batchRows(batch: number): Int32Array;
  /** The batch to use next (advances the epoch's order). */
  next(): number;
}

const SPIRAL_MLP = BUILT_IN_MLP_SIZES.spiral!;
const MNIST_MLP = BUILT_IN_MLP_SIZES.mnist_mlp!;

function spiralData(params: RangeTestParams): BuiltInData {
  const random = createRandom(params.seed);
  const arms = 3;
  const perArm = 1000;
  const features = new Float32Array(arms * perArm * 2);
  const labels = new Int32Array(arms * perArm);
  for (let arm = 0; arm < arms; arm++) {
    for (let i = 0; i < perArm; i++) {
      const t = i / perArm;
      const angle = (arm * 2 * Math.PI) / arms + 4 * t + random.normal() * 0.2;
      const index = arm * perArm + i;
      features[index * 2] = t * Math.cos(angle);
      features[index * 2 + 1] = t * Math.sin(angle);
      labels[index] = arm;
    }
  }
  const description = `spiral: MLP ${SPIRAL_MLP.join('-')} on ${arms * perArm} points of a ${arms}-arm spiral`;
  return { description, dataset: { features, sampleShape: [2], labels, classes: arms, count: arms * perArm }, random };
}

function mnistLikeData(params: RangeTestParams): BuiltInData {
  const random = createRandom(params.seed);
  const classes = 10;
  const dim = 784;
  const count = 2048;
  // Ten sparse "stroke" prototypes; each sample blends its class prototype with a distractor and adds noise,
  // so the classes overlap and the loss keeps falling over many steps as on real MNIST.
  const prototypes = new Float32Array(classes * dim);
  for (let i = 0; i < prototypes.length; i++) prototypes[i] = random.next() < 0.2 ? 1 : 0;
  const labels = new Int32Array(count);
  const distractors = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = random.integer(classes);
    distractors[n] = random.integer(classes);
  }
  const features = new Float32Array(count * dim);
  random.fillNormal(features);
  for (let n = 0; n < count; n++) {
    const label = labels[n]! * dim;
    const distractor = distractors[n]! * dim;
    const row = n * dim;
    for (let j = 0; j < dim; j++) {
      const value = 0.6 * prototypes[label + j]! + 0.4 * prototypes[distractor + j]! + 0.35 * features[row + j]!;
      // Clamped to [0, 1]. Half the values are negative, at random, so a branch there is mispredicted half the
      // time (two thirds of this task's data time); (v + |v|) / 2 is max(v, 0) exactly, without a branch.
      const positive = (value + Math.abs(value)) * 0.5;
      features[row + j] = positive > 1 ? 1 : positive;
    }
  }
  const description = `mnist_mlp: MLP ${MNIST_MLP.join('-')} on ${count} synthetic ${dim}-dimensional samples of ${classes} classes`;
  return { description, dataset: { features, sampleShape: [dim], labels, classes, count }, random };
}

function orientedBarsData(params: RangeTestParams): BuiltInData {
  const random = createRandom(params.seed);
  const classes = 10;
  const size = 28;
  const count = 1024;
  // Class k is a bar at angle k * 18 degrees, shifted and blurred at random, on a noisy background.
  const features = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = random.integer(classes);
    labels[n] = label;
    const angle = (label * Math.PI) / classes + random.normal() * 0.05;
    const cx = size / 2 + random.normal() * 2;
    const cy = size / 2 + random.normal() * 2;
    const dx = Math.cos(angle);
    const dy = Math.sin(angle);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const distance = Math.abs((x - cx) * dy - (y - cy) * dx);
        const along = Math.abs((x - cx) * dx + (y - cy) * dy);
        const ink = along < 10 ? Math.exp(-(distance * distance) / 2) : 0;
        features[(n * size + y) * size + x] = ink + 0.3 * random.normal();
      }
    }
  }
  const description = `cnn: conv3x3x8-pool-conv3x3x16-pool-dense10 on ${count} synthetic ${size}x${size} images of oriented bars`;
  return { description, dataset: { features, sampleShape: [size, size, 1], labels, classes, count }, random };
}

/** Glorot-uniform values for a weight of `shape`, drawn from the seeded generator. */
function glorotWeight(shape: readonly number[], fanIn: number, fanOut: number, random: SeededRandom): InitialWeight {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  random.fillUniform(values, -limit, limit);
  return { shape, values };
}

function zeroWeight(shape: readonly number[]): InitialWeight {
  return { shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) };
}

/** Initial weights of an MLP over `sizes`: [W0, b0, W1, b1, ...], W as [in, out]. */
function mlpWeights(sizes: readonly number[], random: SeededRandom): InitialWeight[] {
  const weights: InitialWeight[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    weights.push(glorotWeight([sizes[i]!, sizes[i + 1]!], sizes[i]!, sizes[i + 1]!, random));
    weights.push(zeroWeight([sizes[i + 1]!]));
  }
  return weights;
}

/**
 * Fixed batches cut once from a seeded permutation of the rows; each epoch visits them in a new seeded order.
 * (Batches are made up front because gathering rows on every step cost about a third of a step on WASM.)
 */
export function batchOrder(count: number, batchSize: number, random: SeededRandom): BatchOrder {
  const size = Math.min(batchSize, count);
  const rows = permutation(count, random);
  const batchCount = Math.floor(count / size);
  let order = permutation(batchCount, random);
  let position = 0;
  return {
    size,
    batchCount,
    batchRows: (batch) => rows.subarray(batch * size, (batch + 1) * size),
    next: () => {
      if (position >= batchCount) {
        order = permutation(batchCount, random);
        position = 0;
      }
      return order[position++]!;
    },
  };
}

/** The features and one-hot labels of the rows given, as new arrays. */
export function gatherBatch(dataset: Dataset, rows: Int32Array): { features: Float32Array; oneHot: Float32Array } {
  const width = dataset.sampleShape.reduce((a, b) => a * b, 1);
  const features = new Float32Array(rows.length * width);
  const oneHot = new Float32Array(rows.length * dataset.classes);
  rows.forEach((row, i) => {
    features.set(dataset.features.subarray(row * width, (row + 1) * width), i * width);
    oneHot[i * dataset.classes + dataset.labels[row]!] = 1;
  });
  return { features, oneHot };
}

/** A built-in proxy task, ready for any engine: data, initial weights and batch order, all from the seed. */
export interface BuiltInTask {
  /** e.g. `spiral: MLP 2-64-64-3 on 3000 points of a 3-arm spiral`. */
  readonly description: string;
  readonly dataset: Dataset;
  /** [W0, b0, W1, b1, ...] for an MLP; the CNN's kernels, biases and dense layer otherwise. */
  readonly weights: readonly InitialWeight[];
  readonly order: BatchOrder;
  /** Layer sizes when the task is an MLP (the engines that run MLPs only need these). */
  readonly mlpSizes?: readonly number[];
}

/**
 * The built-in task named in `params` (undefined for `user`). Data, weights and batch order are drawn from one
 * generator in that order, so every engine starts from the same point and sees the same batches.
 */
export function builtInTask(params: RangeTestParams): BuiltInTask | undefined {
  const data =
    params.task === 'spiral'
      ? spiralData(params)
      : params.task === 'mnist_mlp'
        ? mnistLikeData(params)
        : params.task === 'cnn'
          ? orientedBarsData(params)
          : undefined;
  if (!data) return undefined;
  const { description, dataset, random } = data;
  const mlpSizes = BUILT_IN_MLP_SIZES[params.task];
  const classes = dataset.classes;
  const weights = mlpSizes
    ? mlpWeights(mlpSizes, random)
    : [
        glorotWeight([9 * 1, 8], 9, 72, random),
        zeroWeight([8]),
        glorotWeight([9 * 8, 16], 72, 144, random),
        zeroWeight([16]),
        glorotWeight([7 * 7 * 16, classes], 7 * 7 * 16, classes, random),
        zeroWeight([classes]),
      ];
  const order = batchOrder(dataset.count, params.batchSize, random);
  return { description, dataset, weights, order, ...(mlpSizes ? { mlpSizes } : {}) };
}
