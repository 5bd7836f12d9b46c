// The `user` task's TensorFlow.js Layers model on ONNX Runtime, where its graph can be built: a Sequential stack
// of Dense layers (linear, relu, sigmoid, tanh or softmax, with or without a bias), stride-1 Conv2D layers (same
// or valid padding), 2x2 MaxPooling2D and Flatten layers, trained from the user's weights on the CSV's rows in
// the same batches as the TensorFlow.js task (tasks.ts, userTask), with the same loss. Any other model is
// refused with a one-line reason, and TensorFlow.js runs it.

import * as fs from 'node:fs';
import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { RangeTestParams } from '../../core/rangeTest/types';
import { createRandom } from '../../core/util/random';
import { batchOrder } from '../taskData';
import { checkedDataCsv, checkedModelJson, checkedWeightFiles, parseFeatureCsv, RangeTestInputError } from '../tasks';
import { formatBytes } from '../workspacePaths';
import {
  convAttributes,
  convInputGradient,
  convKernelGradient,
  kernelToGraphLayout,
  maxPoolGradient,
  type ConvGeometry,
  type PoolGeometry,
} from './convolutionGraph';
import type { GraphBuilder } from './onnxModel';
import type { GraphTask } from './onnxTrainer';
import type { TrainingGraph } from './trainingGraph';
import { addCrossEntropy, LOSS, startTrainingGraph } from './trainingGraph';

/** The activations the graph builder writes out, forward and backward (softmax on Dense layers only). */
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'] as const;
type Activation = (typeof ACTIVATIONS)[number];

/** The layer classes the graph builder expresses. */
const BUILT_LAYERS = ['Dense', 'Conv2D', 'MaxPooling2D', 'Flatten'] as const;

/** Keys of a Dense or Conv2D layer's config that change training when set; the graph has none of them. */
const WEIGHT_EXTRAS = [
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
] as const;

/** A layer with weights: its activation and its weights' manifest names. */
interface WeightedLayer {
  readonly name: string;
  readonly activation: Activation;
  readonly kernel: string;
  /** The bias's manifest name; absent when `use_bias` is false. */
  readonly bias?: string;
}

/** One Dense layer of the user's model: `inputs` x `units`. */
export interface UserDenseLayer extends WeightedLayer {
  readonly kind: 'dense';
  readonly inputs: number;
  readonly units: number;
}

/**
 * A Conv2D layer (stride 1, no dilation, channels last in the model); its `pads` are half the kernel for `same`,
 * none for `valid`.
 */
export interface UserConvLayer extends WeightedLayer, ConvGeometry {
  readonly kind: 'conv';
}

/** A 2x2 max pool with stride 2 (both sides even). */
export interface UserPoolLayer extends PoolGeometry {
  readonly kind: 'pool';
}

