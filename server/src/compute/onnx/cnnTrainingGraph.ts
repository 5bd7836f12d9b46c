// One training step of the `cnn` task's network as a single ONNX graph, the same architecture as cnnOver in
// tasks.ts: conv3x3x8 (same padding) - ReLU - maxpool 2x2 - conv3x3x16 - ReLU - maxpool 2x2 - dense 10, mean
// softmax cross-entropy, the backward pass written out, and the optimizer update shared with the MLP graphs.
// The graph works in ONNX's NCHW layout; `toCnnGraphLayout` reorders the seeded TensorFlow.js-layout weights
// once, so both engines start from the same network and the update (element-wise) is layout-blind.

import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { InitialWeight } from '../taskData';
import {
  convAttributes,
  convInputGradient,
  convKernelGradient,
  kernelToGraphLayout,
  maxPoolGradient,
  type ConvGeometry,
} from './convolutionGraph';
import type { TrainingGraph } from './trainingGraph';
import { addCrossEntropy, startTrainingGraph } from './trainingGraph';

/** The `cnn` task's image side, channels per convolution and classes (see builtInTask in taskData.ts). */
const SIDE = 28;
const CHANNELS = [1, 8, 16] as const;
const CLASSES = 10;
const FLAT = CHANNELS[2] * (SIDE / 4) * (SIDE / 4);

/** The two convolutions: 3x3, same padding, over the image and over the first pooled map. */
const CONVS: readonly [ConvGeometry, ConvGeometry] = [
  { height: SIDE, width: SIDE, channels: CHANNELS[0], filters: CHANNELS[1], kernelSize: [3, 3], pads: [1, 1] },
  { height: SIDE / 2, width: SIDE / 2, channels: CHANNELS[1], filters: CHANNELS[2], kernelSize: [3, 3], pads: [1, 1] },
];

/** Parameter shapes in graph layout: kernels [filters, channels, 3, 3], biases, dense [784, 10], bias. */
const CNN_SHAPES: readonly (readonly number[])[] = [
  [CHANNELS[1], CHANNELS[0], 3, 3],
  [CHANNELS[1]],
  [CHANNELS[2], CHANNELS[1], 3, 3],
  [CHANNELS[2]],
  [FLAT, CLASSES],
  [CLASSES],
];

/**
 * The task's six weights reordered for the graph. A TensorFlow.js kernel is [9 * channels, filters] in
 * (dy, dx, channel) row order; ONNX's is [filters, channels, dy, dx]. The dense layer's rows follow the
 * flattened NHWC map (h, w, channel) there and the NCHW map (channel, h, w) here.
 */
export function toCnnGraphLayout(weights: readonly InitialWeight[]): Float32Array[] {
  const dense = (values: Float32Array): Float32Array => {
    const out = new Float32Array(values.length);
    const side = SIDE / 4;
    const channels = CHANNELS[2];
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < side * side; p++) {
        const from = (p * channels + c) * CLASSES;
        out.set(values.subarray(from, from + CLASSES), (c * side * side + p) * CLASSES);
      }
    }
    return out;
  };
  const [k1, b1, k2, b2, w3, b3] = weights.map((weight) => weight.values) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  return [
    kernelToGraphLayout(k1, CONVS[0]),
    Float32Array.from(b1),
    kernelToGraphLayout(k2, CONVS[1]),
    Float32Array.from(b2),
    dense(w3),
    Float32Array.from(b3),
  ];
}

/** The shape a batch of the `cnn` task's features is fed with (the data is NHWC with one channel, so NCHW too). */
export function cnnFeatureShape(batchSize: number): number[] {
  return [batchSize, CHANNELS[0], SIDE, SIDE];
}

/**
 * Builds the `cnn` task's training-step graph for batches of `batchSize` images, with `rule`'s update. Returns
 * a reason string for a rule the graph does not implement.
 */
export function buildCnnTrainingGraph(
  batchSize: number,
  rule: UpdateRuleName,
  hyper: Hyperparameters,
): TrainingGraph | string {
  const graph = startTrainingGraph(
    `cnn_${rule}`,
    rule,
    hyper,
    { features: cnnFeatureShape(batchSize), labels: [batchSize, CLASSES], parameters: CNN_SHAPES },
    ['k1', 'b1', 'k2', 'b2', 'w3', 'b3'],
  );
  if (typeof graph === 'string') return graph;
  const { g, x, y } = graph;
  const [k1, b1, k2, b2, w3, b3] = graph.values as [string, string, string, string, string, string];
  const pool = { kernel_shape: [2, 2], strides: [2, 2] };

  // Forward. max(relu(z)) over a window is relu(max(z)), so the ReLU runs on the pooled (4x smaller) tensor;
  // both give the same values, and the same gradients but for exact ties of a positive maximum.
  const layer = (input: string, kernel: string, bias: string, conv: ConvGeometry) => {
    const z = g.one('Conv', [input, kernel, bias], convAttributes(conv));
    const pooled = g.one('MaxPool', [z], pool);
    return { z, pooled, a: g.one('Relu', [pooled]), conv };
  };
  const l1 = layer(x, k1, b1, CONVS[0]);
  const l2 = layer(l1.a, k2, b2, CONVS[1]);
  const flat = g.one('Flatten', [l2.a], { axis: 1 });
  const logits = g.one('Gemm', [flat, w3, b3]);

  // Backward through the dense layer.
  const dLogits = addCrossEntropy(g, logits, y, batchSize);
  const dW3 = g.one('Gemm', [flat, dLogits], { transA: 1 });
  const dB3 = g.one('ReduceSum', [dLogits, g.int64s([0])], { keepdims: 0 });
  const dA2 = g.one('Reshape', [
    g.one('Gemm', [dLogits, w3], { transB: 1 }),
    g.int64s([batchSize, CHANNELS[2], SIDE / 4, SIDE / 4]),
  ]);

  // Back through a ReLU (where the pooled value is > 0) and the 2x2 max pool of the convolution's output.
  const unpool = (dA: string, l: typeof l1) =>
    maxPoolGradient(
      g,
      { height: l.conv.height, width: l.conv.width, channels: l.conv.filters },
      l.z,
      l.pooled,
      g.one('Mul', [dA, g.one('Sign', [l.a])]),
      batchSize,
    );
  const biasGradient = (dZ: string) => g.one('ReduceSum', [dZ, g.int64s([0, 2, 3])], { keepdims: 0 });

  const dZ2 = unpool(dA2, l2);
  const dK2 = convKernelGradient(g, CONVS[1], l1.a, dZ2);
  const dB2 = biasGradient(dZ2);
  const dA1 = convInputGradient(g, CONVS[1], k2, dZ2);
  const dZ1 = unpool(dA1, l1);
  const dK1 = convKernelGradient(g, CONVS[0], x, dZ1);
  const dB1 = biasGradient(dZ1);

  const gradients = [dK1, dB1, dK2, dB2, dW3, dB3];
  return graph.finish(gradients);
}
