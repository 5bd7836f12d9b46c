// Training tasks for the range test: three synthetic proxy tasks generated from the seed, and a user task
// (a TensorFlow.js Layers model.json plus a CSV from the workspace).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TensorFlow from '@tensorflow/tfjs-core';
import type { RangeTestParams } from '../core/rangeTest/types';
import type { TensorFlowModule } from './backends';
import { createRandom, permutation } from './random';
import type { SeededRandom } from './random';

type Tensor = TensorFlow.Tensor;
type Tensor4D = TensorFlow.Tensor4D;
type GradientFunction = Parameters<TensorFlowModule['customGrad']>[0];

/** An error in the user's inputs (a missing file, a shape mismatch, a bad cell): the message is shown as is. */
export class RangeTestInputError extends Error {
  override readonly name = 'RangeTestInputError';
}

export interface TrainingTask {
  /** e.g. `spiral: MLP 2-64-64-3 on 3000 points`. */
  readonly description: string;
  /** Every trainable weight; the optimizer updates exactly these. */
  readonly variables: readonly TensorFlow.Variable[];
  /** Features and one-hot labels of the batch of an iteration; owned by the task (do not dispose). */
  batch(iteration: number): { features: Tensor; labels: Tensor };
  /** Mean loss of a batch, differentiable with respect to `variables`. */
  loss(features: Tensor, labels: Tensor): TensorFlow.Scalar;
  dispose(): void;
}

/**
 * A labelled data set cut into fixed batches once, in a seeded order; each epoch visits the batches in a new
 * seeded order. Batches are made up front because gathering rows on every step cost about a third of a step
 * on the WASM backend. The returned tensors belong to the sampler: callers must not dispose them.
 */
function batchSampler(tf: TensorFlowModule, features: Tensor, labels: Tensor, batchSize: number, random: SeededRandom) {
  const count = features.shape[0]!;
  const size = Math.min(batchSize, count);
  const rows = permutation(count, random);
  const batches: { features: Tensor; labels: Tensor }[] = [];
  for (let start = 0; start + size <= count; start += size) {
    const indices = tf.tensor1d(rows.subarray(start, start + size), 'int32');
    batches.push({ features: tf.gather(features, indices), labels: tf.gather(labels, indices) });
    indices.dispose();
  }
  let order = permutation(batches.length, random);
  let position = 0;
  return {
    next: (): { features: Tensor; labels: Tensor } => {
      if (position >= batches.length) {
        order = permutation(batches.length, random);
        position = 0;
      }
      return batches[order[position++]!]!;
    },
    dispose: () => tf.dispose(batches.flatMap((batch) => [batch.features, batch.labels])),
  };
}

/** Glorot-uniform weights and zero biases, drawn from the seeded generator so every backend starts alike. */
function glorot(tf: TensorFlowModule, shape: number[], fanIn: number, fanOut: number, random: SeededRandom): TensorFlow.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (random.next() * 2 - 1) * limit;
  return tf.variable(tf.tensor(values, shape, 'float32'));
}

/**
 * `x @ w + b` with a hand-written gradient that transposes explicitly. The WASM backend's matmul with the
 * transpose flags (what the built-in gradient uses) takes a slow path, about 10x slower on this problem size.
 * When `x` is data, pass `needsInputGradient: false` to skip computing the gradient nobody reads.
 */
function dense(tf: TensorFlowModule, x: Tensor, w: Tensor, b: Tensor, needsInputGradient: boolean): Tensor {
  if (!needsInputGradient) {
    const layer = tf.customGrad(((weights: Tensor, bias: Tensor, save: (tensors: Tensor[]) => void) => {
      // The engine disposes intermediates after the forward pass unless they are saved, so `x` is saved too.
      save([x]);
      return {
        value: tf.add(tf.matMul(x, weights), bias),
        gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.matMul(tf.transpose(saved[0]!), dy), tf.sum(dy, 0)],
      };
    }) as unknown as GradientFunction);
    return layer(w, b);
  }
  const layer = tf.customGrad(((input: Tensor, weights: Tensor, bias: Tensor, save: (tensors: Tensor[]) => void) => {
    save([input, weights]);
    return {
      value: tf.add(tf.matMul(input, weights), bias),
      gradFunc: (dy: Tensor, saved: Tensor[]) => [
        tf.matMul(dy, tf.transpose(saved[1]!)),
        tf.matMul(tf.transpose(saved[0]!), dy),
        tf.sum(dy, 0),
      ],
    };
  }) as unknown as GradientFunction);
  return layer(x, w, b);
}

