import {
  MAX_DEPLOY_UNITS,
  type Backend,
  type ForecastValue,
  type ModelChoiceValue,
  type ModelInfo,
} from '../../../shared/contract.ts';
import type { StepUnit } from '../../../shared/types.ts';
import { stepLabel, type StepAxis } from '../state/steps.ts';
import type { Ranking } from '../map/grid.ts';
import { placeWords, usePlaces } from '../map/places.ts';
import { SuggestedUnits } from './SuggestedUnits.tsx';
import type { RiskView } from '../map/layers/index.ts';
import { percent as pct } from '../../../shared/numbers.ts';

export interface ForecastSettings {
  /** The unit the map, the timeline and the forecast step by. */
  step: StepUnit;
  model: string;
  horizon: number;
  topK: number;
  units: number;
  rows: number;
  cols: number;
  view: RiskView;
}

export const FORECAST_MODELS = [
  'kde',
  'counts-365d',
  'counts-all',
  'prospective',
  'sepp',
  'calendar',
  'persistence',
];

/** The select's value for the dataset's newest registered model (the default: a trained model reaches the map). */
export const LATEST = 'latest';

/** A model select's value as the typed choice the backend takes: `latest`, `model:<id>` or a classical name. */
export function modelChoiceOf(value: string): ModelChoiceValue {
  // The fallback is the default KDE, named with its parameters as every door names it.
  if (value === LATEST)
    return { kind: 'latest', fallback: { name: 'kde', params: { tau: '90', sigma: '0.5' } } };
  const id = /^model:(\d+)$/.exec(value);
  if (id) return { kind: 'registered', id: Number(id[1]) };
  return { kind: 'classical', model: { name: value, params: {} } };
}

/** The options of a model select: the newest registered model, each registered model, the classical ones. */
export function ModelOptions({ models }: { models: ModelInfo[] }) {
  return (
    <>
      <option value={LATEST}>newest registered model (else kde)</option>
      {models.map((m) => (
        <option key={m.id} value={`model:${m.id}`}>
          {m.label}, data to {m.dataCutoff}
        </option>
      ))}
      {FORECAST_MODELS.map((m) => (
        <option key={m} value={m}>
          {m}
        </option>
      ))}
    </>
  );
}

/** The step units the map offers; the dataset's timeline, forecasts and scrubbing follow the choice. */
const STEP_UNITS: [StepUnit, string][] = [
  ['hour', 'hour'],
  ['shift', '8-hour shift'],
  ['day', 'day'],
  ['week', 'week'],
];

interface Props {
  backend: Backend;
  /** The dataset whose map layers name the top cells' places. */
  dataset: string | null;
  settings: ForecastSettings;
  onChange(s: ForecastSettings): void;
  /** The timeline's steps (null until the dataset's timeline has loaded). */
  steps: StepAxis | null;
  step: number;
  onStep(i: number): void;
  forecast: ForecastValue | null;
  ranking: Ranking | null;
  models: ModelInfo[];
}

const int = (v: string, lo: number, hi: number, fallback: number) => {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : fallback;
};

