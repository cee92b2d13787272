import { useState } from 'react';
import type { Backend, FineTuneValue, ModelInfo } from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { useJob } from '../api/useJob.ts';
import { devianceWords, keptStartWords, typeWords } from '../../../shared/training-words.ts';

interface Props {
  backend: Backend;
  dataset: string | null;
  models: ModelInfo[];
  /** The registered model the map and the Forecast panel use now (null: the newest or a classical one). */
  usedModelId: number | null;
  onUse(id: number): void;
  /** Called after a delete, so the app re-reads the registry. */
  onDeleted(id: number): void;
}

function scores(m: ModelInfo): string {
  const v = (k: string) => (typeof m.metrics[k] === 'number' ? (m.metrics[k] as number) : NaN);
  const parts: string[] = [];
  const hr5 = v('valHitRate5');
  const hr1 = v('valHitRate1');
  const dev = devianceWords(m.metrics);
  if (dev) parts.push(dev);
  if (Number.isFinite(hr5)) parts.push(`HR@5 % ${hr5.toFixed(3)}`);
  if (Number.isFinite(hr1)) parts.push(`HR@1 % ${hr1.toFixed(3)}`);
  if (Number.isFinite(v('bestEpoch')))
    parts.push(
      `best epoch ${v('bestEpoch')} of ${v('epochs')}${v('refitEpochs') > 0 ? `, then ${v('refitEpochs')} on training + validation days` : ''}`,
    );
  const from = m.metrics.trainTo;
  const to = m.metrics.valTo;
  if (typeof from === 'string' && typeof to === 'string') parts.push(`validated ${from} .. ${to}`);
  if (typeof m.metrics.extraHolidays === 'string' && m.metrics.extraHolidays !== '')
    parts.push(`with the dataset's holidays ${m.metrics.extraHolidays.split(',').join(', ')}`);
  return parts.join(', ') || 'none recorded';
}

/** The model registry of the dataset: what each trained model is, which one the map uses, and delete. */
export function ModelsPanel({ backend, dataset, models, usedModelId, onUse, onDeleted }: Props) {
  const [confirm, setConfirm] = useState<number | null>(null);
  const tune = useJob<FineTuneValue>(backend, 'finetune');
  const newest = models[0] ?? null;
  const fineTune = () => {
    if (!dataset || !newest) return;
    void tune.start((id) => call(backend, 'models.fineTune', { jobId: id, dataset }), {
      label: `fine-tune model ${newest.id} of ${dataset} on the data imported since ${newest.dataCutoff}`,
    });
  };
  const tuned = tune.result;
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const remove = (id: number) => {
    setError(null);
    call(backend, 'models.delete', { id })
      .then((r) => {
        setConfirm(null);
        setMessage(
          r.deleted
            ? `Model ${id} deleted${r.filesRemoved.length ? ` with ${r.filesRemoved.length} file(s)` : ''}.`
            : `Model ${id} was already gone.`,
        );
        onDeleted(id);
      })
      .catch((e: unknown) => setError((e as Error).message));
  };

  return (
    <div data-testid="panel-models">
      <h2>Model registry{dataset ? ` of ${dataset}` : ''}</h2>
      {models.length === 0 && (
        <p className="muted" data-testid="registry-empty">
          No trained model yet: train one in the Train panel. Until then the map shows a classical model.
        </p>
      )}
      {message && (
        <p className="muted" role="status" data-testid="registry-message">
          {message}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {newest && dataset && (
        <div className="finetune" data-testid="finetune">
          <p className="muted">
            Imported new alerts since model {newest.id}&apos;s data ({newest.dataCutoff} on)? Fine-tune it on
            them: from its checkpoint it learns the new steps (the newest, up to 28, are held out and scored
            before and after), and it is registered as its next version, which the map then uses.
          </p>
          <button type="button" onClick={fineTune} disabled={tune.jobId !== null} data-testid="finetune-run">
            {tune.jobId !== null ? 'Fine-tuning…' : `Fine-tune model ${newest.id} on new data`}
          </button>
          {tuned && (
            <p data-testid="finetune-result">
              Model {tuned.modelId} is registered, fine-tuned from model {tuned.parentId} on {tuned.newSteps}{' '}
              new steps, data before {tuned.dataCutoff}. On the newest {tuned.heldOutSteps} steps, held out:
              HR@5 % {tuned.before.hitRate5.toFixed(3)} before, {tuned.after.hitRate5.toFixed(3)} after.
              {tuned.keptParent &&
                ` Those steps preferred model ${tuned.parentId}'s own weights, so the new version keeps them: only its data is newer.`}
            </p>
          )}
          {tune.error && (
            <p className="error" role="alert" data-testid="finetune-error">
              {tune.error}
            </p>
          )}
        </div>
      )}
      {models.length > 0 && (
        <table className="registry" data-testid="registry">
          <tbody>
            {models.map((m, i) => (
              <tr key={m.id} data-model-id={m.id} className={m.id === usedModelId ? 'current' : ''}>
                <td>
                  <div>
                    <strong>{m.label}</strong>
                    {i === 0 ? ' · newest' : ''}
                    {m.id === usedModelId ? ' · in use' : ''}
                  </div>
                  <div>created {m.createdAt.slice(0, 16).replace('T', ' ')}</div>
                  <div>
                    grid {m.grid ? `${m.grid.rows} × ${m.grid.cols}` : '?'}, {m.step ?? '?'} steps, data
                    before {m.dataCutoff}
                    {m.parentId !== null ? `, fine-tuned from model ${m.parentId}` : ''}
                  </div>
                  <div>{scores(m)}</div>
                  {keptStartWords(m.metrics, m.preset) && (
                    <div className="warning" data-testid={`kept-start-${m.id}`}>
                      {keptStartWords(m.metrics, m.preset)}
                    </div>
                  )}
                  {typeWords(m.metrics) && <div className="muted">{typeWords(m.metrics)}</div>}
                  <div className="file muted" title={m.onnxPath}>
                    {m.onnxPath}
                  </div>
                  <div>
                    <button
                      type="button"
                      onClick={() => onUse(m.id)}
                      disabled={m.id === usedModelId}
                      data-testid={`use-model-${m.id}`}
                    >
                      Use on the map
                    </button>{' '}
                    {confirm === m.id ? (
                      <span className="confirm" data-testid={`confirm-delete-${m.id}`}>
                        Delete model {m.id} and its ONNX file?{' '}
                        <button
                          type="button"
                          onClick={() => remove(m.id)}
                          data-testid={`confirm-delete-yes-${m.id}`}
                        >
                          Delete
                        </button>{' '}
                        <button type="button" onClick={() => setConfirm(null)}>
                          Keep
                        </button>
                      </span>
                    ) : (
                      <button
                        type="button"
                        onClick={() => setConfirm(m.id)}
                        data-testid={`delete-model-${m.id}`}
                      >
                        Delete…
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