/** Flattens a `height` x `width` x `channels` map in TensorFlow.js's (channels last) order. */
export interface UserFlattenLayer {
  readonly kind: 'flatten';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export type UserLayer = UserDenseLayer | UserConvLayer | UserPoolLayer | UserFlattenLayer;

/** How the TensorFlow.js user task computes the loss (tasks.ts): see `userLoss`. */
export type UserLoss = 'probabilities' | 'logits' | 'mse';

/** A user model the graph builder can express. */
export interface UserModelPlan {
  /** The input shape without the batch dimension; the CSV row is its row-major (channels last) flattening. */
  readonly inputShape: readonly number[];
  /**
   * The layers the graph has (a Flatten of a vector, a no-op, is left out). When the first is a convolution the
   * graph takes images as [batch, channels, height, width] (ONNX's layout), else flat rows.
   */
  readonly layers: readonly UserLayer[];
  /** Units of the last layer: above 1 a classifier over that many classes, else a regression. */
  readonly outputs: number;
  readonly loss: UserLoss;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Keras pair such as `kernel_size`: `[a, b]`, or one integer for both. */
function pair(value: unknown): [number, number] | undefined {
  if (Number.isInteger(value)) return [value as number, value as number];
  return Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && (v as number) > 0)
    ? [value[0] as number, value[1] as number]
    : undefined;
}

/**
 * The loss of the TensorFlow.js user task: for more than one output, cross-entropy on the probabilities of a
 * softmax last layer (clipped to [1e-7, 1]) or on the last layer's output taken as logits; for one output,
 * the mean squared error.
 */
export function userLoss(outputs: number, lastActivation: Activation): UserLoss {
  if (outputs <= 1) return 'mse';
  return lastActivation === 'softmax' ? 'probabilities' : 'logits';
}

/**
 * Reads a parsed `model.json` (its topology and weights manifest) and says which graph to build, or why none
 * can be built (one clause, e.g. `layer dropout_1 is a Dropout layer, random at train time`). Never throws.
 */
export function planUserModel(modelJson: unknown): UserModelPlan | string {
  if (!isObject(modelJson) || !isObject(modelJson.modelTopology)) return 'it has no Layers model topology';
  const topology = isObject(modelJson.modelTopology.model_config)
    ? modelJson.modelTopology.model_config
    : modelJson.modelTopology;
  const className = topology.class_name;
  if (className !== 'Sequential')
    return `it is a ${typeof className === 'string' ? className : 'non-Sequential'} model; only Sequential stacks are built`;
  const config = topology.config;
  const layers: unknown[] | undefined = Array.isArray(config)
    ? config
    : isObject(config) && Array.isArray(config.layers)
      ? config.layers
      : undefined;
  if (!layers || layers.length === 0) return 'its topology lists no layers';

  const first = layers[0];
  const batchInputShape = isObject(first) && isObject(first.config) ? first.config.batch_input_shape : undefined;
  if (
    !Array.isArray(batchInputShape) ||
    batchInputShape.length < 2 ||
    !batchInputShape.slice(1).every((d) => Number.isInteger(d) && (d as number) > 0)
  ) {
    return 'its first layer has no fixed input shape (batch_input_shape)';
  }
  const inputShape = batchInputShape.slice(1) as number[];
  let shape = inputShape;
  const planned: UserLayer[] = [];
  let lastActivation: Activation | undefined;
  for (const [index, layer] of layers.entries()) {
    if (!isObject(layer) || !isObject(layer.config) || typeof layer.class_name !== 'string')
      return `layer ${index + 1} is not a layer config`;
    const layerConfig = layer.config;
    const name = typeof layerConfig.name === 'string' ? layerConfig.name : `#${index + 1}`;
    const kind = layer.class_name;
    lastActivation = undefined;
    if (kind === 'InputLayer' && index === 0) continue;
    if (layerConfig.trainable === false) return `layer ${name} is frozen (trainable: false)`;
    if (layerConfig.dtype !== undefined && layerConfig.dtype !== 'float32')
      return `layer ${name} is ${String(layerConfig.dtype)}, not float32`;
    if (/Dropout|Noise/.test(kind)) return `layer ${name} is a ${kind} layer, random at train time`;
    if (!(BUILT_LAYERS as readonly string[]).includes(kind))
      return `layer ${name} is a ${kind} layer; the graph builder expresses ${BUILT_LAYERS.join(', ')} layers`;
    if (layerConfig.data_format === 'channels_first') return `layer ${name} is channels first`;
    const [height, width, channels] = shape as [number, number, number];
    if (kind === 'Flatten') {
      // Flattening the input rows changes nothing (the CSV row is already flat); a feature map is reordered.
      if (shape.length === 3 && planned.length > 0) planned.push({ kind: 'flatten', height, width, channels });
      shape = [shape.reduce((a, b) => a * b, 1)];
      continue;
    }
    if (kind === 'MaxPooling2D') {
      const pool = pair(layerConfig.pool_size);
      const strides =
        layerConfig.strides === null || layerConfig.strides === undefined ? pool : pair(layerConfig.strides);
      if (shape.length !== 3) return `layer ${name} is a MaxPooling2D layer on an input of rank ${shape.length + 1}`;
      if (pool?.[0] !== 2 || pool[1] !== 2 || strides?.[0] !== 2 || strides[1] !== 2)
        return `layer ${name} pools other than 2x2 windows with stride 2`;
      if (height % 2 !== 0 || width % 2 !== 0) return `layer ${name} pools a ${height}x${width} map (odd side)`;
      planned.push({ kind: 'pool', height, width, channels });
      shape = [height / 2, width / 2, channels];
      continue;
    }
    const activation = layerConfig.activation ?? 'linear';
    if (!ACTIVATIONS.includes(activation as Activation) || (kind === 'Conv2D' && activation === 'softmax')) {
      return `layer ${name} has activation ${typeof activation === 'string' ? activation : JSON.stringify(activation)}; the graph builder expresses ${ACTIVATIONS.join(', ')} (softmax on Dense layers)`;
    }
    const extra = WEIGHT_EXTRAS.find((key) => layerConfig[key] !== undefined && layerConfig[key] !== null);
    if (extra) return `layer ${name} has a ${extra}`;
    const weighted = {
      name,
      activation: activation as Activation,
      kernel: `${name}/kernel`,
      ...(layerConfig.use_bias !== false ? { bias: `${name}/bias` } : {}),
    };
    if (kind === 'Conv2D') {
      const kernelSize = pair(layerConfig.kernel_size);
      const filters = layerConfig.filters;
      if (shape.length !== 3) return `layer ${name} is a Conv2D layer on an input of rank ${shape.length + 1}`;
      if (!kernelSize || !Number.isInteger(filters) || (filters as number) < 1)
        return `layer ${name} has no valid kernel_size or filters`;
      if (
        pair(layerConfig.strides)?.some((s) => s !== 1) !== false ||
        pair(layerConfig.dilation_rate ?? 1)?.some((d) => d !== 1) !== false
      )
        return `layer ${name} has strides or dilation other than 1`;
      const padding = layerConfig.padding;
      if (padding !== 'same' && padding !== 'valid') return `layer ${name} has padding ${String(padding)}`;
      if (padding === 'same' && kernelSize.some((k) => k % 2 === 0))
        return `layer ${name} pads an even kernel (same padding, uneven sides)`;
      const pads: [number, number] = padding === 'same' ? [(kernelSize[0] - 1) / 2, (kernelSize[1] - 1) / 2] : [0, 0];
      const outHeight = height + 2 * pads[0] - kernelSize[0] + 1;
      const outWidth = width + 2 * pads[1] - kernelSize[1] + 1;
      if (outHeight < 1 || outWidth < 1) return `layer ${name}'s kernel is larger than its input`;
      planned.push({
        kind: 'conv',
        ...weighted,
        height,
        width,
        channels,
        filters: filters as number,
        kernelSize,
        pads,
      });
      shape = [outHeight, outWidth, filters as number];
    } else {
      if (shape.length !== 1)
        return `layer ${name} is a Dense layer on an input of rank ${shape.length + 1} (no Flatten before it)`;
      const units = layerConfig.units;
      if (!Number.isInteger(units) || (units as number) < 1) return `layer ${name} has no valid units`;
      planned.push({ kind: 'dense', ...weighted, inputs: shape[0]!, units: units as number });
      shape = [units as number];
    }
    lastActivation = activation as Activation;
  }
  const last = planned[planned.length - 1];
  if (!lastActivation || last?.kind !== 'dense') return 'its last layer is not a Dense layer';

  // Every weight is read from one concatenated buffer in manifest order, so every entry must be plain float32.
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) return 'it has no weights manifest';
  const specs = new Map<string, readonly number[]>();
  for (const group of manifest) {
    if (
      !isObject(group) ||
      !Array.isArray(group.weights) ||
      !Array.isArray(group.paths) ||
      !group.paths.every((file) => typeof file === 'string')
    ) {
      return 'its weights manifest is not a list of groups with paths and weights';
    }
    for (const spec of group.weights) {
      if (
        !isObject(spec) ||
        typeof spec.name !== 'string' ||
        !Array.isArray(spec.shape) ||
        !spec.shape.every((d) => Number.isInteger(d) && (d as number) >= 0)
      ) {
        return 'its weights manifest has an entry without a name or shape';
      }
      if (spec.dtype !== 'float32' || spec.quantization !== undefined)
        return `weight ${spec.name} is stored as ${spec.quantization !== undefined ? 'quantized' : String(spec.dtype)} values, not plain float32`;
      specs.set(spec.name, spec.shape as number[]);
    }
  }
  for (const { manifestName: weight, modelShape } of parameterList(planned)) {
    const found = specs.get(weight);
    if (!found) return `its weights manifest has no ${weight}`;
    if (found.length !== modelShape.length || found.some((d, i) => d !== modelShape[i]))
      return `weight ${weight} has shape [${found.join(', ')}], not [${modelShape.join(', ')}]`;
  }
  return { inputShape, layers: planned, outputs: last.units, loss: userLoss(last.units, lastActivation) };
}

