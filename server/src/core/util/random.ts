// The product's seeded random generators, so that task data, weights, batch order, gradient noise and test fixtures
// depend only on their seed, on every machine (32-bit integer arithmetic only). Two generators, each kept because
// recorded results depend on its exact sequence: mulberry32 (task data and weights, with a ziggurat for normals;
// the webview fixtures' noise) and xoshiro128** seeded by splitmix32 (the simulator's gradient noise, Box-Muller).

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32); each call to `next` advances the generator. */
export interface SeededRandom {
  next(): number;
  /** Standard normal (Marsaglia and Tsang's ziggurat). */
  normal(): number;
  /** An integer in [0, bound). */
  integer(bound: number): number;
  /** Fills `out` with standard normals: the same values as calling `normal` out.length times. */
  fillNormal(out: Float32Array | Float64Array): void;
  /** Fills `out` with uniforms in [low, high): one draw of `next` per element. */
  fillUniform(out: Float32Array | Float64Array, low: number, high: number): void;
}

const LAYERS = 128;
/** Right edge of the ziggurat's base layer and the area of each layer (Marsaglia and Tsang, 2000). */
const TAIL_START = 3.442619855899;
const LAYER_AREA = 9.91256303526217e-3;
/** The signed 25-bit integer that scales a layer's width (bits above the 7 that pick the layer). */
const SCALE = 2 ** 24;

/** The ziggurat's tables: `limit[i]` (accept without a density check), `width[i]` and `density[i]`. */
function zigguratTables(): { limit: Int32Array; width: Float64Array; density: Float64Array } {
  const limit = new Int32Array(LAYERS);
  const width = new Float64Array(LAYERS);
  const density = new Float64Array(LAYERS);
  let edge = TAIL_START;
  let previous = edge;
  const q = LAYER_AREA / Math.exp(-0.5 * edge * edge);
  limit[0] = Math.floor((edge / q) * SCALE);
  limit[1] = 0;
  width[0] = q / SCALE;
  width[LAYERS - 1] = edge / SCALE;
  density[0] = 1;
  density[LAYERS - 1] = Math.exp(-0.5 * edge * edge);
  for (let i = LAYERS - 2; i >= 1; i--) {
    edge = Math.sqrt(-2 * Math.log(LAYER_AREA / edge + Math.exp(-0.5 * edge * edge)));
    limit[i + 1] = Math.floor((edge / previous) * SCALE);
    previous = edge;
    density[i] = Math.exp(-0.5 * edge * edge);
    width[i] = edge / SCALE;
  }
  return { limit, width, density };
}

/** mulberry32 from the 32-bit `state`: each call gives the next 32 random bits as a signed integer. */
export function mulberry32(state: number): () => number {
  let current = state | 0;
  return () => {
    current = (current + 0x6d2b79f5) | 0;
    let t = Math.imul(current ^ (current >>> 15), current | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  };
}

/** Uniform numbers in [0, 1) straight from mulberry32 with `seed` as its state (the webview fixtures' noise). */
export function uniformSource(seed: number): () => number {
  const bits = mulberry32(seed >>> 0);
  return () => (bits() >>> 0) / 4294967296;
}

export function createRandom(seed: number): SeededRandom {
  // mulberry32 as above, on a state that `fillNormal`'s inlined loop below also reads and writes back.
  let state = (Math.floor(seed) ^ 0x9e3779b9) | 0;
  const bits = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return t ^ (t >>> 14);
  };
  const next = (): number => (bits() >>> 0) / 4294967296;
  const { limit, width, density } = zigguratTables();

  // The ziggurat: the low 7 bits pick a layer, the other 25 bits (signed) a point in it. Almost every draw is
  // accepted on the first comparison, so a normal costs about one 32-bit draw (the polar method needs two
  // uniforms, a logarithm and a square root per pair, and the mnist_mlp task needs 1.6 million normals).
  /** The normal that starts from 32 bits `draw` (drawing more when that point is rejected). */
  const normalFrom = (first: number): number => {
    for (let draw = first; ; draw = bits()) {
      const layer = draw & (LAYERS - 1);
      const position = draw >> 7;
      const x = position * width[layer]!;
      if (Math.abs(position) < limit[layer]!) return x;
      if (layer === 0) {
        // The tail beyond TAIL_START, by Marsaglia's exponential method.
        let tail: number;
        let y: number;
        do {
          tail = -Math.log(1 - next()) / TAIL_START;
          y = -Math.log(1 - next());
        } while (y + y < tail * tail);
        return position > 0 ? TAIL_START + tail : -TAIL_START - tail;
      }
      if (density[layer]! + next() * (density[layer - 1]! - density[layer]!) < Math.exp(-0.5 * x * x)) return x;
    }
  };

  return {
    next,
    normal: () => normalFrom(bits()),
    fillNormal: (out) => {
      // The same draws as `normal`, with mulberry32 and the ziggurat's first comparison written inline on a local
      // copy of the state (about 3 times faster on V8 than a call per value); a rejected point, about one in
      // fifty, goes the long way with the state written back.
      let local = state;
      for (let i = 0; i < out.length; i++) {
        local = (local + 0x6d2b79f5) | 0;
        let t = Math.imul(local ^ (local >>> 15), local | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        const draw = t ^ (t >>> 14);
        const layer = draw & (LAYERS - 1);
        const position = draw >> 7;
        if (Math.abs(position) < limit[layer]!) {
          out[i] = position * width[layer]!;
        } else {
          state = local;
          out[i] = normalFrom(draw);
          local = state;
        }
      }
      state = local;
    },
    fillUniform: (out, low, high) => {
      const span = high - low;
      for (let i = 0; i < out.length; i++) out[i] = next() * span + low;
    },
    integer: (bound) => Math.floor(next() * bound),
  };
}

/** A permutation of 0..count-1 (Fisher-Yates). */
export function permutation(count: number, random: SeededRandom): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = random.integer(i + 1);
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}

// ------------------------------------------------------------------------------------------- gradient noise

/** Deterministic: the same seed gives the same sequence on every machine (32-bit integer arithmetic only). */
export class GaussianSource {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = Number.NaN;

  constructor(seed: number) {
    let state = Math.trunc(Number.isFinite(seed) ? seed : 0) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // xoshiro must not start from the all-zero state.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotateLeft(this.s3, 11);
    return result;
  }

  /** Uniform in (0, 1): 53 random bits, never exactly 0 so the logarithm below is finite. */
  nextUniform(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /** A standard normal sample; Box-Muller yields two, the second is kept for the next call. */
  nextGaussian(): number {
    if (this.spare === this.spare) {
      const value = this.spare;
      this.spare = Number.NaN;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.nextUniform()));
    const angle = 2 * Math.PI * this.nextUniform();
    this.spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
