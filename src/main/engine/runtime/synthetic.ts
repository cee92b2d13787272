/**
 * A small synthetic forecasting problem for tests and smoke runs: a 2×2 blob moving at constant
 * velocity across T frames; the target is where it will be on the next frame. A model that learns
 * the motion drives the loss well below the base rate.
 */
import { Rng } from './rng.ts';
import type { Dataset } from './fit.ts';

export function movingBlob(opts: {
  size: number;
  types?: number;
  steps: number;
  rows: number;
  cols: number;
  seed?: number;
  inputName?: string;
}): Dataset {
  const { size, steps: t, rows: h, cols: w } = opts;
  const types = opts.types ?? 3;
  const rng = new Rng(opts.seed ?? 1);
  const x = new Float32Array(size * types * t * h * w);
  const y = new Float32Array(size * h * w);
  const put = (arr: Float32Array, base: number, r: number, c: number) => {
    for (const dr of [0, 1])
      for (const dc of [0, 1]) {
        const rr = r + dr;
        const cc = c + dc;
        if (rr >= 0 && rr < h && cc >= 0 && cc < w) arr[base + rr * w + cc] = 1;
      }
  };
  for (let s = 0; s < size; s++) {
    const vr = rng.int(3) - 1;
    const vc = rng.int(3) - 1 || 1;
    const r0 = 1 + rng.int(h - 3);
    const c0 = 1 + rng.int(w - 3);
    const type = rng.int(types);
    const pos = (k: number): [number, number] => [
      (((r0 + vr * k) % (h - 1)) + (h - 1)) % (h - 1),
      (((c0 + vc * k) % (w - 1)) + (w - 1)) % (w - 1),
    ];
    for (let k = 0; k < t; k++) put(x, ((s * types + type) * t + k) * h * w, ...pos(k));
    put(y, s * h * w, ...pos(t));
  }
  return { size, arrays: { [opts.inputName ?? 'events']: x, target: y } };
}
