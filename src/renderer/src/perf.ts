/**
 * Input-to-paint timing for the scrub benchmark: an input marks its time; the next deck.gl frame that
 * finishes after it closes the measurement. Only active when the benchmark turns it on.
 */
interface PerfState {
  enabled: boolean;
  pending: number | null;
  samples: number[];
}

declare global {
  interface Window {
    __shotcastPerf?: PerfState;
  }
}

export function markInput(eventTimeStamp: number): void {
  const p = window.__shotcastPerf;
  if (p?.enabled && p.pending === null) p.pending = eventTimeStamp;
}

export function frameRendered(): void {
  const p = window.__shotcastPerf;
  if (!p?.enabled || p.pending === null) return;
  p.samples.push(performance.now() - p.pending);
  p.pending = null;
}