/** Adds `activation` applied to `z` and returns its output. */
function activate(g: GraphBuilder, activation: Activation, z: string): string {
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return g.one('Relu', [z]);
    case 'sigmoid':
      return g.one('Sigmoid', [z]);
    case 'tanh':
      return g.one('Tanh', [z]);
    case 'softmax':
      return g.one('Softmax', [z], { axis: -1 });
  }
}

/**
 * The gradient with respect to an activation's input, given its output `a` and the gradient `d` of its output,
 * as TensorFlow.js differentiates it (ReLU passes the gradient where its output is > 0).
 */
function activationGradient(g: GraphBuilder, activation: Activation, a: string, d: string): string {
  const one = () => g.scalar(1);
  switch (activation) {
    case 'linear':
      return d;
    case 'relu':
      return g.one('Mul', [d, g.one('Sign', [a])]);
    case 'sigmoid':
      return g.one('Mul', [d, g.one('Mul', [a, g.one('Sub', [one(), a])])]);
    case 'tanh':
      return g.one('Mul', [d, g.one('Sub', [one(), g.one('Mul', [a, a])])]);
    case 'softmax': {
      const dot = g.one('ReduceSum', [g.one('Mul', [d, a]), g.int64s([-1])], { keepdims: 1 });
      return g.one('Mul', [a, g.one('Sub', [d, dot])]);
    }
  }
}

