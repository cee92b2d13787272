import type { PlaceNames } from '../../../shared/contract.ts';
import type { StepUnit } from '../../../shared/types.ts';
import { EVENT_LABELS, formatLocal } from '../state/view.ts';
import { placeWords } from './places.ts';

export interface HoverInfo {
  cell: number;
  x: number;
  y: number;
  risk: number;
  rank: number;
  /** Study cells ranked. */
  of: number;
  /** The cell's events in the recent steps, newest first. */
  recent: { utcMs: number; type: number }[];
}

export function Tooltip({
  info,
  tz,
  unit,
  place,
}: {
  info: HoverInfo;
  tz: string;
  unit: StepUnit;
  /** The cell's places (null until known, or where the city's layers name none). */
  place: PlaceNames | null;
}) {
  const where = place ? [placeWords(place), place.neighbourhood === '—' ? '' : place.neighbourhood] : [];
  return (
    <div className="tooltip" style={{ left: info.x + 14, top: info.y + 14 }} data-testid="tooltip">
      {where.some(Boolean) && (
        <div data-testid="tooltip-place">
          <b>Where</b> {where.filter(Boolean).join(' · ')}
        </div>
      )}
      <div>
        <b>Risk</b> {info.risk.toFixed(3)} expected events ({chance(info.risk)} chance of one or more)
      </div>
      <div>
        <b>Rank</b> {info.rank} of {info.of}
      </div>
      <div>
        <b>Recent events</b> (7 {unit}s): {info.recent.length}
      </div>
      <ul>
        {info.recent.slice(0, 5).map((e, j) => (
          <li key={j}>
            {formatLocal(e.utcMs, tz)} · {EVENT_LABELS[e.type]}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** p(≥ 1) = 1 − e^(−λ) for a Poisson count of mean λ, in words: "11.6 %", "< 0.1 %". */
function chance(risk: number): string {
  const p = 1 - Math.exp(-Math.max(0, risk));
  return p < 0.001 ? '< 0.1 %' : `${(100 * p).toFixed(1)} %`;
}
