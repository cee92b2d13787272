import type { EventColumns } from '../../../shared/contract.ts';

/** First event index of every step (events arrive sorted by time), plus the end: length steps + 1. */
export function stepOffsets(ev: EventColumns): Int32Array {
  const n = ev.steps.length;
  const off = new Int32Array(n + 1);
  let j = 0;
  for (let s = 0; s <= n; s++) {
    while (j < ev.stepIndex.length && ev.stepIndex[j] < s) j++;
    off[s] = j;
  }
  return off;
}

export function stepCounts(off: Int32Array): number[] {
  const out: number[] = [];
  for (let s = 0; s + 1 < off.length; s++) out.push(off[s + 1] - off[s]);
  return out;
}

export function range(from: number, to: number): number[] {
  const out = new Array<number>(Math.max(0, to - from));
  for (let i = from; i < to; i++) out[i - from] = i;
  return out;
}

/** "YYYY-MM-DDTHH:MM" of a step start given as ISO local with offset: what forecast.at takes. */
export function localAt(stepIso: string): string {
  return stepIso.slice(0, 16);
}

export function formatLocal(utcMs: number, tz: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(utcMs);
}

export const EVENT_LABELS = ['single', 'multiple', 'gunshot or firecracker', 'unknown'];