/**
 * Adds the loss of `prediction` (the last layer's output) against `labels` as the `loss` output, and returns its
 * gradient with respect to `prediction`.
 */
function addUserLoss(g: GraphBuilder, loss: UserLoss, prediction: string, labels: string, batchSize: number): string {
  if (loss === 'logits') return addCrossEntropy(g, prediction, labels, batchSize);
  if (loss === 'mse') {
    // tf.losses.meanSquaredError: the mean over every element (one per row here).
    const error = g.one('Sub', [prediction, labels]);
    g.output(g.one('ReduceMean', [g.one('Mul', [error, error])], { keepdims: 0 }), LOSS, []);
    return g.one('Mul', [error, g.scalar(2 / batchSize)]);
  }
  // -mean over rows of sum(y * log(clip(p, 1e-7, 1))); the clip passes the gradient only where p is inside.
  const rows = g.scalar(batchSize);
  const low = g.scalar(1e-7);
  const high = g.scalar(1);
  const clipped = g.one('Clip', [prediction, low, high]);
  const perRow = g.one('ReduceSum', [g.one('Mul', [labels, g.one('Log', [clipped])]), g.int64s([-1])], { keepdims: 0 });
  g.output(
    g.one('Div', [g.one('Neg', [g.one('ReduceSum', [perRow, g.int64s([0])], { keepdims: 0 })]), rows]),
    LOSS,
    [],
  );
  const inside = g.one(
    'Cast',
    [g.one('And', [g.one('GreaterOrEqual', [prediction, low]), g.one('LessOrEqual', [prediction, high])])],
    { to: 1 },
  );
  return g.one('Div', [g.one('Neg', [g.one('Mul', [g.one('Div', [labels, clipped]), inside])]), rows]);
}

/** One trainable weight of the graph: its manifest name, its shape there and in the graph, and the reordering. */
interface UserParameter {
  readonly manifestName: string;
  readonly modelShape: readonly number[];
  readonly graphShape: readonly number[];
  /** The model's values (TensorFlow.js layout) in graph layout. */
  toGraph(values: Float32Array): Float32Array;
}

/**
 * The graph's parameters of `layers`, in order: each layer's kernel, then its bias when it has one. A
 * convolution kernel is [height, width, channels, filters] in TensorFlow.js and [filters, channels, height,
 * width] in ONNX; everything else keeps its layout.
 */
