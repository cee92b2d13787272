import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type {
  Backend,
  EvaluationValue,
  LeaderboardRow,
  LevelScore,
  ModelInfo,
  RunInfo,
} from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { useJob } from '../api/useJob.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { ReliabilityChart } from './ReliabilityChart.tsx';
import { usePersisted } from '../state/persisted.ts';
import type { StepUnit } from '../../../shared/types.ts';
import { FORECAST_MODELS } from './ForecastPanel.tsx';

const COVERAGES = ['1', '2', '5', '10'];
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

function shiftDate(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A level score with its paired interval against the best classical model beneath (negative is better). */
function ScoreCell({ m, score, digits }: { m: LeaderboardRow; score: LevelScore; digits: number }) {
  const v = m.scores?.[score];
  if (v === undefined || v === null) return <td>-</td>;
  const ci = m.vsBestScores?.[score];
  const f = (x: number) => `${x >= 0 && x !== 0 ? '+' : ''}${x.toFixed(digits)}`;
  return (
    <td data-score={score}>
      {v.toFixed(digits)}
      {ci && (
        <div
          className="muted ci"
          title={`${m.name} minus ${ci.best}: paired bootstrap 95 % interval; negative is better`}
        >
          {ci.best === m.name ? 'best' : `${f(ci.diff)} [${ci.lo.toFixed(digits)}, ${ci.hi.toFixed(digits)}]`}
        </div>
      )}
    </td>
  );
}

/** Per-fold hit rate per model (uPlot lines). */
function FoldChart({ result, coverage }: { result: EvaluationValue; coverage: string }) {
  const div = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = div.current;
    if (!el || result.folds.length === 0) return;
    const names = result.models.map((m) => m.name);
    const data: uPlot.AlignedData = [
      result.folds.map((_, i) => i + 1),
      ...names.map((n) => result.folds.map((f) => f.hitRate[n]?.[coverage] ?? null)),
    ];
    const u = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 180,
        scales: { x: { time: false } },
        axes: [{ label: 'fold', incrs: [1] }, { label: 'hit rate' }],
        series: [
          { label: 'fold' },
          ...names.map((n, i) => ({ label: n, stroke: PALETTE[i % PALETTE.length], width: 2 })),
        ],
      },
      data,
      el,
    );
    return () => u.destroy();
  }, [result, coverage]);
  return <div ref={div} className="foldchart" data-testid="fold-chart" />;
}

