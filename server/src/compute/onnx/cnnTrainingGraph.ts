// One training step of the `cnn` task's network as a single ONNX graph, the same architecture as cnnOver in
// tasks.ts: conv3x3x8 (same padding) - ReLU - maxpool 2x2 - conv3x3x16 - ReLU - maxpool 2x2 - dense 10, mean
// softmax cross-entropy, the backward pass written out, and the optimizer update shared with the MLP graphs.
// The graph works in ONNX's NCHW layout; `toCnnGraphLayout` reorders the seeded TensorFlow.js-layout weights
// once, so both engines start from the same network and the update (element-wise) is layout-blind.

import type { Hyperparameters, UpdateRuleName } from '../../core/optim/hyperparameters';
import type { InitialWeight } from '../taskData';
import type { TrainingGraph } from './trainingGraph';
import { addCrossEntropy, startTrainingGraph } from './trainingGraph';

/** The `cnn` task's image side, channels per convolution and classes (see builtInTask in taskData.ts). */
const SIDE = 28;
const CHANNELS = [1, 8, 16] as const;
const CLASSES = 10;
const FLAT = CHANNELS[2] * (SIDE / 4) * (SIDE / 4);

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
  const kernel = (values: Float32Array, channels: number, filters: number): Float32Array => {
    const out = new Float32Array(values.length);
    for (let f = 0; f < filters; f++) {
      for (let c = 0; c < channels; c++) {
        for (let tap = 0; tap < 9; tap++)
          out[(f * channels + c) * 9 + tap] = values[(tap * channels + c) * filters + f]!;
      }
    }
    return out;
  };
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
    kernel(k1, CHANNELS[0], CHANNELS[1]),
    Float32Array.from(b1),
    kernel(k2, CHANNELS[1], CHANNELS[2]),
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
  const same = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
  const pool = { kernel_shape: [2, 2], strides: [2, 2] };

  // Forward. max(relu(z)) over a window is relu(max(z)), so the ReLU runs on the pooled (4x smaller) tensor;
  // both give the same values, and the same gradients but for exact ties of a positive maximum.
  const layer = (input: string, kernel: string, bias: string, channels: number, side: number) => {
    const z = g.one('Conv', [input, kernel, bias], same);
    const pooled = g.one('MaxPool', [z], pool);
    return { z, pooled, a: g.one('Relu', [pooled]), channels, side };
  };
  const l1 = layer(x, k1, b1, CHANNELS[1], SIDE);
  const l2 = layer(l1.a, k2, b2, CHANNELS[2], SIDE / 2);
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

  // Back through a ReLU (where the pooled value is > 0) and a 2x2 max pool: each window's gradient goes where z
  // equals the window's maximum. SpaceToDepth lays each window's four values along a new axis ([batch, 4,
  // channels, h, w], DCR order), so the comparison and the routing broadcast the pooled tensor without copies;
  // DepthToSpace puts the result back. (MaxPool's index output with MaxUnpool, or an upsampling of the pooled
  // tensor, did the same at several times the cost in profiles of a step.)
  const unpool = (dA: string, l: typeof l1) => {
    const half = l.side / 2;
    const windows = g.int64s([batchSize, 4, l.channels, half, half]);
    const pooledShape = g.int64s([batchSize, 1, l.channels, half, half]);
    const zWindows = g.one('Reshape', [g.one('SpaceToDepth', [l.z], { blocksize: 2 }), windows]);
    const isMaximum = g.one('Equal', [zWindows, g.one('Reshape', [l.pooled, pooledShape])]);
    const dPooled = g.one('Reshape', [g.one('Mul', [dA, g.one('Sign', [l.a])]), pooledShape]);
    const dWindows = g.one('Where', [isMaximum, dPooled, g.scalar(0)]);
    return g.one('DepthToSpace', [g.one('Reshape', [dWindows, g.int64s([batchSize, 4 * l.channels, half, half])])], {
      blocksize: 2,
    });
  };
  // A convolution's kernel gradient: the output gradient as [filters, batch * h * w] times the input's nine
  // shifted copies (im2col, rows in (tap, channel) order) as [9 * channels, batch * h * w], transposed, then
  // reordered to [filters, channels, 3, 3]. One product reads the output gradient once (one product per tap reads
  // it nine times; a convolution with the batch as channels, the textbook form, was the slowest in a profile).
  const kernelGradient = (input: string, dZ: string, channels: number, filters: number, side: number) => {
    const padded = g.one('Pad', [
      g.one('Transpose', [input], { perm: [1, 0, 2, 3] }),
      g.int64s([0, 0, 1, 1, 0, 0, 1, 1]),
    ]);
    const taps: string[] = [];
    for (let dy = 0; dy < 3; dy++) {
      for (let dx = 0; dx < 3; dx++)
        taps.push(g.one('Slice', [padded, g.int64s([dy, dx]), g.int64s([dy + side, dx + side]), g.int64s([2, 3])]));
    }
    const patches = g.one('Reshape', [g.one('Concat', taps, { axis: 0 }), g.int64s([9 * channels, -1])]);
    const dZRows = g.one('Reshape', [g.one('Transpose', [dZ], { perm: [1, 0, 2, 3] }), g.int64s([filters, -1])]);
    const byTap = g.one('Reshape', [g.one('Gemm', [dZRows, patches], { transB: 1 }), g.int64s([filters, 9, channels])]);
    return g.one('Reshape', [g.one('Transpose', [byTap], { perm: [0, 2, 1] }), g.int64s([filters, channels, 3, 3])]);
  };
  const biasGradient = (dZ: string) => g.one('ReduceSum', [dZ, g.int64s([0, 2, 3])], { keepdims: 0 });

  const dZ2 = unpool(dA2, l2);
  const dK2 = kernelGradient(l1.a, dZ2, CHANNELS[1], CHANNELS[2], SIDE / 2);
  const dB2 = biasGradient(dZ2);
  // The input gradient of a same-padded convolution is the transposed convolution with the same kernel, which
  // is a plain convolution with the kernel's filters and channels swapped and its taps flipped (for this shape
  // ONNX Runtime's Conv took about 1.0 ms against 1.3 ms for its ConvTranspose, with the same result).
  const flippedK2 = g.one('Slice', [
    g.one('Transpose', [k2], { perm: [1, 0, 2, 3] }),
    g.int64s([-1, -1]),
    g.int64s([-4, -4]),
    g.int64s([2, 3]),
    g.int64s([-1, -1]),
  ]);
  const dA1 = g.one('Conv', [dZ2, flippedK2], same);
  const dZ1 = unpool(dA1, l1);
  const dK1 = kernelGradient(x, dZ1, CHANNELS[0], CHANNELS[1], SIDE);
  const dB1 = biasGradient(dZ1);

  const gradients = [dK1, dB1, dK2, dB2, dW3, dB3];
  return graph.finish(gradients);
}