/**
 * A 3x3 'same' convolution as one matrix product over the nine shifted copies of the input (im2col), with
 * `kernel` of shape [9 * channels, filters] laid out as (dy, dx, channel). Written this way because the WASM
 * backend has no Conv2DBackpropFilter kernel; slices, pads and matmuls have gradients on every backend.
 */
function convolution3x3(tf: TensorFlowModule, x: Tensor4D, kernel: Tensor, bias: Tensor, needsInputGradient: boolean): Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const shifted: Tensor[] = [];
  for (let dy = 0; dy < 3; dy++) {
    for (let dx = 0; dx < 3; dx++) shifted.push(tf.slice(padded, [0, dy, dx, 0], [batch, height, width, channels]));
  }
  const patches = tf.reshape(tf.concat(shifted, 3), [batch * height * width, 9 * channels]);
  const filters = kernel.shape[1]!;
  return tf.reshape(dense(tf, patches, kernel, bias, needsInputGradient), [batch, height, width, filters]) as Tensor4D;
}

function crossEntropy(tf: TensorFlowModule, labels: Tensor, logits: Tensor): TensorFlow.Scalar {
  return tf.losses.softmaxCrossEntropy(labels, logits) as TensorFlow.Scalar;
}

/** An MLP with ReLU between layers over weights created from `sizes`. */
function mlp(tf: TensorFlowModule, sizes: readonly number[], random: SeededRandom) {
  const variables: TensorFlow.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    variables.push(glorot(tf, [sizes[i]!, sizes[i + 1]!], sizes[i]!, sizes[i + 1]!, random));
    variables.push(tf.variable(tf.zeros([sizes[i + 1]!])));
  }
  const forward = (x: Tensor): Tensor => {
    let h = x;
    for (let layer = 0; layer * 2 < variables.length; layer++) {
      h = dense(tf, h, variables[layer * 2]!, variables[layer * 2 + 1]!, layer > 0);
      if (layer * 2 + 2 < variables.length) h = tf.relu(h);
    }
    return h;
  };
  return { variables, forward };
}

function oneHot(tf: TensorFlowModule, labels: Int32Array, classes: number): Tensor {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), classes), 'float32'));
}

function spiralTask(tf: TensorFlowModule, params: RangeTestParams): TrainingTask {
  const random = createRandom(params.seed);
  const arms = 3;
  const perArm = 1000;
  const points = new Float32Array(arms * perArm * 2);
  const labels = new Int32Array(arms * perArm);
  for (let arm = 0; arm < arms; arm++) {
    for (let i = 0; i < perArm; i++) {
      const t = i / perArm;
      const angle = (arm * 2 * Math.PI) / arms + 4 * t + random.normal() * 0.2;
      const index = arm * perArm + i;
      points[index * 2] = t * Math.cos(angle);
      points[index * 2 + 1] = t * Math.sin(angle);
      labels[index] = arm;
    }
  }
  const features = tf.tensor2d(points, [arms * perArm, 2]);
  const targets = oneHot(tf, labels, arms);
  const model = mlp(tf, [2, 64, 64, arms], random);
  const sampler = batchSampler(tf, features, targets, params.batchSize, random);
  return {
    description: `spiral: MLP 2-64-64-3 on ${arms * perArm} points of a 3-arm spiral`,
    variables: model.variables,
    batch: () => sampler.next(),
    loss: (x, y) => crossEntropy(tf, y, model.forward(x)),
    dispose: () => {
      sampler.dispose();
      tf.dispose([features, targets, ...model.variables]);
    },
  };
}

function mnistMlpTask(tf: TensorFlowModule, params: RangeTestParams): TrainingTask {
  const random = createRandom(params.seed);
  const classes = 10;
  const dim = 784;
  const count = 2048;
  // Ten sparse "stroke" prototypes; each sample blends its class prototype with a distractor and adds noise,
  // so the classes overlap and the loss keeps falling over many steps as on real MNIST.
  const prototypes = new Float32Array(classes * dim);
  for (let i = 0; i < prototypes.length; i++) prototypes[i] = random.next() < 0.2 ? 1 : 0;
  const values = new Float32Array(count * dim);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = random.integer(classes);
    const distractor = random.integer(classes);
    labels[n] = label;
    for (let j = 0; j < dim; j++) {
      const value = 0.6 * prototypes[label * dim + j]! + 0.4 * prototypes[distractor * dim + j]! + 0.35 * random.normal();
      values[n * dim + j] = Math.min(1, Math.max(0, value));
    }
  }
  const features = tf.tensor2d(values, [count, dim]);
  const targets = oneHot(tf, labels, classes);
  const model = mlp(tf, [dim, 256, classes], random);
  const sampler = batchSampler(tf, features, targets, params.batchSize, random);
  return {
    description: `mnist_mlp: MLP 784-256-10 on ${count} synthetic 784-dimensional samples of 10 classes`,
    variables: model.variables,
    batch: () => sampler.next(),
    loss: (x, y) => crossEntropy(tf, y, model.forward(x)),
    dispose: () => {
      sampler.dispose();
      tf.dispose([features, targets, ...model.variables]);
    },
  };
}

