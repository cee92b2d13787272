/**
 * mulberry32: a small seeded generator, the same sequence on every machine, so that seeded runs
 * (bootstrap intervals, tuning studies, test data) reproduce exactly. The engine's `Rng` class
 * (src/main/engine/runtime/rng.ts) is the same generator with a checkpointable state.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw by Box–Muller. */
export function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A Poisson draw by Knuth's multiplication method: exact, O(mean) draws, for the small means of test data. */
export function poissonKnuth(rand: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}