/** The dataset's stored runs (every door stores its evaluations), newest first; any can be reopened. */
function StoredRuns({
  runs,
  openId,
  onOpen,
}: {
  runs: RunInfo[];
  openId: number | null;
  onOpen(id: number): void;
}) {
  return (
    <>
      <h3>Stored runs</h3>
      {runs.length === 0 ? (
        <p className="muted">No stored run of this dataset yet.</p>
      ) : (
        <table className="runs" data-testid="stored-runs">
          <thead>
            <tr>
              <th>run</th>
              <th>stored</th>
              <th>test days</th>
              <th>models</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-run-id={r.id} className={r.id === openId ? 'current' : ''}>
                <td>{r.id}</td>
                <td>{r.createdAt.slice(0, 16).replace('T', ' ')}</td>
                <td>
                  {r.testFrom} .. {r.testTo} ({r.step})
                </td>
                <td>{r.models.join(', ')}</td>
                <td>
                  <button type="button" onClick={() => onOpen(r.id)} data-testid={`open-run-${r.id}`}>
                    open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Walk-forward configuration and run, the per-fold chart and the leaderboard. */
export function ValidatePanel({
  backend,
  dataset,
  lastDate: last,
  step,
}: {
  backend: Backend;
  dataset: string | null;
  /** Local date (YYYY-MM-DD) of the dataset's last event; '' until known. */
  lastDate: string;
  /** The map's time step (the Forecast panel's): the walk-forward steps by it. */
  step: StepUnit;
}) {
  // The field's baselines, SEPP included: the strongest classical ranking on the DC benchmark.
  const [models, setModels] = usePersisted<string[]>('validate.models', [
    'counts-all',
    'counts-365d',
    'kde',
    'sepp',
    'calendar',
    'persistence',
  ]);
  const [testFrom, setFrom] = usePersisted(`validate.from.${dataset}`, '');
  const [testTo, setTo] = usePersisted(`validate.to.${dataset}`, '');
  const [cadence, setCadence] = usePersisted<'step' | 'week' | 'month'>('validate.cadence', 'month');
  const [cells, setCells] = usePersisted('validate.cells', 36);
  const [folds, setFolds] = usePersisted('validate.folds', 3);
  const [coverage, setCoverage] = useState('5');
  const { jobId, progress, result, error, job, start, cancel } = useJob<EvaluationValue>(backend, 'evaluate');
  const [neural, setNeural] = usePersisted('validate.convlstm', false);
  const [neuralEpochs, setNeuralEpochs] = usePersisted('validate.convlstmEpochs', 3);
  const [neuralSeconds, setNeuralSeconds] = usePersisted('validate.convlstmSeconds', 60);
  // Registered models of the dataset, scored by running their ONNX at each test step (never refitted).
  const [registered, setRegistered] = useState<ModelInfo[]>([]);
  const [chosenIds, setChosenIds] = usePersisted<number[]>(`validate.registered.${dataset}`, []);
  const [runs, setRuns] = useState<RunInfo[]>([]);
  const [opened, setOpened] = useState<EvaluationValue | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);
  const jobEnded = job && job.state !== 'running' ? job.id : null;

  // Re-read when the dataset changes and whenever an evaluation ends (its run is stored by then).
  useEffect(() => {
    if (!dataset) return;
    let stale = false;
    call(backend, 'runs.list', { dataset })
      .then((r) => !stale && setRuns(r))
      .catch((e: unknown) => !stale && setOpenError((e as Error).message));
    return () => {
      stale = true;
    };
  }, [backend, dataset, jobEnded]);

  useEffect(() => {
    if (!dataset) return;
    let stale = false;
    call(backend, 'models.list', { dataset })
      .then((m) => !stale && setRegistered(m.filter((x) => x.step === step && x.grid)))
      .catch(() => !stale && setRegistered([]));
    return () => {
      stale = true;
    };
  }, [backend, dataset, step, jobEnded]);
  const chosen = registered.filter((m) => chosenIds.includes(m.id));

  const openRun = (id: number) => {
    setOpenError(null);
    call(backend, 'runs.get', { id })
      .then(setOpened)
      .catch((e: unknown) => setOpenError((e as Error).message));
  };
  // A run that just finished replaces a reopened one.
  useEffect(() => setOpened(null), [jobEnded]);
  const shown = opened ?? result;

  useEffect(() => {
    if (last && !testTo) {
      setTo(last);
      setFrom(shiftDate(last, -89));
    }
  }, [last, testTo]);

  const run = () => {
    if (!dataset) return;
    const specs = [
      ...models,
      ...(neural ? [`convlstm:epochs=${neuralEpochs},maxSeconds=${neuralSeconds}`] : []),
      ...chosen.map((m) => `model:${m.id}`),
    ];
    // A registered model runs on its own grid: every model is scored on it then.
    const grid = chosen[0]?.grid ?? { rows: cells, cols: cells };
    return start(
      (id) =>
        call(backend, 'evaluate.run', {
          jobId: id,
          dataset,
          step,
          grid,
          models: specs,
          testFrom,
          testTo,
          cadence,
          folds,
        }),
      {
        initial: { job: 'evaluate', phase: 'starting', done: 0, total: 1 },
        label: `validate ${specs.join(', ')} on ${dataset}, ${step} steps, ${testFrom} to ${testTo}`,
      },
    );
  };

  const sorted = shown
    ? [...shown.models].sort((a, b) => (b.hitRate[coverage] ?? 0) - (a.hitRate[coverage] ?? 0))
    : [];
  return (
    <div data-testid="panel-validate">
      <h2>Walk-forward validation</h2>
      <p className="muted" data-testid="validate-step">
        Steps by the map&apos;s step: {step} (set in the Forecast panel).
      </p>
      <div className="form">
        <fieldset>
          <legend>Models</legend>
          {FORECAST_MODELS.map((m) => (
            <label key={m} className="check">
              <input
                type="checkbox"
                checked={models.includes(m)}
                onChange={(e) => setModels(e.target.checked ? [...models, m] : models.filter((x) => x !== m))}
              />{' '}
              {m}
            </label>
          ))}
          {registered.map((m) => (
            <label key={m.id} className="check" title={`data before ${m.dataCutoff}; test from that day on`}>
              <input
                type="checkbox"
                checked={chosenIds.includes(m.id)}
                onChange={(e) =>
                  setChosenIds(e.target.checked ? [...chosenIds, m.id] : chosenIds.filter((x) => x !== m.id))
                }
                data-testid={`validate-model-${m.id}`}
              />{' '}
              {m.label} (registered, data before {m.dataCutoff})
            </label>
          ))}
          {chosen.length > 0 && (
            <p className="muted" data-testid="validate-registered-note">
              Registered models run on their own grid ({chosen[0].grid!.rows} × {chosen[0].grid!.cols}); every
              model is scored on it, over a test period from{' '}
              {chosen
                .map((m) => m.dataCutoff)
                .sort()
                .at(-1)}{' '}
              on.
            </p>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={neural}
              onChange={(e) => setNeural(e.target.checked)}
              data-testid="validate-convlstm"
            />{' '}
            convlstm (a network trained at each refit; slow)
          </label>
          {neural && (
            <div className="inline">
              <label>
                epochs{' '}
                <input
                  type="number"
                  min={1}
                  max={50}
                  value={neuralEpochs}
                  onChange={(e) => setNeuralEpochs(Math.max(1, Number(e.target.value) || 1))}
                />
              </label>{' '}
              <label>
                time limit per fit (s){' '}
                <input
                  type="number"
                  min={1}
                  max={3600}
                  value={neuralSeconds}
                  onChange={(e) => setNeuralSeconds(Math.max(1, Number(e.target.value) || 60))}
                />
              </label>
            </div>
          )}
        </fieldset>
        <label>
          Test from{' '}
          <input
            type="date"
            value={testFrom}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="test-from"
          />
        </label>
        <label>
          Test to{' '}
          <input type="date" value={testTo} onChange={(e) => setTo(e.target.value)} data-testid="test-to" />
        </label>
        <label>
          Retrain
          <select value={cadence} onChange={(e) => setCadence(e.target.value as typeof cadence)}>
            <option value="step">every step</option>
            <option value="week">weekly</option>
            <option value="month">monthly</option>
          </select>
        </label>
        <label>
          Folds
          <input
            type="number"
            min={1}
            max={24}
            value={folds}
            onChange={(e) => setFolds(Number(e.target.value) || 1)}
          />
        </label>
        <label>
          Grid (cells per side)
          <input
            type="number"
            min={4}
            max={200}
            value={cells}
            onChange={(e) => setCells(Number(e.target.value) || 36)}
          />
        </label>
        <button
          type="button"
          onClick={run}
          disabled={!dataset || (models.length === 0 && !neural && chosen.length === 0) || jobId !== null}
          data-testid="validate-run"
        >
          Run
        </button>
        {jobId && (
          <button type="button" onClick={cancel} disabled={job?.cancelling} data-testid="validate-cancel">
            {job?.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        )}
      </div>
      {progress && <ProgressBar progress={progress} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {job?.state === 'cancelled' && !opened && (
        <p className="muted" data-testid="validate-cancelled">
          Validation cancelled; nothing was stored.
        </p>
      )}
      {openError && (
        <p className="error" role="alert">
          {openError}
        </p>
      )}
      {shown && (
        <>
          <p className="muted" data-testid="validate-shown">
            Run {shown.runId}: {shown.test.from.slice(0, 10)} .. {shown.test.to.slice(0, 10)}:{' '}
            {shown.test.steps} steps, {shown.test.events} events, {shown.studyCells} study cells
          </p>
          <h3>Hit rate per fold ({coverage}% coverage)</h3>
          <FoldChart result={shown} coverage={coverage} />
          <h3>
            Leaderboard at{' '}
            <select value={coverage} onChange={(e) => setCoverage(e.target.value)}>
              {COVERAGES.map((c) => (
                <option key={c} value={c}>
                  {c}%
                </option>
              ))}
            </select>{' '}
            coverage
          </h3>
          <table className="leaderboard" data-testid="leaderboard">
            <thead>
              <tr>
                <th>model</th>
                <th>hit rate</th>
                <th>PAI</th>
                <th>PEI</th>
                <th title="Mean Poisson deviance per study cell and step of the expected counts">
                  cell deviance
                </th>
                <th title="Poisson deviance of the citywide count per step">total deviance</th>
                <th title="Mean absolute error of the citywide count per step">total MAE</th>
                <th title="Mean expected and observed citywide count per step">expected / observed</th>
                <th title="Nats per typed event; only for models that forecast types">type log-loss</th>
                <th>s</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((m) => (
                <tr key={m.name}>
                  <td>{m.name}</td>
                  <td>{(m.hitRate[coverage] ?? 0).toFixed(3)}</td>
                  <td>{(m.pai[coverage] ?? 0).toFixed(2)}</td>
                  <td>{(m.pei[coverage] ?? 0).toFixed(3)}</td>
                  <ScoreCell m={m} score="deviance" digits={4} />
                  <ScoreCell m={m} score="totalDeviance" digits={2} />
                  <ScoreCell m={m} score="totalMae" digits={2} />
                  <td>
                    {m.scores
                      ? `${m.scores.meanExpected.toFixed(1)} / ${m.scores.meanObserved.toFixed(1)}`
                      : '-'}
                  </td>
                  <ScoreCell m={m} score="typeLogLoss" digits={3} />
                  <td>{m.seconds.toFixed(1)}</td>
                </tr>
              ))}
              <tr className="oracle">
                <td>oracle</td>
                <td>{(shown.oracle.hitRate[coverage] ?? 0).toFixed(3)}</td>
                <td colSpan={8} />
              </tr>
            </tbody>
          </table>
          <p className="muted" data-testid="leaderboard-legend">
            Hit rate, PAI and PEI rank the cells; the deviances, MAE and type log-loss score the expected
            number of detections and their types (lower is better). Beneath each: the difference from the best
            classical model with its paired 95 % interval (negative is better).
          </p>
          <h3>How sure: forecast chance against what came</h3>
          <ReliabilityChart models={shown.models} colors={PALETTE} />
          {sorted.some((m) => m.notes?.length) && (
            <ul className="notes" data-testid="leaderboard-notes">
              {sorted.flatMap((m) =>
                (m.notes ?? []).map((n, i) => (
                  <li key={`${m.name}-${i}`}>
                    {m.name}: {n}
                  </li>
                )),
              )}
            </ul>
          )}
        </>
      )}
      <StoredRuns runs={runs} openId={opened?.runId ?? null} onOpen={openRun} />
    </div>
  );
}