/** Which step, model and horizon the map shows; how many top cells and patrol units. */
export function ForecastPanel(props: Props) {
  const { backend, dataset, settings, onChange, steps, step, onStep, forecast, ranking, models } = props;
  const set = (patch: Partial<ForecastSettings>) => onChange({ ...settings, ...patch });
  const date = steps?.date(step) ?? '';
  const top = ranking ? ranking.order.slice(0, settings.topK) : [];
  const deployment = forecast?.deployment ?? null;
  // Each deployed cell's unit: the briefing's patrol areas, not a split of the ranking.
  const unitOf = new Map<number, number>();
  for (const a of deployment?.areas ?? []) for (const c of a.cells) unitOf.set(c, a.rank);
  const names = usePlaces(backend, dataset, forecast?.grid ?? null, top);
  return (
    <div data-testid="panel-forecast">
      <h2>Forecast</h2>
      <div className="form">
        <label>
          Step
          <select
            value={settings.step}
            onChange={(e) => set({ step: e.target.value as StepUnit })}
            data-testid="forecast-step"
          >
            {STEP_UNITS.map(([unit, label]) => (
              <option key={unit} value={unit}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Date
          <input
            type="date"
            value={date}
            min={steps?.date(0)}
            max={steps?.date(steps.length - 1)}
            onChange={(e) => {
              const i = steps?.indexOfDate(e.target.value) ?? -1;
              if (i >= 0) onStep(i);
            }}
            data-testid="forecast-date"
          />
        </label>
        <label>
          Model
          <select
            value={settings.model}
            onChange={(e) => set({ model: e.target.value })}
            data-testid="forecast-model"
          >
            <ModelOptions models={models} />
          </select>
        </label>
        <label>
          Horizon (steps)
          <input
            type="number"
            min={1}
            max={28}
            value={settings.horizon}
            onChange={(e) => set({ horizon: int(e.target.value, 1, 28, 1) })}
          />
        </label>
        <label>
          Top-K cells
          <input
            type="number"
            min={0}
            max={200}
            value={settings.topK}
            onChange={(e) => set({ topK: int(e.target.value, 0, 200, 10) })}
            data-testid="forecast-topk"
          />
        </label>
        <label>
          Patrol units
          <input
            type="number"
            min={1}
            max={MAX_DEPLOY_UNITS}
            value={settings.units}
            onChange={(e) => set({ units: int(e.target.value, 1, MAX_DEPLOY_UNITS, 3) })}
            data-testid="forecast-units"
          />
        </label>
        <label>
          Grid
          <input
            type="number"
            min={4}
            max={200}
            value={settings.rows}
            onChange={(e) => {
              const n = int(e.target.value, 4, 200, 36);
              set({ rows: n, cols: n });
            }}
          />
        </label>
        <fieldset className="inline">
          <legend>Risk view</legend>
          <label>
            <input
              type="radio"
              name="view"
              checked={settings.view === 'cells'}
              onChange={() => set({ view: 'cells' })}
            />{' '}
            cells
          </label>
          <label>
            <input
              type="radio"
              name="view"
              checked={settings.view === 'heatmap'}
              onChange={() => set({ view: 'heatmap' })}
              data-testid="view-heatmap"
            />{' '}
            heatmap
          </label>
        </fieldset>
      </div>
      {forecast && (
        <p className="muted" data-testid="forecast-model-used">
          {forecast.note ?? forecast.model}, for{' '}
          {steps
            ? stepLabel(steps.tz, settings.step, Date.parse(forecast.stepStart), Date.parse(forecast.stepEnd))
            : `${forecast.stepStart.slice(0, 16)} → ${forecast.stepEnd.slice(0, 16)}`}
          {settings.horizon > 1 ? ` and the ${settings.horizon - 1} after it` : ''},{' '}
          {ranking?.order.length ?? 0} study cells
        </p>
      )}
      {forecast && (
        <p
          data-testid="forecast-volume"
          title="Expected detections over the study area in the step, beside the trailing year's mean for an ordinary step like it (holidays left out)"
        >
          Citywide{settings.horizon > 1 ? ' in the first step' : ''}: {forecast.volume.text}
        </p>
      )}
      {forecast && (
        <p data-testid="forecast-suggestion">
          <SuggestedUnits
            volume={forecast.volume}
            units={settings.units}
            onUse={(units) => set({ units })}
            testId="forecast-use-suggestion"
          />
        </p>
      )}
      {deployment && deployment.areas.length > 0 && (
        <div data-testid="deployment">
          <h3>Patrol areas</h3>
          <p className="muted" data-testid="deployment-summary">
            {deployment.areas.length} {deployment.areas.length === 1 ? 'unit' : 'units'}, each on up to{' '}
            {deployment.maxCells} adjoining cells ({deployment.cells} in all), cover an expected{' '}
            {pct(deployment.coverage)} of the {settings.horizon > 1 ? 'steps’' : 'step’s'} detections; the top{' '}
            {deployment.topCells.cells} cells one by one would cover {pct(deployment.topCells.coverage)} in{' '}
            {deployment.topCells.clusters} separate places. As the briefing deploys them.
          </p>
          <ol className="topcells">
            {deployment.areas.map((a) => (
              <li key={a.rank} data-testid="deployment-area" data-cells={a.cells.join(' ')}>
                <span>
                  unit {a.rank} · {pct(a.share)} · {a.cells.length} {a.cells.length === 1 ? 'cell' : 'cells'}
                  {placeWords(a.place) ? ` · ${placeWords(a.place)}` : ''}
                </span>
                {a.place.neighbourhood !== '—' && (
                  <span className="topcell-place">{a.place.neighbourhood}</span>
                )}
              </li>
            ))}
          </ol>
          <h3>Top cells</h3>
        </div>
      )}
      <ol className="topcells" data-testid="top-cells">
        {top.map((c, i) => {
          const place = names?.[i];
          const where = place ? placeWords(place) : '';
          return (
            <li key={c} data-cell={c} data-risk={forecast?.risk[c]}>
              <span
                title={`cell row ${Math.floor(c / (forecast?.grid.cols ?? 1))}, column ${c % (forecast?.grid.cols ?? 1)}`}
              >
                {forecast?.risk[c].toFixed(3)}
                {unitOf.has(c) ? ` · unit ${unitOf.get(c)}` : ''}
                {where ? ` · ${where}` : ''}
              </span>
              {place && place.neighbourhood !== '—' && (
                <span className="topcell-place" data-testid="top-cell-neighbourhood">
                  {place.neighbourhood}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
