// Training tasks for the range test: three synthetic proxy tasks generated from the seed, and a user task
// (a TensorFlow.js Layers model.json plus a CSV from the workspace).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as TensorFlow from '@tensorflow/tfjs-core';
import type { RangeTestParams } from '../core/rangeTest/types';
import type { TensorFlowModule } from './backends';
import { createRandom } from '../core/util/random';
import { batchOrder, builtInTask, gatherBatch } from './taskData';
import type { BatchOrder, BuiltInTask } from './taskData';
import { checkWorkspaceFile, formatBytes, type WorkspaceFileRequest } from './workspacePaths';

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
  /** Features and one-hot labels of the next batch; owned by the task (do not dispose). */
  batch(): { features: Tensor; labels: Tensor };
  /** Mean loss of a batch, differentiable with respect to `variables`. */
  loss(features: Tensor, labels: Tensor): TensorFlow.Scalar;
  dispose(): void;
}

type Batch = { features: Tensor; labels: Tensor };

/** Visits `batches` (one per batch of `order`) in the order's seeded sequence; disposing frees them all. */
function batchSampler(tf: TensorFlowModule, batches: readonly Batch[], order: BatchOrder) {
  return {
    next: (): Batch => batches[order.next()]!,
    dispose: () => tf.dispose(batches.flatMap((batch) => [batch.features, batch.labels])),
  };
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
function convolution3x3(
  tf: TensorFlowModule,
  x: Tensor4D,
  kernel: Tensor,
  bias: Tensor,
  needsInputGradient: boolean,
): Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
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

/** The forward pass of an MLP with ReLU between layers over [W0, b0, W1, b1, ...]. */
function mlpOver(tf: TensorFlowModule, variables: readonly TensorFlow.Variable[]) {
  return (x: Tensor): Tensor => {
    let h = x;
    for (let layer = 0; layer * 2 < variables.length; layer++) {
      h = dense(tf, h, variables[layer * 2]!, variables[layer * 2 + 1]!, layer > 0);
      if (layer * 2 + 2 < variables.length) h = tf.relu(h);
    }
    return h;
  };
}

/**
 * A built-in task on TensorFlow.js tensors, from the same arrays every engine starts from: `forward` maps the
 * variables (in the order of `task.weights`) to a function from a batch to logits.
 */
function tensorTask(
  tf: TensorFlowModule,
  task: BuiltInTask,
  forward: (variables: readonly TensorFlow.Variable[]) => (x: Tensor) => Tensor,
): TrainingTask {
  const { dataset, order } = task;
  const variables = task.weights.map((weight) => tf.variable(tf.tensor(weight.values, [...weight.shape], 'float32')));
  const batches = Array.from({ length: order.batchCount }, (_, b): Batch => {
    const { features, oneHot } = gatherBatch(dataset, order.batchRows(b));
    return {
      features: tf.tensor(features, [order.size, ...dataset.sampleShape], 'float32'),
      labels: tf.tensor2d(oneHot, [order.size, dataset.classes]),
    };
  });
  const sampler = batchSampler(tf, batches, order);
  const model = forward(variables);
  return {
    description: task.description,
    variables,
    batch: () => sampler.next(),
    loss: (x, y) => crossEntropy(tf, y, model(x)),
    dispose: () => {
      sampler.dispose();
      tf.dispose(variables);
    },
  };
}

/** The CNN of the `cnn` task over its six weights (see builtInTask in taskData.ts for their shapes). */
function cnnOver(tf: TensorFlowModule, variables: readonly TensorFlow.Variable[]) {
  const [k1, b1, k2, b2, w3, b3] = variables as unknown as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
  return (x: Tensor): Tensor => {
    const c1 = tf.maxPool(tf.relu(convolution3x3(tf, x as Tensor4D, k1, b1, false)) as Tensor4D, 2, 2, 'valid');
    const c2 = tf.maxPool(tf.relu(convolution3x3(tf, c1, k2, b2, true)) as Tensor4D, 2, 2, 'valid');
    return dense(tf, tf.reshape(c2, [-1, 7 * 7 * 16]), w3, b3, true);
  };
}

/** Parses a CSV of numbers: label in the last column, an optional header row. */
export function parseFeatureCsv(
  text: string,
  fileName: string,
): { features: Float32Array; labels: Float32Array; rows: number; columns: number } {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line, number: index + 1 }))
    .filter((row) => row.line.trim() !== '');
  if (lines.length === 0)
    throw new RangeTestInputError(
      `${fileName} is empty: it needs rows of numeric features with the label in the last column.`,
    );
  const split = (line: string) => line.split(',').map((cell) => cell.trim());
  const first = split(lines[0]!.line);
  const isHeader = first.every((cell) => cell === '' || Number.isNaN(Number(cell)));
  const body = isHeader ? lines.slice(1) : lines;
  const columns = first.length;
  if (columns < 2)
    throw new RangeTestInputError(
      `${fileName} has ${columns} column; it needs at least one feature column and a label column.`,
    );
  if (body.length === 0) throw new RangeTestInputError(`${fileName} has a header but no data rows.`);
  const features = new Float32Array(body.length * (columns - 1));
  const labels = new Float32Array(body.length);
  body.forEach((row, r) => {
    const cells = split(row.line);
    if (cells.length !== columns) {
      throw new RangeTestInputError(
        `${fileName}, row ${row.number}: ${cells.length} columns, but the first row has ${columns}.`,
      );
    }
    cells.forEach((cell, c) => {
      const value = Number(cell);
      if (cell === '' || !Number.isFinite(value)) {
        // The cell is not quoted: errors never repeat file content.
        throw new RangeTestInputError(
          `${fileName}, row ${row.number}, column ${c + 1}: ${cell === '' ? 'empty' : 'not a number'}.`,
        );
      }
      if (c === columns - 1) labels[r] = value;
      else features[r * (columns - 1) + c] = value;
    });
  });
  return { features, labels, rows: body.length, columns };
}

