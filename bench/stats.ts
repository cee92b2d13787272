/** Summaries of latency samples, as the benchmarks report them. */

/** The q-quantile of an ascending array (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

/** Count, median, p95 and maximum of samples in ms, to 0.1 ms. */
export function summarise(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    samples: s.length,
    medianMs: round(quantile(s, 0.5)),
    p95Ms: round(quantile(s, 0.95)),
    maxMs: round(s[s.length - 1]),
  };
}
