import type { Ranking } from './grid.ts';
import { EVENT_COLORS, riskGradientCss } from './colors.ts';
import { EVENT_LABELS } from '../state/view.ts';
import type { RiskView } from './layers/index.ts';
import { legendNumber as fmt } from '../../../shared/numbers.ts';

/** The risk scale (expected events per cell in the step) and the event colours. */
export function Legend({
  ranking,
  view,
  topK,
  units,
}: {
  ranking: Ranking | null;
  view: RiskView;
  topK: number;
  /** Patrol areas outlined on the map (0: none). */
  units: number;
}) {
  return (
    <div className="legend" data-testid="legend">
      <div className="legend-title">
        {view === 'cells' ? 'Forecast risk (expected events / cell)' : 'Risk heatmap'}
      </div>
      <div className="legend-bar" style={{ background: riskGradientCss() }} />
      <div className="legend-ends">
        <span>{ranking ? fmt(ranking.min) : '–'}</span>
        <span>{ranking ? fmt(ranking.max) : '–'}</span>
      </div>
      <div className="legend-row">
        <span className="legend-topk">1</span> top {topK} cells
      </div>
      {units > 0 && (
        <div className="legend-row" data-testid="legend-units">
          <span className="legend-unit">U1</span> {units === 1 ? 'patrol area' : `${units} patrol areas`}{' '}
          (units)
        </div>
      )}
      {EVENT_LABELS.map((label, i) => (
        <div className="legend-row" key={label}>
          <span
            className="legend-dot"
            style={{ background: `rgb(${EVENT_COLORS[i].slice(0, 3).join(',')})` }}
          />
          {label}
        </div>
      ))}
    </div>
  );
}
