import type { Progress } from '../../../shared/types.ts';

function eta(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '';
  return s >= 60 ? ` · ETA ${Math.floor(s / 60)}m${Math.round(s % 60)}s` : ` · ETA ${Math.ceil(s)}s`;
}

export function ProgressBar({ progress }: { progress: Progress }) {
  const frac = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return (
    <div className="progress" data-testid="progress">
      <progress max={1} value={frac} />
      <span>
        {progress.phase} {Math.round(frac * 100)}%{eta(progress.etaSeconds)}
        {progress.message ? ` · ${progress.message}` : ''}
      </span>
    </div>
  );
}
