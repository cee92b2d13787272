import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import type { Backend, EventColumns, TrainResult, TrainStatus } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { useJob } from '../api/useJob.ts';
import { ProgressBar } from './ProgressBar.tsx';

interface Props {
  backend: Backend;
  dataset: string | null;
  events: EventColumns | null;
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
export function TrainPanel({ backend, dataset, events }: Props) {
  const [status, setStatus] = useState<TrainStatus | null>(null);
  const last = events?.steps.length ? events.steps[Math.max(0, events.steps.length - 2)].slice(0, 10) : '';
  const [preset, setPreset] = useState<'default' | 'reference'>('default');
  const [epochs, setEpochs] = useState(20);
  const [lr, setLr] = useState(0.001);
  const [maxSeconds, setMaxSeconds] = useState(600);
  const [trainTo, setTrainTo] = useState('');
  const [valTo, setValTo] = useState('');
  const { jobId, progress, result, error, start, cancel } = useJob<TrainResult>(backend, 'train');
  const [loss, setLoss] = useState<[number, number][]>([]);

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
    setLoss([]);
    return start(
      (id) =>
        call(backend, 'train.run', {
          jobId: id,
          dataset,
          step: 'day',
          grid: { rows: 36, cols: 36 },
          preset,
          epochs,
          lr,
          trainTo,
          valTo,
          maxSeconds,
        }),
      {
        onProgress: (p) => {
          const l = p.metrics?.loss;
          if (l !== undefined && Number.isFinite(l)) setLoss((pts) => [...pts, [p.done, l]]);
        },
      },
    );
  };

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
      <fieldset disabled={disabled} className="form">
        <label>
          Preset
          <select value={preset} onChange={(e) => setPreset(e.target.value as typeof preset)}>
            <option value="default">default (background channels)</option>
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
          Train up to <input type="date" value={trainTo} onChange={(e) => setTrainTo(e.target.value)} />
        </label>
        <label>
          Validate up to <input type="date" value={valTo} onChange={(e) => setValTo(e.target.value)} />
        </label>
        <label>
          Time limit (s)
          <input
            type="number"
            min={0}
            value={maxSeconds}
            onChange={(e) => setMaxSeconds(Math.max(0, Number(e.target.value) || 0))}
          />
        </label>
        <button type="button" onClick={run} disabled={disabled || !dataset} data-testid="train-run">
          Train
        </button>
      </fieldset>
      {jobId && (
        <button type="button" onClick={cancel}>
          Cancel
        </button>
      )}
      {progress && <ProgressBar progress={progress} />}
      {(jobId || loss.length > 0) && <LossChart points={loss} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <p className="report" data-testid="train-result">
          model #{result.modelId}:{' '}
          {Object.entries(result.metrics)
            .filter(([k]) => ['valHitRate5', 'bestEpoch', 'epochs', 'stoppedBy'].includes(k))
            .map(([k, v]) => `${k} ${typeof v === 'number' ? Math.round(v * 1000) / 1000 : v}`)
            .join(', ')}
        </p>
      )}
    </div>
  );
}
