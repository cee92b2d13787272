import { mulberry32 } from '../../shared/random.ts';

export interface Interval {
  diff: number;
  lo: number;
  hi: number;
}

/**
 * Paired bootstrap over test steps of a hit-rate difference: each resample draws steps with
 * replacement and recomputes both pooled hit rates on the same steps, so the shared day-to-day noise
 * cancels. Returns the observed difference and the 2.5 / 97.5 percentiles.
 */
export function pairedBootstrap(
  hitsA: ArrayLike<number>,
  hitsB: ArrayLike<number>,
  events: ArrayLike<number>,
  opts: { samples?: number; seed?: number } = {},
): Interval {
  const n = events.length;
  const samples = opts.samples ?? 2000;
  const rand = mulberry32(opts.seed ?? 20240601);
  const pooled = (pick: (i: number) => number): number => {
    let a = 0;
    let b = 0;
    let e = 0;
    for (let i = 0; i < n; i++) {
      const j = pick(i);
      a += hitsA[j];
      b += hitsB[j];
      e += events[j];
    }
    return e > 0 ? (a - b) / e : 0;
  };
  const diff = pooled((i) => i);
  if (n === 0) return { diff: 0, lo: 0, hi: 0 };
  const draws = new Float64Array(samples);
  const pick = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    for (let i = 0; i < n; i++) pick[i] = Math.floor(rand() * n);
    draws[s] = pooled((i) => pick[i]);
  }
  draws.sort();
  return { diff, lo: quantile(draws, 0.025), hi: quantile(draws, 0.975) };
}

/** Linear-interpolated quantile of sorted values (numpy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
