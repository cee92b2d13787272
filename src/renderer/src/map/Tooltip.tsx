import type { EventColumns } from '../../../shared/contract.ts';
import { EVENT_LABELS, formatLocal } from '../state/view.ts';

export interface HoverInfo {
  cell: number;
  x: number;
  y: number;
  risk: number;
  rank: number;
  /** Study cells ranked. */
  of: number;
  /** Indices of the cell's events in the recent steps, newest first. */
  recent: number[];
}

export function Tooltip({ info, events }: { info: HoverInfo; events: EventColumns }) {
  return (
    <div className="tooltip" style={{ left: info.x + 14, top: info.y + 14 }} data-testid="tooltip">
      <div>
        <b>Risk</b> {info.risk.toFixed(3)} expected events
      </div>
      <div>
        <b>Rank</b> {info.rank} of {info.of}
      </div>
      <div>
        <b>Recent events</b> (7 {events.step}s): {info.recent.length}
      </div>
      <ul>
        {info.recent.slice(0, 5).map((j) => (
          <li key={j}>
            {formatLocal(events.utcMs[j], events.tz)} · {EVENT_LABELS[events.type[j]]}
          </li>
        ))}
      </ul>
    </div>
  );
}