function cnnTask(tf: TensorFlowModule, params: RangeTestParams): TrainingTask {
  const random = createRandom(params.seed);
  const classes = 10;
  const size = 28;
  const count = 1024;
  // Class k is a bar at angle k * 18 degrees, shifted and blurred at random, on a noisy background.
  const images = new Float32Array(count * size * size);
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
        images[(n * size + y) * size + x] = ink + 0.3 * random.normal();
      }
    }
  }
  const features = tf.tensor4d(images, [count, size, size, 1]);
  const targets = oneHot(tf, labels, classes);
  const variables = [
    glorot(tf, [9 * 1, 8], 9, 72, random),
    tf.variable(tf.zeros([8])),
    glorot(tf, [9 * 8, 16], 72, 144, random),
    tf.variable(tf.zeros([16])),
    glorot(tf, [7 * 7 * 16, classes], 7 * 7 * 16, classes, random),
    tf.variable(tf.zeros([classes])),
  ];
  const [k1, b1, k2, b2, w3, b3] = variables as unknown as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
  const forward = (x: Tensor): Tensor => {
    const c1 = tf.maxPool(tf.relu(convolution3x3(tf, x as Tensor4D, k1, b1, false)) as Tensor4D, 2, 2, 'valid');
    const c2 = tf.maxPool(tf.relu(convolution3x3(tf, c1, k2, b2, true)) as Tensor4D, 2, 2, 'valid');
    return dense(tf, tf.reshape(c2, [-1, 7 * 7 * 16]), w3, b3, true);
  };
  const sampler = batchSampler(tf, features, targets, params.batchSize, random);
  return {
    description: `cnn: conv3x3x8-pool-conv3x3x16-pool-dense10 on ${count} synthetic 28x28 images of oriented bars`,
    variables,
    batch: () => sampler.next(),
    loss: (x, y) => crossEntropy(tf, y, forward(x)),
    dispose: () => {
      sampler.dispose();
      tf.dispose([features, targets, ...variables]);
    },
  };
}

/** Parses a CSV of numbers: label in the last column, an optional header row. */
export function parseFeatureCsv(text: string, fileName: string): { features: Float32Array; labels: Float32Array; rows: number; columns: number } {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line, number: index + 1 })).filter((row) => row.line.trim() !== '');
  if (lines.length === 0) throw new RangeTestInputError(`${fileName} is empty: it needs rows of numeric features with the label in the last column.`);
  const split = (line: string) => line.split(',').map((cell) => cell.trim());
  const first = split(lines[0]!.line);
  const isHeader = first.every((cell) => cell === '' || Number.isNaN(Number(cell)));
  const body = isHeader ? lines.slice(1) : lines;
  const columns = first.length;
  if (columns < 2) throw new RangeTestInputError(`${fileName} has ${columns} column; it needs at least one feature column and a label column.`);
  if (body.length === 0) throw new RangeTestInputError(`${fileName} has a header but no data rows.`);
  const features = new Float32Array(body.length * (columns - 1));
  const labels = new Float32Array(body.length);
  body.forEach((row, r) => {
    const cells = split(row.line);
    if (cells.length !== columns) {
      throw new RangeTestInputError(`${fileName}, row ${row.number}: ${cells.length} columns, but the first row has ${columns}.`);
    }
    cells.forEach((cell, c) => {
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        throw new RangeTestInputError(`${fileName}, row ${row.number}, column ${c + 1}: "${cell}" is not a number.`);
      }
      if (c === columns - 1) labels[r] = value;
      else features[r * (columns - 1) + c] = value;
    });
  });
  return { features, labels, rows: body.length, columns };
}

