import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type {
  AppInfo,
  Backend,
  DatasetInfo,
  EventColumns,
  ForecastValue,
  JobProgress,
  ModelInfo,
} from '../../shared/contract.ts';
import { call, newJobId } from './api/backend.ts';
import { MapView } from './map/MapView.tsx';
import { cellAt, maskOutline, rankCells } from './map/grid.ts';
import type { MapModel } from './map/layers/index.ts';
import { Legend } from './map/Legend.tsx';
import { Tooltip, type HoverInfo } from './map/Tooltip.tsx';
import { Timeline } from './timeline/Timeline.tsx';
import { localAt, range, stepCounts, stepOffsets } from './state/view.ts';
import { DataPanel } from './panels/DataPanel.tsx';
import { TrainPanel } from './panels/TrainPanel.tsx';
import { ValidatePanel } from './panels/ValidatePanel.tsx';
import { ForecastPanel, LATEST, modelChoiceOf, type ForecastSettings } from './panels/ForecastPanel.tsx';
import { BriefingPanel } from './panels/BriefingPanel.tsx';
import { ProgressBar } from './panels/ProgressBar.tsx';
import { ModelsPanel } from './panels/ModelsPanel.tsx';
import { JobStrip } from './panels/JobStrip.tsx';
import { JobsContext, JobStore, useConnectedStore } from './api/jobs.ts';

type PanelName = 'data' | 'train' | 'validate' | 'forecast' | 'models' | 'briefing';
const PANELS: { id: PanelName; label: string }[] = [
  { id: 'data', label: 'Data' },
  { id: 'train', label: 'Train' },
  { id: 'validate', label: 'Validate' },
  { id: 'forecast', label: 'Forecast' },
  { id: 'models', label: 'Models' },
  { id: 'briefing', label: 'Briefing' },
];

const DEFAULT_SETTINGS: ForecastSettings = {
  model: LATEST,
  horizon: 1,
  topK: 10,
  units: 3,
  rows: 36,
  cols: 36,
  view: 'cells',
};

/** Recent events shown in the tooltip: this step and the six before it. */
const RECENT_STEPS = 7;

/**
 * How long the scrubber must rest on a step before its forecast is fetched. Software-GL frames take
 * 100–200 ms; at 120 ms a steady scrub fired a forecast request (and a full risk-layer rebuild when it
 * landed) on nearly every step, competing with the frames for the same two cores.
 */
const FORECAST_SETTLE_MS = 300;

