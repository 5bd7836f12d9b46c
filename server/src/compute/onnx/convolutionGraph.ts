// The backward pass of stride-1 convolutions and 2x2 max pools in ONNX's NCHW layout, and the reordering of a
// TensorFlow.js kernel into it: shared by the `cnn` task's graph and a user's Layers model's graph.

import type { GraphBuilder } from './onnxModel';

/** A stride-1 convolution without dilation over `height` x `width` x `channels`, with `filters` outputs. */
export interface ConvGeometry {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  /** Zero padding on each side, [rows, columns]. */
  readonly pads: readonly [number, number];
}

/** A 2x2 max pool with stride 2 over `height` x `width` x `channels` (both sides even). */
export interface PoolGeometry {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** The forward convolution's ONNX attributes. */
export function convAttributes(conv: ConvGeometry) {
  const [ph, pw] = conv.pads;
  return { kernel_shape: [...conv.kernelSize], pads: [ph, pw, ph, pw] };
}

/**
 * A kernel's values reordered from TensorFlow.js's [height, width, channels, filters] (the same order as its
 * [taps * channels, filters] im2col form) to ONNX's [filters, channels, height, width].
 */
export function kernelToGraphLayout(values: Float32Array, conv: ConvGeometry): Float32Array {
  const [kh, kw] = conv.kernelSize;
  const { channels, filters } = conv;
  const out = new Float32Array(values.length);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let c = 0; c < channels; c++) {
        for (let f = 0; f < filters; f++)
          out[((f * channels + c) * kh + y) * kw + x] = values[((y * kw + x) * channels + c) * filters + f]!;
      }
    }
  }
  return out;
}

/**
 * A convolution's kernel gradient as one product: the output gradient as [filters, batch * h * w] times the
 * padded input's shifted copies (im2col, one per tap, rows in (tap, channel) order), transposed, then reordered
 * to [filters, channels, kh, kw]. One product reads the output gradient once (one product per tap reads it once
 * per tap; a convolution with the batch as channels, the textbook form, was the slowest in a profile).
 */
export function convKernelGradient(g: GraphBuilder, conv: ConvGeometry, input: string, dz: string): string {
  const [kh, kw] = conv.kernelSize;
  const [ph, pw] = conv.pads;
  const outHeight = conv.height + 2 * ph - kh + 1;
  const outWidth = conv.width + 2 * pw - kw + 1;
  const { channels, filters } = conv;
  const transposed = g.one('Transpose', [input], { perm: [1, 0, 2, 3] });
  const padded = ph === 0 && pw === 0 ? transposed : g.one('Pad', [transposed, g.int64s([0, 0, ph, pw, 0, 0, ph, pw])]);
  const taps: string[] = [];
  for (let dy = 0; dy < kh; dy++) {
    for (let dx = 0; dx < kw; dx++)
      taps.push(
        g.one('Slice', [padded, g.int64s([dy, dx]), g.int64s([dy + outHeight, dx + outWidth]), g.int64s([2, 3])]),
      );
  }
  const patches = g.one('Reshape', [g.one('Concat', taps, { axis: 0 }), g.int64s([kh * kw * channels, -1])]);
  const dzRows = g.one('Reshape', [g.one('Transpose', [dz], { perm: [1, 0, 2, 3] }), g.int64s([filters, -1])]);
  const byTap = g.one('Reshape', [
    g.one('Gemm', [dzRows, patches], { transB: 1 }),
    g.int64s([filters, kh * kw, channels]),
  ]);
  return g.one('Reshape', [g.one('Transpose', [byTap], { perm: [0, 2, 1] }), g.int64s([filters, channels, kh, kw])]);
}

/**
 * A stride-1 convolution's input gradient: the transposed convolution with the same kernel, written as a plain
 * convolution of the output gradient with the kernel's filters and channels swapped and its taps flipped, padded
 * by kernel - 1 - pad on each side (for the `cnn` task's shapes ONNX Runtime's Conv took about 1.0 ms against
 * 1.3 ms for its ConvTranspose, with the same result).
 */
export function convInputGradient(g: GraphBuilder, conv: ConvGeometry, kernel: string, dz: string): string {
  const [kh, kw] = conv.kernelSize;
  const [ph, pw] = conv.pads;
  const flipped = g.one('Slice', [
    g.one('Transpose', [kernel], { perm: [1, 0, 2, 3] }),
    g.int64s([-1, -1]),
    g.int64s([-(kh + 1), -(kw + 1)]),
    g.int64s([2, 3]),
    g.int64s([-1, -1]),
  ]);
  const [qh, qw] = [kh - 1 - ph, kw - 1 - pw];
  return g.one('Conv', [dz, flipped], { kernel_shape: [kh, kw], pads: [qh, qw, qh, qw] });
}

/**
 * A 2x2 max pool's input gradient: each window's gradient goes where the input equals the window's maximum.
 * SpaceToDepth lays each window's four values along a new axis ([batch, 4, channels, h, w], DCR order), so the
 * comparison and the routing broadcast the pooled tensor without copies; DepthToSpace puts the result back.
 * (MaxPool's index output with MaxUnpool, or an upsampling of the pooled tensor, did the same at several times
 * the cost in profiles of a step.) TensorFlow.js gives a tie's gradient to one of the tied values and this gives
 * it to each: the curves differ only on exact ties of a maximum that has a gradient (after a ReLU, tied zeros
 * have none).
 */
export function maxPoolGradient(
  g: GraphBuilder,
  pool: PoolGeometry,
  input: string,
  pooled: string,
  dPooled: string,
  batchSize: number,
): string {
  const { channels } = pool;
  const [half, halfWidth] = [pool.height / 2, pool.width / 2];
  const pooledShape = g.int64s([batchSize, 1, channels, half, halfWidth]);
  const windows = g.one('Reshape', [
    g.one('SpaceToDepth', [input], { blocksize: 2 }),
    g.int64s([batchSize, 4, channels, half, halfWidth]),
  ]);
  const isMaximum = g.one('Equal', [windows, g.one('Reshape', [pooled, pooledShape])]);
  const routed = g.one('Where', [isMaximum, g.one('Reshape', [dPooled, pooledShape]), g.scalar(0)]);
  return g.one('DepthToSpace', [g.one('Reshape', [routed, g.int64s([batchSize, 4 * channels, half, halfWidth])])], {
    blocksize: 2,
  });
}