function parameterList(layers: readonly UserLayer[]): UserParameter[] {
  const same = (values: Float32Array) => values;
  return layers.flatMap((layer): UserParameter[] => {
    if (layer.kind === 'pool' || layer.kind === 'flatten') return [];
    const units = layer.kind === 'dense' ? layer.units : layer.filters;
    const bias: UserParameter[] =
      layer.bias !== undefined
        ? [{ manifestName: layer.bias, modelShape: [units], graphShape: [units], toGraph: same }]
        : [];
    if (layer.kind === 'dense')
      return [
        {
          manifestName: layer.kernel,
          modelShape: [layer.inputs, layer.units],
          graphShape: [layer.inputs, layer.units],
          toGraph: same,
        },
        ...bias,
      ];
    const [kh, kw] = layer.kernelSize;
    const { channels, filters } = layer;
    return [
      {
        manifestName: layer.kernel,
        modelShape: [kh, kw, channels, filters],
        graphShape: [filters, channels, kh, kw],
        toGraph: (values) => kernelToGraphLayout(values, layer),
      },
      ...bias,
    ];
  });
}

/** The shape of one batch of features as the graph takes it: images as NCHW when the first layer is spatial. */
export function userFeatureShape(plan: UserModelPlan, batchSize: number): number[] {
  const first = plan.layers[0]!;
  if (first.kind === 'dense') return [batchSize, first.inputs];
  return [batchSize, first.channels, first.height, first.width];
}

/**
 * Builds the training-step graph of `plan` for batches of `batchSize` rows, with `rule`'s update. Returns a
 * reason string for a rule the graph does not implement.
 */
