// A small seeded random number generator, so that data, weights and batch order depend only on the seed.

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

export function createRandom(seed: number): SeededRandom {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  /** mulberry32: the next 32 random bits as a signed integer. */
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
  const normal = (): number => {
    for (;;) {
      const draw = bits();
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
    normal,
    fillNormal: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = normal();
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
