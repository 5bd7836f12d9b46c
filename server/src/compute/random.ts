// A small seeded random number generator, so that data, weights and batch order depend only on the seed.

/** Uniform numbers in [0, 1) from a 32-bit seed (mulberry32); each call to `next` advances the generator. */
export interface SeededRandom {
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** An integer in [0, bound). */
  integer(bound: number): number;
}

export function createRandom(seed: number): SeededRandom {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal: () => {
      const u = Math.max(next(), 1e-12);
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
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