export function buildUserTrainingGraph(
  plan: UserModelPlan,
  batchSize: number,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
): TrainingGraph | string {
  const list = parameterList(plan.layers);
  const graph = startTrainingGraph(
    `user_${rule}`,
    rule,
    hyper,
    {
      features: userFeatureShape(plan, batchSize),
      labels: [batchSize, plan.outputs],
      parameters: list.map((parameter) => parameter.graphShape),
    },
    list.map((_, index) => `p${index}`),
  );
  if (typeof graph === 'string') return graph;
  const { g, x, y, values } = graph;

  // Where each layer's weights are among the parameters (kernel, then bias if any).
  const kernelIndex: number[] = [];
  let next = 0;
  for (const layer of plan.layers) {
    kernelIndex.push(next);
    if (layer.kind === 'dense' || layer.kind === 'conv') next += layer.bias !== undefined ? 2 : 1;
  }

  // Forward: inputs[l] is the input of layer l, outputs[l] its output (after the activation).
  const inputs: string[] = [];
  const outputs: string[] = [];
  let h = x;
  plan.layers.forEach((layer, l) => {
    inputs.push(h);
    switch (layer.kind) {
      case 'dense':
      case 'conv': {
        const weights = [
          h,
          values[kernelIndex[l]!]!,
          ...(layer.bias !== undefined ? [values[kernelIndex[l]! + 1]!] : []),
        ];
        const z = layer.kind === 'dense' ? g.one('Gemm', weights) : g.one('Conv', weights, convAttributes(layer));
        h = activate(g, layer.activation, z);
        break;
      }
      case 'pool':
        h = g.one('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] });
        break;
      case 'flatten':
        // TensorFlow.js flattens channels last: back to NHWC first.
        h = g.one('Reshape', [g.one('Transpose', [h], { perm: [0, 2, 3, 1] }), g.int64s([batchSize, -1])]);
        break;
    }
    outputs.push(h);
  });

  // Backward, layer by layer from the loss; `upstream` is the gradient of the current layer's output.
  const gradients = new Array<string>(list.length);
  let upstream = addUserLoss(g, plan.loss, h, y, batchSize);
  for (let l = plan.layers.length - 1; l >= 0; l--) {
    const layer = plan.layers[l]!;
    const input = inputs[l]!;
    const needsInput = l > 0;
    switch (layer.kind) {
      case 'dense': {
        const dz = activationGradient(g, layer.activation, outputs[l]!, upstream);
        gradients[kernelIndex[l]!] = g.one('Gemm', [input, dz], { transA: 1 });
        if (layer.bias !== undefined)
          gradients[kernelIndex[l]! + 1] = g.one('ReduceSum', [dz, g.int64s([0])], { keepdims: 0 });
        if (needsInput) upstream = g.one('Gemm', [dz, values[kernelIndex[l]!]!], { transB: 1 });
        break;
      }
      case 'conv': {
        const dz = activationGradient(g, layer.activation, outputs[l]!, upstream);
        gradients[kernelIndex[l]!] = convKernelGradient(g, layer, input, dz);
        if (layer.bias !== undefined)
          gradients[kernelIndex[l]! + 1] = g.one('ReduceSum', [dz, g.int64s([0, 2, 3])], { keepdims: 0 });
        if (needsInput) upstream = convInputGradient(g, layer, values[kernelIndex[l]!]!, dz);
        break;
      }
      case 'pool':
        upstream = maxPoolGradient(g, layer, input, outputs[l]!, upstream, batchSize);
        break;
      case 'flatten':
        upstream = g.one(
          'Transpose',
          [g.one('Reshape', [upstream, g.int64s([batchSize, layer.height, layer.width, layer.channels])])],
          { perm: [0, 3, 1, 2] },
        );
        break;
    }
  }
  return graph.finish(gradients);
}

/** The reason written in the backend attempts when the user model's graph cannot be built. */
function passedOver(model: string, why: string): string {
  return `cannot build the graph of ${model}: ${why.replace(/\.$/, '')}; TensorFlow.js runs it`;
}

/** Reads a text file that passed the workspace checks; tests inject one to count the reads. */
export type ReadText = (file: string) => string;

/** The user task's model.json as read once: the checked file and its parsed JSON, or why it could not be read. */
export type UserModelRead =
  | { readonly file: { readonly path: string; readonly bytes: number }; readonly json: unknown }
  | { readonly file: { readonly path: string; readonly bytes: number }; readonly invalidJson: true }
  | { readonly refused: RangeTestInputError };

/** The model.json of one job, read on first use and then remembered (see `userModelSource`). */
export type UserModelSource = () => UserModelRead;

/**
 * The user task's model.json, read once for a job (through the workspace file checks) and handed to both the
 * backend filter (`userModelRefusal`) and the loader (`loadUserGraphTask`), so the file is not read twice and both
 * see the same contents. Read on first use: a job that never considers ONNX Runtime never reads it here.
 */
export function userModelSource(
  params: RangeTestParams,
  workspaceRoot: string,
  readText: ReadText = (file) => fs.readFileSync(file, 'utf8'),
): UserModelSource {
  let read: UserModelRead | undefined;
  return () => (read ??= readUserModel(params, workspaceRoot, readText));
}

function readUserModel(params: RangeTestParams, workspaceRoot: string, readText: ReadText): UserModelRead {
  let file: { path: string; bytes: number };
  try {
    file = checkedModelJson(params, workspaceRoot);
  } catch (error) {
    if (error instanceof RangeTestInputError) return { refused: error };
    throw error;
  }
  try {
    return { file, json: JSON.parse(readText(file.path)) as unknown };
  } catch {
    return { file, invalidJson: true };
  }
}

/**
 * Why ONNX Runtime cannot run the user task's model (read through the workspace file checks), or undefined
 * when it can. A model that cannot be read at all is passed to TensorFlow.js too, which reports the problem.
 */
export function userModelRefusal(
  params: RangeTestParams,
  workspaceRoot: string,
  source: UserModelSource = userModelSource(params, workspaceRoot),
): string | undefined {
  if (!params.model || !params.data)
    return passedOver(params.model ?? 'the model', 'range_test.model and range_test.data are both needed');
  try {
    const read = source();
    if ('refused' in read) return passedOver(params.model, read.refused.message);
    if ('invalidJson' in read) return passedOver(params.model, 'it is not valid JSON');
    const plan = planUserModel(read.json);
    return typeof plan === 'string' ? passedOver(params.model, plan) : undefined;
  } catch (error) {
    return passedOver(params.model, error instanceof RangeTestInputError ? error.message : 'it is not valid JSON');
  }
}

/** Decodes the float32 weights of a manifest, in its order, from the concatenated bytes of its files. */
function decodeWeights(
  manifest: readonly { weights: readonly { name: string; shape: readonly number[] }[] }[],
  bytes: Buffer,
  model: string,
): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const spec of manifest.flatMap((group) => group.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > bytes.length)
      throw new RangeTestInputError(
        `${model}: its weight files hold ${formatBytes(bytes.length)}, fewer than its weights manifest lists.`,
      );
    // A copy of the bytes (so aligned), read in the platform's byte order as TensorFlow.js reads them.
    out.set(
      spec.name,
      new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4)),
    );
    offset += count * 4;
  }
  return out;
}

