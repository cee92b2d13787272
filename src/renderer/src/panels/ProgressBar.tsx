import type { Progress } from '../../../shared/types.ts';

function duration(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)}m${Math.round(s % 60)}s` : `${Math.ceil(s)}s`;
}

/** The time left: "ETA 40s", or "ETA at most 1m50s" when the job may stop sooner (time cap, early stopping). */
export function etaText(p: Progress): string {
  const s = p.etaSeconds;
  if (s === undefined || !Number.isFinite(s)) return '';
  return p.etaAtMost ? `ETA at most ${duration(s)}` : `ETA ${duration(s)}`;
}

export function ProgressBar({ progress }: { progress: Progress }) {
  const frac = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const eta = etaText(progress);
  return (
    <div className="progress" data-testid="progress">
      <progress max={1} value={frac} />
      <span>
        {progress.phase} {Math.round(frac * 100)}%{eta ? ` · ${eta}` : ''}
        {progress.message ? ` · ${progress.message}` : ''}
      </span>
    </div>
  );
}
