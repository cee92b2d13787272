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
