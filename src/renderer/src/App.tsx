import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import {
  MAX_DEPLOY_UNITS,
  type AppInfo,
  type Backend,
  type DatasetInfo,
  type EventSummary,
  type ForecastValue,
  type JobProgress,
  type ModelInfo,
} from '../../shared/contract.ts';
import { call, newJobId } from './api/backend.ts';
import { MapView } from './map/MapView.tsx';
import { cellAt, maskOutline, rankCells } from './map/grid.ts';
import type { MapModel } from './map/layers/index.ts';
import { Legend } from './map/Legend.tsx';
import { Tooltip, type HoverInfo } from './map/Tooltip.tsx';
import { forgetPlaces, usePlaces } from './map/places.ts';
import { Timeline } from './timeline/Timeline.tsx';
import { localAt, range } from './state/view.ts';
import { StepAxis, stepLabel } from './state/steps.ts';
import { EventWindows } from './state/windows.ts';
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
  step: 'day',
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

/**
 * How long the scrubber must rest before the events of a window not yet loaded are fetched: a drag
 * across five years of hours asks for the windows it stops on, not for every one it passes.
 */
const EVENTS_SETTLE_MS = 80;

/** Within this many steps of a window's edge, the next window is fetched ahead of the scrubber. */
const PREFETCH_STEPS = 48;

/** Forecasts kept for scrubbing back: at most this many cells in all (400 forecasts of 50×50). */
const FORECAST_CACHE_CELLS = 1_000_000;

/** A dataset's timeline at the chosen step unit, and the windows of its events the map has fetched. */
interface TimelineView {
  summary: EventSummary;
  axis: StepAxis;
  windows: EventWindows;
}

