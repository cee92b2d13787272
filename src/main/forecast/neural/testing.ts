/** A synthetic history for the neural forecaster's tests: a hot spot that drifts slowly east. */
import { MODEL_TYPES } from '../../../shared/types.ts';
import type { HistoryView } from '../types.ts';
import { StepEvents, storeOfDense } from '../../history/events.ts';
import { mulberry32 } from '../../../shared/random.ts';

export function syntheticHistory(steps: number, rows: number, cols: number, seed = 1): HistoryView {
  const types = MODEL_TYPES.length;
  const cells = rows * cols;
  const rand = mulberry32(seed);
  const counts = new Float32Array(steps * types * cells);
  const total = new Float32Array(steps * cells);
  for (let s = 0; s < steps; s++) {
    const cx = Math.floor((s / steps) * (cols - 2)) + 1;
    const cy = Math.floor(rows / 2);
    for (let i = 0; i < cells; i++) {
      const y = Math.floor(i / cols);
      const x = i % cols;
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      const p = 0.6 * Math.exp(-d2 / 2) + 0.01;
      if (rand() < p) {
        const k = rand() < 0.6 ? 1 : rand() < 0.7 ? 0 : 2;
        counts[(s * types + k) * cells + i] += 1;
        total[s * cells + i] += 1;
      }
    }
  }
  const day0 = Date.UTC(2017, 0, 1, 5);
  return {
    grid: { bbox: [0, 0, 1, 1], rows, cols, cellMeters: [100, 100] },
    step: { unit: 'day' },
    tz: 'America/New_York',
    types: MODEL_TYPES,
    steps,
    offset: 0,
    events: new StepEvents(storeOfDense(total, counts, steps, types, cells), 0, steps),
    excluded: new Uint8Array(steps),
    stepStartMs: (i: number) => day0 + i * 86_400_000,
    studyMask: new Uint8Array(cells).fill(1),
  };
}
