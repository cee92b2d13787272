import type { Progress, ProgressFn } from '../shared/types.ts';

/** A one-line progress bar on stderr when it is a terminal; nothing otherwise. */
export function terminalProgress(enabled = process.stderr.isTTY === true): ProgressFn & { done: () => void } {
  let last = 0;
  let drawn = false;
  const fn = ((p: Progress) => {
    if (!enabled) return;
    const now = Date.now();
    if (now - last < 100 && p.done < p.total) return;
    last = now;
    const width = 30;
    const frac = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(frac * width);
    const eta =
      p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)
        ? ` ETA ${formatSeconds(p.etaSeconds)}`
        : '';
    const extra = p.message ? ` ${p.message}` : '';
    process.stderr.write(
      `\r${p.job} ${p.phase} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}%${eta}${extra}\x1b[K`,
    );
    drawn = true;
  }) as ProgressFn & { done: () => void };
  fn.done = () => {
    if (drawn) process.stderr.write('\n');
    drawn = false;
  };
  return fn;
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