export function App({ backend }: { backend: Backend }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [datasets, setDatasets] = useState<DatasetInfo[]>([]);
  const [dataset, setDataset] = useState<string | null>(null);
  // Bumped when a dataset's map layers change, so the map draws them again.
  const [layersVersion, setLayersVersion] = useState(0);
  const [view, setView] = useState<TimelineView | null>(null);
  const [step, setStep] = useState(0);
  // Bumped when a window of events arrives, so the map draws the current step's.
  const [windowsVersion, setWindowsVersion] = useState(0);
  // The dataset and instant on screen: a change of step unit keeps the analyst where they were.
  const shown = useRef<{ dataset: string; ms: number } | null>(null);
  const [playing, setPlaying] = useState(false);
  const [settings, setSettings] = useState<ForecastSettings>(DEFAULT_SETTINGS);
  const [forecast, setForecast] = useState<ForecastValue | null>(null);
  const [panel, setPanel] = useState<PanelName>('data');
  const [models, setModels] = useState<ModelInfo[]>([]);
  // The app's jobs live here, above the panels: leaving a tab does not lose a job's progress or Cancel.
  const jobStore = useMemo(() => new JobStore(backend), [backend]);
  useConnectedStore(jobStore);
  const jobSnapshot = useSyncExternalStore(jobStore.subscribe, jobStore.getSnapshot);
  // A training or a fine-tune that ended registered a model.
  const trainEnded =
    jobSnapshot.jobs.find((j) => (j.kind === 'train' || j.kind === 'finetune') && j.state === 'done')?.id ??
    null;
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
  // A fine-tune of the model the map uses moves the map to the new version (its next version is what
  // the analyst asked for); a map on the newest model follows by itself.
  const tuned = jobSnapshot.jobs.find((j) => j.kind === 'finetune' && j.state === 'done');
  const tunedResult = (tuned?.result ?? {}) as { modelId?: unknown; parentId?: unknown };
  const tunedId = typeof tunedResult.modelId === 'number' ? tunedResult.modelId : null;
  const tunedParent = typeof tunedResult.parentId === 'number' ? tunedResult.parentId : null;
  // Once per fine-tune (by its ids, not the job object): a later choice of the parent stands.
  useEffect(() => {
    if (tunedId === null || tunedParent === null) return;
    setSettings((s) => (s.model === `model:${tunedParent}` ? { ...s, model: `model:${tunedId}` } : s));
  }, [tunedId, tunedParent]);
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

  // The timeline: one count per step. The events themselves come by window (below).
  const stepUnit = settings.step;
  useEffect(() => {
    if (!dataset) return;
    let stale = false;
    call(backend, 'events.load', { dataset, step: stepUnit })
      .then((summary) => {
        if (stale) return;
        const axis = new StepAxis(summary);
        const windows = new EventWindows(backend, summary.dataset, axis, summary.counts);
        const was = shown.current;
        setView({ summary, axis, windows });
        // The last step is the one after the data: the forecast an analyst wants first. A new step
        // unit for the same dataset stays at the instant shown.
        setStep(was && was.dataset === summary.dataset ? axis.indexAt(was.ms) : Math.max(0, axis.length - 1));
      })
      .catch((e: unknown) => report((e as Error).message));
    return () => {
      stale = true;
    };
  }, [backend, dataset, stepUnit, report]);
  if (view && view.axis.length > 0) {
    shown.current = {
      dataset: view.summary.dataset,
      ms: view.axis.starts[Math.min(step, view.axis.length - 1)],
    };
  }

  // The events of the current step and the tooltip's recent ones: fetched by window of steps once the
  // scrubber rests on a window not loaded yet; the next window is fetched ahead near an edge.
  useEffect(() => {
    if (!view || view.axis.length === 0) return;
    const w = view.windows;
    const current = w.chunkOf(step);
    const ahead: number[] = [];
    if (step - w.bounds[current] < PREFETCH_STEPS && current > 0) ahead.push(current - 1);
    if (w.bounds[current + 1] - step <= PREFETCH_STEPS && current + 1 < w.chunkCount) ahead.push(current + 1);
    const missing = w.chunksFor(step - RECENT_STEPS + 1, step).filter((c) => !w.has(c));
    let stale = false;
    const fetch = (list: number[]) =>
      Promise.all(list.map((c) => w.load(c)))
        .then(() => setWindowsVersion((v) => v + 1))
        .catch((e: unknown) => !stale && report((e as Error).message));
    if (missing.length === 0) {
      const next = ahead.filter((c) => !w.has(c));
      if (next.length) void fetch(next);
      return;
    }
    const timer = setTimeout(() => void fetch([...missing, ...ahead]), playing ? 0 : EVENTS_SETTLE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [view, step, playing, report]);

  // The forecast for the current step: cached, and fetched after the scrubber settles.
  useEffect(() => {
    if (!view || view.axis.length === 0) return;
    const { dataset, step: unit } = view.summary;
    const at = localAt(view.axis.iso(step));
    // 'latest' names a different model once one is trained: the newest id is part of the key.
    const newest = models[0]?.id ?? 0;
    const key = [
      dataset,
      unit,
      at,
      settings.model,
      newest,
      settings.horizon,
      settings.rows,
      settings.cols,
      settings.units,
      layersVersion,
    ].join('|');
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
          step: unit,
          grid: { rows: settings.rows, cols: settings.cols },
          at,
          model: modelChoiceOf(settings.model),
          horizon: settings.horizon,
          // The briefing's patrol areas for the risk shown: the Forecast panel lists them, the map outlines them.
          units: Math.max(1, Math.min(MAX_DEPLOY_UNITS, settings.units)),
        })
          .then((f) => {
            // Oldest first out, so a fine grid's forecasts cannot pile up while scrubbing.
            const keep = Math.max(4, Math.min(400, Math.floor(FORECAST_CACHE_CELLS / f.risk.length)));
            while (cache.current.size >= keep) cache.current.delete(cache.current.keys().next().value!);
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
  }, [backend, view, step, settings, playing, report, models, layersVersion]);

  useEffect(() => {
    if (!playing || !view) return;
    const t = setInterval(() => {
      setStep((s) => {
        if (s + 1 >= view.axis.length) {
          setPlaying(false);
          return s;
        }
        return s + 1;
      });
    }, 400);
    return () => clearInterval(t);
  }, [playing, view]);

  const ranking = useMemo(() => (forecast ? rankCells(forecast) : null), [forecast]);
  const outline = useMemo(() => (forecast ? maskOutline(forecast) : []), [forecast]);
  // The current step's events as indices into the window that holds them; the same array while the
  // step and its window stay put, so a window fetched ahead does not make deck.gl rebuild the dots.
  const slice = useMemo(
    () => view?.windows.stepSlice(step) ?? null,
    // windowsVersion: a window arrived.
    [view, step, windowsVersion],
  );
  const events = slice?.chunk ?? null;
  const sliceFrom = slice?.from ?? 0;
  const sliceTo = slice?.to ?? 0;
  const stepEvents = useMemo(() => (events ? range(sliceFrom, sliceTo) : []), [events, sliceFrom, sliceTo]);
  const hoverCell = hover?.cell ?? -1;
  // The hovered cell's places, once the pointer rests on it.
  const hoverPlace =
    usePlaces(backend, dataset, forecast?.grid ?? null, hoverCell >= 0 ? [hoverCell] : [], 120)?.[0] ?? null;
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
      if (!forecast || !ranking || !view) return;
      const cell = cellAt(forecast.grid, lat, lon);
      if (cell < 0 || !forecast.studyMask[cell]) {
        setHover(null);
        return;
      }
      const recent: HoverInfo['recent'] = [];
      for (let s = step; s >= Math.max(0, step - RECENT_STEPS + 1); s--) {
        const sl = view.windows.stepSlice(s);
        if (!sl) continue;
        const ev = sl.chunk;
        for (let j = sl.to - 1; j >= sl.from; j--) {
          if (cellAt(forecast.grid, ev.lat[j], ev.lon[j]) === cell)
            recent.push({ utcMs: ev.utcMs[j], type: ev.type[j] });
        }
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
    [forecast, ranking, view, step],
  );
  const onLeave = useCallback(() => setHover(null), []);
  const togglePlay = useCallback(() => setPlaying((p) => !p), []);

  const usedModelId = Number(/^model:(\d+)$/.exec(settings.model)?.[1] ?? NaN) || null;
  const chooseModel = useCallback((id: number) => setSettings((s) => ({ ...s, model: `model:${id}` })), []);
  // New or removed map layers name places anew: the map redraws them, and the names known so far (the
  // top cells', the tooltip's, the patrol areas' in cached forecasts) are asked for again.
  const onLayersChanged = useCallback(() => {
    forgetPlaces();
    cache.current.clear();
    setLayersVersion((v) => v + 1);
  }, []);

  const onModelDeleted = useCallback((id: number) => {
    setSettings((s) => (s.model === `model:${id}` ? { ...s, model: LATEST } : s));
    cache.current.clear();
    setRegistryVersion((v) => v + 1);
  }, []);

  // By value: a new step unit reloads the timeline but must not undo the analyst's pan and zoom.
  const bboxKey = view && view.summary.total > 0 ? view.summary.bbox.join(',') : '';
  const fitBbox = useMemo(
    () => (bboxKey ? (bboxKey.split(',').map(Number) as [number, number, number, number]) : null),
    [bboxKey],
  );
  const lastDate = view ? view.axis.date(Math.max(0, view.axis.length - 2)) : '';

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
              ? `${forecast.model} forecast for ${
                  view
                    ? stepLabel(
                        view.axis.tz,
                        settings.step,
                        Date.parse(forecast.stepStart),
                        Date.parse(forecast.stepEnd),
                      )
                    : forecast.stepStart.slice(0, 16)
                }`
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
                  onLayersChanged={onLayersChanged}
                />
              )}
              {panel === 'train' && (
                <TrainPanel
                  backend={backend}
                  dataset={dataset}
                  lastDate={lastDate}
                  onUseModel={chooseModel}
                  usedModelId={usedModelId}
                  step={settings.step}
                  grid={{ rows: settings.rows, cols: settings.cols }}
                />
              )}
              {panel === 'validate' && (
                <ValidatePanel backend={backend} dataset={dataset} lastDate={lastDate} step={settings.step} />
              )}
              {panel === 'forecast' && (
                <ForecastPanel
                  backend={backend}
                  dataset={dataset}
                  settings={settings}
                  onChange={setSettings}
                  steps={view?.axis ?? null}
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
                  viewDate={view?.axis.date(step) || null}
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
            <Legend
              ranking={ranking}
              view={settings.view}
              topK={settings.topK}
              units={forecast?.deployment?.areas.length ?? 0}
            />
            {hover && view && (
              <Tooltip info={hover} tz={view.summary.tz} unit={view.summary.step} place={hoverPlace} />
            )}
          </section>
        </main>
        {view && view.axis.length > 0 && (
          <Timeline
            steps={view.axis}
            counts={view.summary.counts}
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
