import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { Backend, TrainResult, TrainSettings, TrainStatus } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { useJob } from '../api/useJob.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { usePersisted } from '../state/persisted.ts';
import {
  devianceWords,
  keptStartWords,
  refitWords,
  holidayWords,
  startWords,
  typeWords,
} from '../../../shared/training-words.ts';
import type { StepUnit } from '../../../shared/types.ts';
import { percent as pct } from '../../../shared/numbers.ts';

interface Props {
  backend: Backend;
  dataset: string | null;
  /** Local date (YYYY-MM-DD) of the dataset's last event; '' until known. */
  lastDate: string;
  /** Makes the Forecast panel and the map use this registered model. */
  onUseModel(id: number): void;
  /** The registered model the map uses now, if one was chosen. */
  usedModelId: number | null;
  /** The map's time step and grid (the Forecast panel's): the model is trained on them. */
  step: StepUnit;
  grid: { rows: number; cols: number };
}

/** A training result in plain words: how it stopped, and whether the network beat its starting point. */
export function trainingWords(result: TrainResult, preset: string): string {
  const m = result.metrics;
  const num = (k: string) => (typeof m[k] === 'number' ? m[k] : Number(m[k]));
  const epochs = num('epochs');
  const best = num('bestEpoch');
  const hr = num('valHitRate5');
  const stopped =
    m.stoppedBy === 'patience'
      ? `It stopped early after ${epochs} epochs, as the validation score had stopped improving.`
      : m.stoppedBy === 'time'
        ? `It stopped at the time limit, after ${epochs} epochs.`
        : m.stoppedBy === 'cancelled'
          ? `It was cancelled after ${epochs} epochs; the best weights so far were kept.`
          : `It ran all ${epochs} epochs.`;
  const dev = devianceWords(m);
  const scores = [
    dev ? ` Its ${dev}.` : '',
    Number.isFinite(hr)
      ? ` On the validation days, the 5 % of the area it flags held ${pct(hr)} of the next day's gunfire.`
      : '',
  ].join('');
  const types = typeWords(m);
  const resumed =
    result.resumedFromEpoch !== undefined
      ? ` It resumed the interrupted run from epoch ${result.resumedFromEpoch}.`
      : '';
  const refit = refitWords(m);
  const holidays = holidayWords(m);
  const tail = `${scores} ${stopped}${resumed}${refit ? ` ${refit}` : ''}${types ? ` ${types}` : ''}${holidays ? ` ${holidays}` : ''}`;
  const kept = keptStartWords(m, preset);
  if (best === 0 && kept)
    return `Model ${result.modelId}: the network did not improve on ${startWords(preset, m)}. ${kept}${tail}`;
  return `Model ${result.modelId}: the network improved on ${startWords(preset, m)}; its best weights are from epoch ${best} of ${epochs}.${tail}`;
}

function shiftDate(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The running mean training loss per progress tick (uPlot line), redrawn as points arrive. */
function LossChart({ points }: { points: [number, number][] }) {
  const div = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = div.current;
    if (!el) return;
    const u = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 160,
        scales: { x: { time: false } },
        axes: [{ label: 'training step' }, { label: 'loss' }],
        series: [{ label: 'step' }, { label: 'loss', stroke: '#d62728', width: 2 }],
        legend: { show: false },
      },
      [[], []],
      el,
    );
    plot.current = u;
    return () => u.destroy();
  }, []);
  useEffect(() => {
    plot.current?.setData([points.map((p) => p[0]), points.map((p) => p[1])]);
  }, [points]);
  return <div ref={div} className="losschart" data-testid="loss-chart" />;
}

