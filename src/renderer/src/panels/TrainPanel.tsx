import { useEffect, useState } from 'react';
import type { Backend, TrainStatus } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';

/** Training the ConvLSTM on-device; disabled, with the reason, until the training engine lands. */
export function TrainPanel({ backend }: { backend: Backend }) {
  const [status, setStatus] = useState<TrainStatus | null>(null);
  useEffect(() => {
    call(backend, 'train.status', {})
      .then(setStatus)
      .catch((e: unknown) => setStatus({ available: false, reason: (e as Error).message }));
  }, [backend]);
  const disabled = !status?.available;
  return (
    <div data-testid="panel-train">
      <h2>Train</h2>
      {disabled && (
        <p className="notice" data-testid="train-reason">
          Training is disabled: {status?.reason ?? 'checking…'}
        </p>
      )}
      <fieldset disabled={disabled}>
        <label>
          Preset
          <select defaultValue="convlstm-small">
            <option value="convlstm-small">ConvLSTM small (fast)</option>
            <option value="convlstm-paper">ConvLSTM (reference paper)</option>
          </select>
        </label>
        <label>
          Epochs <input type="number" defaultValue={20} min={1} max={500} />
        </label>
        <label>
          Learning rate <input type="number" defaultValue={0.001} step={0.0001} min={0} />
        </label>
        <button type="button">Train</button>
      </fieldset>
    </div>
  );
}