/** A TensorFlow.js IOHandler that reads `model.json` and its weight files with `fs` (tfjs-node is not there). */
export function fileModelHandler(tf: TensorFlowModule, modelJsonPath: string): TensorFlow.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(await fs.promises.readFile(modelJsonPath, 'utf8')) as TensorFlow.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs: TensorFlow.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const relative of group.paths) {
            const file = await fs.promises.readFile(path.join(path.dirname(modelJsonPath), relative));
            buffers.push(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer);
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

async function userTask(tf: TensorFlowModule, params: RangeTestParams, workspaceRoot: string): Promise<TrainingTask> {
  const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');
  const modelPath = path.resolve(workspaceRoot, params.model ?? '');
  const dataPath = path.resolve(workspaceRoot, params.data ?? '');
  for (const [key, file] of [['model', modelPath], ['data', dataPath]] as const) {
    if (!params[key]) throw new RangeTestInputError(`range_test.${key} is missing: task \`user\` needs a model.json and a CSV.`);
    if (!fs.existsSync(file)) throw new RangeTestInputError(`range_test.${key}: file not found: ${file}`);
  }
  let model: import('@tensorflow/tfjs-layers').LayersModel;
  try {
    model = await layers.loadLayersModel(fileModelHandler(tf, modelPath));
  } catch (error) {
    throw new RangeTestInputError(`${params.model}: not a TensorFlow.js Layers model (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`);
  }
  const csv = parseFeatureCsv(await fs.promises.readFile(dataPath, 'utf8'), params.data!);
  const inputShape = model.inputs[0]!.shape;
  const expectedFeatures = inputShape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
  if (expectedFeatures !== csv.columns - 1) {
    model.dispose();
    throw new RangeTestInputError(
      `Shape mismatch: ${params.model} expects ${expectedFeatures} input features (input shape [${inputShape.map((d) => d ?? 'batch').join(', ')}]), ` +
        `but ${params.data} has ${csv.columns - 1} feature columns (plus the label in the last column).`,
    );
  }
  const outputShape = model.outputs[0]!.shape;
  const outputs = outputShape[outputShape.length - 1] ?? 1;
  const lastLayer = model.layers[model.layers.length - 1]!;
  const activation = (lastLayer.getConfig() as { activation?: string }).activation;
  const classification = outputs > 1;
  if (classification) {
    const bad = csv.labels.findIndex((label) => !Number.isInteger(label) || label < 0 || label >= outputs);
    if (bad >= 0) {
      model.dispose();
      throw new RangeTestInputError(`${params.data}: the label in data row ${bad + 1} is ${csv.labels[bad]}, but the model has ${outputs} classes (labels 0..${outputs - 1}).`);
    }
  }
  const features = tf.tensor(csv.features, [csv.rows, ...inputShape.slice(1).map((d) => d ?? 1)]);
  const targets = classification
    ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(csv.labels), 'int32'), outputs), 'float32'))
    : tf.tensor2d(csv.labels, [csv.rows, 1]);
  const random = createRandom(params.seed);
  const sampler = batchSampler(tf, features, targets, params.batchSize, random);
  const variables = model.trainableWeights.map((weight) => (weight as unknown as { val: TensorFlow.Variable }).val);
  return {
    description: `user: ${params.model} on ${csv.rows} rows of ${params.data} (${classification ? `${outputs}-class cross-entropy` : 'mean squared error'})`,
    variables,
    batch: () => sampler.next(),
    loss: (x, y) => {
      const prediction = model.apply(x, { training: true }) as Tensor;
      if (!classification) return tf.losses.meanSquaredError(y, prediction) as TensorFlow.Scalar;
      // A softmax output layer already gives probabilities; anything else is treated as logits.
      if (activation === 'softmax') return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(prediction, 1e-7, 1))), -1))) as TensorFlow.Scalar;
      return crossEntropy(tf, y, prediction);
    },
    dispose: () => {
      sampler.dispose();
      tf.dispose([features, targets]);
      model.dispose();
    },
  };
}

/** Builds the task named in the params. Throws RangeTestInputError for problems with the user's files. */
export async function createTask(tf: TensorFlowModule, params: RangeTestParams, workspaceRoot: string): Promise<TrainingTask> {
  switch (params.task) {
    case 'spiral':
      return spiralTask(tf, params);
    case 'mnist_mlp':
      return mnistMlpTask(tf, params);
    case 'cnn':
      return cnnTask(tf, params);
    case 'user':
      return userTask(tf, params, workspaceRoot);
  }
}