const MiB = 1024 * 1024;

/**
 * The most the `user` task reads, checked with `stat` before a byte is read (docs/range-test.md states them).
 * A range test needs a sample, not the data set: parsing a CSV costs about 7x its size in memory and 0.2 s per MB.
 */
export const USER_TASK_LIMITS = {
  /** model.json: the topology and the weights manifest (a few KB for most models). */
  modelJsonBytes: 8 * MiB,
  /** All weight files of the model together (128 MiB is 33 million float32 weights). */
  weightBytes: 128 * MiB,
  /** The CSV of features and labels. */
  csvBytes: 32 * MiB,
} as const;

/** A file of the user task, checked (inside the workspace, size) before reading; throws RangeTestInputError. */
export function checkedFile(request: WorkspaceFileRequest): { path: string; bytes: number } {
  const file = checkWorkspaceFile(request);
  if ('refused' in file) throw new RangeTestInputError(file.refused);
  return file;
}

/** The user task's model.json (`range_test.model`), checked before reading. */
export function checkedModelJson(params: RangeTestParams, workspaceRoot: string): { path: string; bytes: number } {
  return checkedFile({
    workspaceRoot,
    configured: params.model!,
    what: 'range_test.model',
    maxBytes: USER_TASK_LIMITS.modelJsonBytes,
  });
}

/**
 * The weight files of the user task's model.json (`model`: its checked path and the name configured), resolved
 * from the model's folder: every one is checked, and their sizes added up, before any is read.
 */
export function checkedWeightFiles(
  manifest: readonly { readonly paths: readonly string[] }[],
  model: { readonly path: string; readonly configured: string },
  workspaceRoot: string,
): string[] {
  const files: string[] = [];
  let total = 0;
  for (const group of manifest) {
    for (const relative of group.paths) {
      const file = checkedFile({
        workspaceRoot,
        base: path.dirname(model.path),
        configured: relative,
        what: `weight file of ${model.configured}`,
        maxBytes: USER_TASK_LIMITS.weightBytes,
      });
      total += file.bytes;
      files.push(file.path);
    }
  }
  if (total > USER_TASK_LIMITS.weightBytes) {
    throw new RangeTestInputError(
      `${model.configured}: its weight files total ${formatBytes(total)}; the limit is ${formatBytes(USER_TASK_LIMITS.weightBytes)}. A range test needs a small model.`,
    );
  }
  return files;
}

/** The user task's CSV (`range_test.data`), checked before reading. */
export function checkedDataCsv(params: RangeTestParams, workspaceRoot: string): { path: string; bytes: number } {
  return checkedFile({
    workspaceRoot,
    configured: params.data!,
    what: 'range_test.data',
    maxBytes: USER_TASK_LIMITS.csvBytes,
    whenTooLarge: 'A range test needs a sample (a few thousand rows), not the data set.',
  });
}

/**
 * A TensorFlow.js IOHandler that reads `model.json` and its weight files with `fs` (tfjs-node is not there).
 * Weight paths in the manifest resolve from the model's folder and, like every path, may not leave the
 * workspace; all of them are checked, and their sizes added up, before any is read.
 */