/**
 * The user task in graph form for ONNX Runtime: the model's weights, the CSV's rows in the TensorFlow.js task's
 * batches and order (same seed, same `batchOrder`), and the training graph. Every file is read through the
 * workspace checks with the TensorFlow.js task's limits; user-input problems throw RangeTestInputError with the
 * same messages as there.
 */
export async function loadUserGraphTask(
  params: RangeTestParams,
  workspaceRoot: string,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
  source: UserModelSource = userModelSource(params, workspaceRoot),
): Promise<GraphTask & { readonly description: string }> {
  for (const key of ['model', 'data'] as const) {
    if (!params[key])
      throw new RangeTestInputError(`range_test.${key} is missing: task \`user\` needs a model.json and a CSV.`);
  }
  const model = params.model!;
  const read = source();
  if ('refused' in read) throw read.refused;
  const modelFile = read.file;
  const dataFile = checkedDataCsv(params, workspaceRoot);
  if ('invalidJson' in read)
    throw new RangeTestInputError(`${model}: not a TensorFlow.js Layers model.json (it is not valid JSON).`);
  const modelJson = read.json as {
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  };
  const plan = planUserModel(modelJson);
  if (typeof plan === 'string') throw new RangeTestInputError(passedOver(model, plan));

  const files = checkedWeightFiles(
    modelJson.weightsManifest,
    { path: modelFile.path, configured: model },
    workspaceRoot,
  );
  const bytes = Buffer.concat(await Promise.all(files.map((file) => fs.promises.readFile(file))));
  const decoded = decodeWeights(modelJson.weightsManifest, bytes, model);
  const weights = parameterList(plan.layers).map((parameter) =>
    parameter.toGraph(decoded.get(parameter.manifestName)!),
  );

  const csv = parseFeatureCsv(await fs.promises.readFile(dataFile.path, 'utf8'), params.data!);
  const expectedFeatures = plan.inputShape.reduce((a, b) => a * b, 1);
  if (expectedFeatures !== csv.columns - 1) {
    throw new RangeTestInputError(
      `Shape mismatch: ${model} expects ${expectedFeatures} input features (input shape [batch, ${plan.inputShape.join(', ')}]), ` +
        `but ${params.data} has ${csv.columns - 1} feature columns (plus the label in the last column).`,
    );
  }
  const { outputs } = plan;
  const classification = outputs > 1;
  if (classification) {
    const bad = csv.labels.findIndex((label) => !Number.isInteger(label) || label < 0 || label >= outputs);
    if (bad >= 0)
      throw new RangeTestInputError(
        `${params.data}: the label in data row ${bad + 1} is ${csv.labels[bad]}, but the model has ${outputs} classes (labels 0..${outputs - 1}).`,
      );
  }

  const order = batchOrder(csv.rows, params.batchSize, createRandom(params.seed));
  const width = expectedFeatures;
  const featureShape = userFeatureShape(plan, order.size);
  // A CSV row of an image is channels last (height, width, channel); the graph takes channels first.
  const image =
    featureShape.length === 4 ? { channels: featureShape[1]!, pixels: featureShape[2]! * featureShape[3]! } : undefined;
  const copyRow = (from: Float32Array, to: Float32Array) => {
    if (!image) return to.set(from);
    for (let p = 0; p < image.pixels; p++) {
      for (let c = 0; c < image.channels; c++) to[c * image.pixels + p] = from[p * image.channels + c]!;
    }
  };
  return {
    description: `user: ${model} on ${csv.rows} rows of ${params.data} (${classification ? `${outputs}-class cross-entropy` : 'mean squared error'})`,
    graph: buildUserTrainingGraph(plan, order.size, rule, hyper),
    weights,
    order,
    batch(index) {
      const rows = order.batchRows(index);
      const features = new Float32Array(rows.length * width);
      const labels = new Float32Array(rows.length * outputs);
      rows.forEach((row, i) => {
        copyRow(csv.features.subarray(row * width, (row + 1) * width), features.subarray(i * width, (i + 1) * width));
        if (classification) labels[i * outputs + csv.labels[row]!] = 1;
        else labels[i] = csv.labels[row]!;
      });
      return { features, featureShape, labels, labelShape: [rows.length, outputs] };
    },
  };
}