export function App({ backend }: { backend: Backend }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [dataset, setDataset] = useState<string | null>(null);
  // Bumped when a dataset's map layers change, so the map draws them again.
  const [layersVersion, setLayersVersion] = useState(0);
  const [events, setEvents] = useState<EventColumns | null>(null);
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [settings, setSettings] = useState<ForecastSettings>(DEFAULT_SETTINGS);
  const [forecast, setForecast] = useState<ForecastValue | null>(null);
  const [panel, setPanel] = useState<PanelName>('data');
  const [models, setModels] = useState<ModelInfo[]>([]);
  // The app's jobs live here, above the panels: leaving a tab does not lose a job's progress or Cancel.
  const jobStore = useMemo(() => new JobStore(backend), [backend]);
  useConnectedStore(jobStore);
  const jobSnapshot = useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot);
  const trainEnded = jobSnapshot.jobs.find((j) => j.kind === 'train' && j.state === 'done')?.id ?? null;
  const [registryVersion, setRegistryVersion] = useState(0);
  // The registry, re-read on every tab change, when a training job ends and after a delete: a model
  // trained in the Train panel then reaches the map.
  useEffect(() => {
    if (!dataset) return;
    let stale = false;
    call(backend, 'models.list', { dataset })
      .then((m) => !stale && setModels((old) => (JSON.stringify(old) === JSON.stringify(m) ? old : m)))
      .catch(() => !stale && setModels([]));
    return () => {
      stale = true;
    };
  }, [backend, dataset, panel, trainEnded, registryVersion]);
  const [errors, setErrors] = useState<string[]>([]);
  const [status, setStatus] = useState<JobProgress | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const cache = useRef(new Map<string, ForecastValue>());

  const report = useCallback((message: string) => setErrors((e) => [...e.slice(-4), message]), []);

  const refreshDatasets = useCallback(async () => {
    const list = await call(backend, 'datasets.list', {});
    setDatasets(list);
    return list;
  }, [backend]);

  // First start: load the built-in sample when the database is empty, then show its forecast.
  useEffect(() => {
    let off = () => {};
    (async () => {
      setInfo(await call(backend, 'app.info', {}));
      const jobId = newJobId('demo');
      off = backend.onProgress((p) => p.jobId === jobId && setStatus(p));
      const demo = await call(backend, 'app.ensureDemo', { jobId });
      setStatus(null);
      const list = await refreshDatasets();
      setDataset(list.find((d) => d.name === demo.dataset)?.name ?? list[0]?.name ?? null);
    })()
      .catch((e: unknown) => report((e as Error).message))
      .finally(() => off());
  }, [backend, refreshDatasets, report]);

  useEffect(() => {
    if (!dataset) return;
    let stale = false;
    call(backend, 'events.load', { dataset, step: 'day' })
      .then((ev) => {
        if (stale) return;
        cache.current.clear();
        setEvents(ev);
        // The last step is the one after the data: the forecast an analyst wants first.
        setStep(Math.max(0, ev.steps.length - 1));
      })
      .catch((e: unknown) => report((e as Error).message));
    return () => {
      stale = true;
    };
  }, [backend, dataset, report]);

  const offsets = useMemo(() => (events ? stepOffsets(events) : null), [events]);
  const counts = useMemo(() => (offsets ? stepCounts(offsets) : []), [offsets]);

  // The forecast for the current step: cached, and fetched after the scrubber settles.
  useEffect(() => {
    if (!events || !dataset || events.steps.length === 0) return;
    const at = localAt(events.steps[step]);
    // 'latest' names a different model once one is trained: the newest id is part of the key.
    const newest = models[0]?.id ?? 0;
    const key = [dataset, at, settings.model, newest, settings.horizon, settings.rows, settings.cols].join(
      '|',
    );
    const hit = cache.current.get(key);
    if (hit) {
      setForecast(hit);
      return;
    }
    let stale = false;
    const timer = setTimeout(
      () => {
        call(backend, 'forecast.at', {
          dataset,
          step: events.step,
          grid: { rows: settings.rows, cols: settings.cols },
          at,
          model: modelChoiceOf(settings.model),
          horizon: settings.horizon,
        })
          .then((f) => {
            if (cache.current.size > 400) cache.current.clear();
            cache.current.set(key, f);
            if (!stale) setForecast(f);
          })
          .catch((e: unknown) => !stale && report((e as Error).message));
      },
      playing ? 0 : FORECAST_SETTLE_MS,
    );
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [backend, dataset, events, step, settings, playing, report, models]);

  useEffect(() => {
    if (!playing || !events) return;
    const t = setInterval(() => {
      setStep((s) => {
        if (s + 1 >= events.steps.length) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 400);
    return () => clearInterval(t);
  }, [playing, events]);

  const ranking = useMemo(() => (forecast ? rankCells(forecast) : null), [forecast]);
  const outline = useMemo(() => (forecast ? maskOutline(forecast) : []), [forecast]);
  const stepEvents = useMemo(
    () => (offsets ? range(offsets[step], offsets[Math.min(step + 1, offsets.length - 1)]) : []),
    [offsets, step],
  );
  const hoverCell = hover?.cell ?? -1;
  const model: MapModel = useMemo(
    () => ({
      forecast,
      ranking,
      outline,
      events,
      stepEvents,
      topK: settings.topK,
      view: settings.view,
      hoverCell,
    }),
    [forecast, ranking, outline, events, stepEvents, settings.topK, settings.view, hoverCell],
  );

  const onHover = useCallback(
    (lat: number, lon: number, x: number, y: number) => {
      if (!forecast || !ranking || !events || !offsets) return;
      const cell = cellAt(forecast.grid, lat, lon);
      if (cell < 0 || !forecast.studyMask[cell]) {
        setHover(null);
        return;
      }
      const from = offsets[Math.max(0, step - RECENT_STEPS + 1)];
      const to = offsets[Math.min(step + 1, offsets.length - 1)];
      const recent: number[] = [];
      for (let j = to - 1; j >= from; j--) {
        if (cellAt(forecast.grid, events.lat[j], events.lon[j]) === cell) recent.push(j);
      }
      setHover({
        cell,
        x,
        y,
        risk: forecast.risk[cell],
        rank: ranking.rank[cell],
        of: ranking.order.length,
        recent,
      });
    },
    [forecast, ranking, events, offsets, step],
  );
  const onLeave = useCallback(() => setHover(null), []);
  const togglePlay = useCallback(() => setPlaying((p) => !p), []);

  const usedModelId = Number(/^model:(\d+)$/.exec(settings.model)?.[1] ?? NaN) || null;
  const chooseModel = useCallback((id: number) => setSettings((s) => ({ ...s, model: `model:${id}` })), []);
  const onModelDeleted = useCallback((id: number) => {
    setSettings((s) => (s.model === `model:${id}` ? { ...s, model: LATEST } : s));
    cache.current.clear();
    setRegistryVersion((v) => v + 1);
  }, []);

  const fitBbox = useMemo(() => (events && events.lat.length ? events.bbox : null), [events]);

  return (
    <JobsContext.Provider value={jobStore}>
      <div className="app">
        <header className="topbar">
          <h1>shotcast</h1>
          <label>
            Dataset{' '}
            <select
              value={dataset ?? ''}
              onChange={(e) => setDataset(e.target.value)}
              data-testid="dataset-select"
            >
              {datasets.map((d) => (
                <option key={d.id} value={d.name}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <span className="forecast-caption" data-testid="forecast-caption">
            {forecast
              ? `${forecast.model} forecast for ${forecast.stepStart.slice(0, 16)}`
              : 'no forecast yet'}
          </span>
          <span className="transport">{info ? `${info.transport} · ${info.dbPath}` : ''}</span>
        </header>
        <JobStrip />
        {status && (
          <div className="banner">
            Loading the built-in DC sample… <ProgressBar progress={status.progress} />
          </div>
        )}
        {errors.length > 0 && (
          <div className="errors" role="alert" data-testid="errors">
            {errors.map((e, i) => (
              <div key={i}>{e}</div>
            ))}
            <button type="button" onClick={() => setErrors([])}>
              dismiss
            </button>
          </div>
        )}
        <main className="body">
          <aside className="sidebar">
            <nav className="tabs" role="tablist">
              {PANELS.map((p) => (
                <button
                  key={p.id}
                  type="button"
                  role="tab"
                  aria-selected={panel === p.id}
                  className={panel === p.id ? 'active' : ''}
                  onClick={() => setPanel(p.id)}
                  data-testid={`tab-${p.id}`}
                >
                  {p.label}
                </button>
              ))}
            </nav>
            <div className="panel">
              {panel === 'data' && (
                <DataPanel
                  backend={backend}
                  datasets={datasets}
                  current={dataset}
                  onSelect={setDataset}
                  onImported={async (name) => {
                    await refreshDatasets();
                    setDataset(name);
                  }}
                  onDatasetsChanged={async (select) => {
                    await refreshDatasets();
                    setDataset(select);
                  }}
                  layersVersion={layersVersion}
                  onLayersChanged={() => setLayersVersion((v) => v + 1)}
                />
              )}
              {panel === 'train' && (
                <TrainPanel
                  backend={backend}
                  dataset={dataset}
                  events={events}
                  onUseModel={chooseModel}
                  usedModelId={usedModelId}
                />
              )}
              {panel === 'validate' && <ValidatePanel backend={backend} dataset={dataset} events={events} />}
              {panel === 'forecast' && (
                <ForecastPanel
                  settings={settings}
                  onChange={setSettings}
                  events={events}
                  step={step}
                  onStep={setStep}
                  forecast={forecast}
                  ranking={ranking}
                  models={models}
                />
              )}
              {panel === 'models' && (
                <ModelsPanel
                  backend={backend}
                  dataset={dataset}
                  models={models}
                  usedModelId={usedModelId}
                  onUse={chooseModel}
                  onDeleted={onModelDeleted}
                />
              )}
              {panel === 'briefing' && (
                <BriefingPanel
                  backend={backend}
                  dataset={dataset}
                  viewDate={events?.steps[step]?.slice(0, 10) ?? null}
                  viewUnits={settings.units}
                  models={models}
                />
              )}
            </div>
          </aside>
          <section className="mapwrap">
            {info && (
              <MapView
                backend={backend}
                tiles={info.tiles}
                dataset={dataset}
                layersVersion={layersVersion}
                model={model}
                fitBbox={fitBbox}
                onHover={onHover}
                onLeave={onLeave}
                onError={report}
              />
            )}
            <Legend ranking={ranking} view={settings.view} topK={settings.topK} />
            {hover && events && <Tooltip info={hover} events={events} />}
          </section>
        </main>
        {events && events.steps.length > 0 && (
          <Timeline
            steps={events.steps}
            counts={counts}
            index={step}
            playing={playing}
            onChange={setStep}
            onTogglePlay={togglePlay}
          />
        )}
      </div>
    </JobsContext.Provider>
  );
}
