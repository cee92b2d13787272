/**
 * The cells where hit rates at 1–5 % are decided: those whose background rate (the channel the
 * shortcut starts from) ranks in the top fraction of the cells that have any background. The loss
 * can weigh them more (topWeight) or add a ranking term among them (rankWeight), so a small network
 * spends its capacity on the order of the hot spots rather than on the many near-empty cells. The
 * mask reads only the sample's inputs, i.e. steps strictly before its target.
 */
import type { FeatureOptions } from './features.ts';

/** Index (among the static channels) of the background channel the network's shortcut starts from. */
export function baselineChannel(o: FeatureOptions): number {
  if (o.kdeTaus.length > 0) return Math.min(1, o.kdeTaus.length - 1);
  return Math.max(0, o.windows.length - 1);
}

/**
 * 1 on the top ⌈frac · m⌉ cells of `values` (m = cells with a value > 0; ties by cell order), else 0.
 * Writes `cells` values of `out` from `outOffset`.
 */
export function topMask(
  values: ArrayLike<number>,
  offset: number,
  cells: number,
  frac: number,
  out: Float32Array,
  outOffset: number,
): void {
  const idx: number[] = [];
  for (let i = 0; i < cells; i++) if (values[offset + i] > 0) idx.push(i);
  const k = Math.min(idx.length, Math.ceil(frac * idx.length));
  idx.sort((a, b) => values[offset + b] - values[offset + a] || a - b);
  out.fill(0, outOffset, outOffset + cells);
  for (let j = 0; j < k; j++) out[outOffset + idx[j]] = 1;
}