export function fileModelHandler(
  tf: TensorFlowModule,
  model: { path: string; configured: string },
  workspaceRoot: string,
): TensorFlow.io.IOHandler {
  return {
    load: async () => {
      let modelJson: TensorFlow.io.ModelJSON;
      try {
        modelJson = JSON.parse(await fs.promises.readFile(model.path, 'utf8')) as TensorFlow.io.ModelJSON;
      } catch {
        // JSON.parse's message quotes the start of the file: it is not repeated here.
        throw new RangeTestInputError(
          `${model.configured}: not a TensorFlow.js Layers model.json (it is not valid JSON).`,
        );
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const files = checkedWeightFiles(manifest, model, workspaceRoot);
        const buffers: ArrayBuffer[] = [];
        for (const file of files) {
          const bytes = await fs.promises.readFile(file);
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

async function userTask(tf: TensorFlowModule, params: RangeTestParams, workspaceRoot: string): Promise<TrainingTask> {
  const layers = require('@tensorflow/tfjs-layers') as typeof import('@tensorflow/tfjs-layers');
  for (const key of ['model', 'data'] as const) {
    if (!params[key])
      throw new RangeTestInputError(`range_test.${key} is missing: task \`user\` needs a model.json and a CSV.`);
  }
  // Both files are checked before either is read.
  const modelFile = checkedModelJson(params, workspaceRoot);
  const dataFile = checkedDataCsv(params, workspaceRoot);
  let model: import('@tensorflow/tfjs-layers').LayersModel;
  try {
    model = await layers.loadLayersModel(
      fileModelHandler(tf, { path: modelFile.path, configured: params.model! }, workspaceRoot),
    );
  } catch (error) {
    if (error instanceof RangeTestInputError) throw error;
    throw new RangeTestInputError(
      `${params.model}: not a TensorFlow.js Layers model (${error instanceof Error ? error.message.split('\n')[0] : String(error)}).`,
    );
  }
  let csv: ReturnType<typeof parseFeatureCsv>;
  try {
    csv = parseFeatureCsv(await fs.promises.readFile(dataFile.path, 'utf8'), params.data!);
  } catch (error) {
    model.dispose();
    throw error;
  }
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
      throw new RangeTestInputError(
        `${params.data}: the label in data row ${bad + 1} is ${csv.labels[bad]}, but the model has ${outputs} classes (labels 0..${outputs - 1}).`,
      );
    }
  }
  const features = tf.tensor(csv.features, [csv.rows, ...inputShape.slice(1).map((d) => d ?? 1)]);
  const targets = classification
    ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(csv.labels), 'int32'), outputs), 'float32'))
    : tf.tensor2d(csv.labels, [csv.rows, 1]);
  const order = batchOrder(csv.rows, params.batchSize, createRandom(params.seed));
  const batches = Array.from({ length: order.batchCount }, (_, b): Batch => {
    const indices = tf.tensor1d(order.batchRows(b), 'int32');
    const batch = { features: tf.gather(features, indices), labels: tf.gather(targets, indices) };
    indices.dispose();
    return batch;
  });
  const sampler = batchSampler(tf, batches, order);
  const variables = model.trainableWeights.map((weight) => (weight as unknown as { val: TensorFlow.Variable }).val);
  return {
    description: `user: ${params.model} on ${csv.rows} rows of ${params.data} (${classification ? `${outputs}-class cross-entropy` : 'mean squared error'})`,
    variables,
    batch: () => sampler.next(),
    loss: (x, y) => {
      const prediction = model.apply(x, { training: true }) as Tensor;
      if (!classification) return tf.losses.meanSquaredError(y, prediction) as TensorFlow.Scalar;
      // A softmax output layer already gives probabilities; anything else is treated as logits.
      if (activation === 'softmax')
        return tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(prediction, 1e-7, 1))), -1))) as TensorFlow.Scalar;
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
export async function createTask(
  tf: TensorFlowModule,
  params: RangeTestParams,
  workspaceRoot: string,
): Promise<TrainingTask> {
  switch (params.task) {
    case 'spiral':
    case 'mnist_mlp':
    case 'cnn': {
      const task = builtInTask(params)!;
      return tensorTask(tf, task, (variables) => (task.mlpSizes ? mlpOver(tf, variables) : cnnOver(tf, variables)));
    }
    case 'user':
      return userTask(tf, params, workspaceRoot);
    case 'pytorch':
      // The user's own PyTorch model runs in the Python runner (pytorchRangeTest.ts), never on a TensorFlow.js backend.
      throw new RangeTestInputError('task `pytorch` runs in the Python runner, not in the compute worker.');
  }
}