/** Training the ConvLSTM on-device: preset and parameters, progress with ETA, live loss, cancel. */
export function TrainPanel({ backend, dataset, lastDate: last, onUseModel, usedModelId, step, grid }: Props) {
  const [status, setStatus] = useState<TrainStatus | null>(null);
  // The form outlives the tab: coming back shows the settings of the job that runs.
  const [preset, setPreset] = usePersisted<'default' | 'reference'>('train.preset', 'default');
  const [epochs, setEpochs] = usePersisted('train.epochs', 20);
  const [lr, setLr] = usePersisted('train.lr', 0.001);
  const [maxSeconds, setMaxSeconds] = usePersisted('train.maxSeconds', 600);
  const [trainTo, setTrainTo] = usePersisted(`train.trainTo.${dataset}`, '');
  const [valTo, setValTo] = usePersisted(`train.valTo.${dataset}`, '');
  const { jobId, progress, result, error, job, start, cancel } = useJob<TrainResult>(backend, 'train');
  // The loss curve is the job's, kept by the app: it survives leaving this tab and coming back.
  const loss = useMemo<[number, number][]>(
    () =>
      (job?.points ?? [])
        .filter((p) => Number.isFinite(p.metrics.loss))
        .map((p) => [p.done, p.metrics.loss] as [number, number]),
    [job],
  );
  const resultPreset = (job?.label.match(/ConvLSTM \((\w+)\)/) ?? [])[1] ?? preset;

  useEffect(() => {
    call(backend, 'train.status', {})
      .then(setStatus)
      .catch((e: unknown) => setStatus({ available: false, reason: (e as Error).message }));
  }, [backend]);

  useEffect(() => {
    if (last && !valTo) {
      setValTo(last);
      setTrainTo(shiftDate(last, -90));
    }
  }, [last, valTo]);

  const run = () => {
    if (!dataset) return;
    const settings: TrainSettings = {
      dataset,
      step,
      grid: { rows: grid.rows, cols: grid.cols },
      preset,
      epochs,
      lr,
      trainTo,
      valTo,
      maxSeconds,
    };
    return start((id) => call(backend, 'train.run', { ...settings, jobId: id }), {
      label: `train a ConvLSTM (${preset}) on ${dataset}, ${step} steps, ${grid.rows}×${grid.cols} cells, up to ${valTo}`,
      train: settings,
    });
  };

  // Disabled while any training job runs, this tab's or one started before a reload or in another window.
  const disabled = !status?.available || jobId !== null;
  return (
    <div data-testid="panel-train">
      <h2>Train a ConvLSTM</h2>
      {status && !status.available && (
        <p className="notice" data-testid="train-reason">
          Training is disabled: {status.reason}
        </p>
      )}
      {status?.available && <p className="muted">{status.reason}</p>}
      <p className="muted" data-testid="train-grid">
        On the map&apos;s grid and step: {grid.rows}×{grid.cols} cells, {step} steps (set in the Forecast
        panel).
      </p>
      <fieldset disabled={disabled} className="form">
        <label>
          Preset
          <select value={preset} onChange={(e) => setPreset(e.target.value as typeof preset)}>
            <option value="default">default (from the calendar baseline)</option>
            <option value="reference">reference paper</option>
          </select>
        </label>
        <label>
          Epochs
          <input
            type="number"
            min={1}
            max={500}
            value={epochs}
            onChange={(e) => setEpochs(Number(e.target.value) || 1)}
            data-testid="train-epochs"
          />
        </label>
        <label>
          Learning rate
          <input
            type="number"
            step={0.0001}
            min={0.0001}
            value={lr}
            onChange={(e) => setLr(Number(e.target.value) || 0.001)}
          />
        </label>
        <label>
          Train up to{' '}
          <input
            type="date"
            value={trainTo}
            onChange={(e) => setTrainTo(e.target.value)}
            data-testid="train-to"
          />
        </label>
        <label>
          Validate up to{' '}
          <input
            type="date"
            value={valTo}
            onChange={(e) => setValTo(e.target.value)}
            data-testid="train-val-to"
          />
        </label>
        <label>
          Time limit (s)
          <input
            type="number"
            min={0}
            value={maxSeconds}
            onChange={(e) => setMaxSeconds(Math.max(0, Number(e.target.value) || 0))}
            data-testid="train-max-seconds"
          />
        </label>
        <button type="button" onClick={run} disabled={disabled || !dataset} data-testid="train-run">
          Train
        </button>
      </fieldset>
      {jobId && (
        <div className="running" data-testid="train-running" data-job-id={jobId}>
          <p className="muted">Training runs in the background: other tabs keep working.</p>
          <button type="button" onClick={cancel} disabled={job?.cancelling} data-testid="train-cancel">
            {job?.cancelling ? 'Cancelling…' : 'Cancel'}
          </button>
        </div>
      )}
      {progress && <ProgressBar progress={progress} />}
      {(jobId || loss.length > 0) && <LossChart points={loss} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {job?.state === 'cancelled' && (
        <p className="muted" data-testid="train-cancelled">
          Training cancelled; no model was registered. Its last finished epoch is saved: Resume, in the job
          list, continues from there.
        </p>
      )}
      {result && (
        <div className="report">
          <p data-testid="train-result">{trainingWords(result, resultPreset)}</p>
          {usedModelId === result.modelId ? (
            <p className="muted" data-testid="train-model-used">
              The map and the Forecast panel use model {result.modelId}.
            </p>
          ) : (
            <button type="button" onClick={() => onUseModel(result.modelId)} data-testid="train-use-model">
              Use this model
            </button>
          )}
        </div>
      )}
    </div>
  );
}
