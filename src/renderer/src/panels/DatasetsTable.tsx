import { useState } from 'react';
import { HOLIDAY_DATE, type Backend, type DatasetInfo } from '../../../shared/contract.ts';
import { NAME_MAX, nameProblem } from '../../../shared/names.ts';
import { call } from '../api/backend.ts';
import { Breakable } from './Breakable.tsx';

interface Props {
  backend: Backend;
  datasets: DatasetInfo[];
  current: string | null;
  onSelect(name: string): void;
  /** The list changed (renamed, deleted, re-zoned): reload it; `select` is the dataset to show next. */
  onChanged(select: string | null): Promise<void>;
}

type Editing =
  | { kind: 'rename'; name: string; to: string }
  | { kind: 'zone'; name: string; tz: string; keep: 'wall-clock' | 'instant' }
  | { kind: 'holidays'; name: string; text: string }
  | { kind: 'delete'; name: string };

/** The dates typed in the holidays field: comma, space or newline separated. */
function holidayEntries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The first entry that is not a date YYYY-MM-DD or MM-DD, for the field's hint (the backend checks the calendar). */
function holidayProblem(text: string): string | null {
  const bad = holidayEntries(text).find((s) => !HOLIDAY_DATE.test(s));
  return bad === undefined ? null : `'${bad}' is not a date YYYY-MM-DD or a yearly MM-DD`;
}

/**
 * The datasets, with rename, change of zone, the dataset's own holiday dates, and delete (after a
 * confirmation that says what goes).
 */
export function DatasetsTable({ backend, datasets, current, onSelect, onChanged }: Props) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const apply = async () => {
    if (!editing) return;
    setError(null);
    try {
      if (editing.kind === 'rename') {
        const r = await call(backend, 'datasets.rename', { dataset: editing.name, to: editing.to });
        setDone(`Renamed ${r.from} to ${r.to}.`);
        await onChanged(editing.name === current ? r.to : current);
      } else if (editing.kind === 'zone') {
        const r = await call(backend, 'datasets.setZone', {
          dataset: editing.name,
          tz: editing.tz,
          keep: editing.keep,
        });
        setDone(`${r.name} is now in ${r.to} (was ${r.from}); ${r.changed} of ${r.events} events moved.`);
        await onChanged(current);
      } else if (editing.kind === 'holidays') {
        const r = await call(backend, 'datasets.setHolidays', {
          dataset: editing.name,
          holidays: holidayEntries(editing.text),
        });
        const changed = r.from.join() !== r.to.join();
        const stale =
          changed && r.runs + r.models > 0
            ? ` Its ${r.runs} stored runs were scored with the old dates; forecasts use the new ones.`
            : '';
        setDone(
          `${r.name}'s own holidays: ${r.to.length > 0 ? r.to.join(', ') : 'none'} (was ${r.from.length > 0 ? r.from.join(', ') : 'none'}).${stale}`,
        );
        await onChanged(current);
      } else {
        const r = await call(backend, 'datasets.delete', { dataset: editing.name, confirm: true });
        setDone(
          `Deleted ${r.name}: ${r.deleted.events} events, ${r.deleted.runs} runs, ${r.deleted.models} models.`,
        );
        const next = datasets.find((d) => d.name !== editing.name)?.name ?? null;
        await onChanged(editing.name === current ? next : current);
      }
      setEditing(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const renameIssue = editing?.kind === 'rename' ? nameProblem(editing.to) : null;
  const holidayIssue = editing?.kind === 'holidays' ? holidayProblem(editing.text) : null;

  return (
    <div>
      <h2>Datasets</h2>
      <table className="datasets" data-testid="datasets">
        <thead>
          <tr>
            <th>name</th>
            <th>city, zone</th>
            <th>events</th>
            <th>from .. to</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id} className={d.name === current ? 'current' : ''} onClick={() => onSelect(d.name)}>
              <td className="wrap">
                <Breakable text={d.name} />
              </td>
              <td>
                <span data-testid={`dataset-zone-${d.name}`}>
                  {d.city || '—'}, <Breakable text={d.tz} />
                </span>
                {d.holidays.length > 0 && (
                  <div
                    className="muted"
                    title="The dataset's own holiday dates, besides July 3rd–5th, New Year's Eve and Day and the fireworks windows"
                  >
                    holidays <span data-testid={`dataset-holidays-${d.name}`}>{d.holidays.join(', ')}</span>
                  </div>
                )}
              </td>
              <td>
                <span data-testid={`dataset-events-${d.name}`}>{d.events}</span>
                <div className="muted">
                  {d.duplicates} dupl., {d.rejects} rejects
                </div>
              </td>
              <td>
                {d.from?.slice(0, 10) ?? '–'} .. {d.to?.slice(0, 10) ?? '–'}
              </td>
              <td className="actions" onClick={(e) => e.stopPropagation()}>
                <button
                  type="button"
                  onClick={() => setEditing({ kind: 'rename', name: d.name, to: d.name })}
                >
                  Rename
                </button>
                <button
                  type="button"
                  onClick={() => setEditing({ kind: 'zone', name: d.name, tz: d.tz, keep: 'wall-clock' })}
                >
                  Zone
                </button>
                <button
                  type="button"
                  onClick={() => setEditing({ kind: 'holidays', name: d.name, text: d.holidays.join(', ') })}
                  data-testid={`dataset-holidays-edit-${d.name}`}
                >
                  Holidays
                </button>
                <button
                  type="button"
                  onClick={() => setEditing({ kind: 'delete', name: d.name })}
                  data-testid={`dataset-delete-${d.name}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && (
        <div className="confirm" role="dialog" data-testid="dataset-edit">
          {editing.kind === 'rename' && (
            <label>
              New name for {editing.name}{' '}
              <input
                value={editing.to}
                maxLength={NAME_MAX}
                onChange={(e) => setEditing({ ...editing, to: e.target.value })}
                aria-invalid={renameIssue !== null}
                data-testid="dataset-rename-to"
              />
              {renameIssue && <span className="error"> The name {renameIssue}.</span>}
            </label>
          )}
          {editing.kind === 'zone' && (
            <>
              <label>
                Time zone of {editing.name}{' '}
                <input value={editing.tz} onChange={(e) => setEditing({ ...editing, tz: e.target.value })} />
              </label>
              <label>
                <input
                  type="radio"
                  checked={editing.keep === 'wall-clock'}
                  onChange={() => setEditing({ ...editing, keep: 'wall-clock' })}
                />{' '}
                the file&apos;s clock times were right, the zone was wrong (moves the instants)
              </label>
              <label>
                <input
                  type="radio"
                  checked={editing.keep === 'instant'}
                  onChange={() => setEditing({ ...editing, keep: 'instant' })}
                />{' '}
                keep the instants, show them in the new zone
              </label>
            </>
          )}
          {editing.kind === 'holidays' && (
            <>
              <label>
                Own holidays of {editing.name}
                <input
                  value={editing.text}
                  style={{ display: 'block', width: '100%', boxSizing: 'border-box' }}
                  placeholder="2018-05-28, 11-11"
                  onChange={(e) => setEditing({ ...editing, text: e.target.value })}
                  aria-invalid={holidayIssue !== null}
                  data-testid="dataset-holidays-input"
                />
              </label>
              {holidayIssue && <p className="error">{holidayIssue}.</p>}
              <p className="muted">
                Dates YYYY-MM-DD, or MM-DD for every year, separated by commas; empty for none. They come on
                top of July 3rd–5th, New Year&apos;s Eve and Day and the fireworks windows. The calendar
                baseline and the network&apos;s level give them one shared factor, SEPP leaves them out of its
                fit, and the forecast and briefing name them.
              </p>
            </>
          )}
          {editing.kind === 'delete' && (
            <p data-testid="dataset-delete-warning">
              Delete <strong>{editing.name}</strong> with its{' '}
              {datasets.find((d) => d.name === editing.name)?.events ?? 0} events, its rejects, its stored
              runs, its registered models and its map layers? This cannot be undone.
            </p>
          )}
          <button
            type="button"
            onClick={apply}
            disabled={renameIssue !== null || holidayIssue !== null}
            data-testid="dataset-edit-confirm"
          >
            {editing.kind === 'delete' ? `Delete ${editing.name}` : 'Apply'}
          </button>{' '}
          <button type="button" onClick={() => setEditing(null)}>
            Cancel
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {done && !error && (
        <p className="report" role="status" data-testid="dataset-edit-done">
          {done}
        </p>
      )}
    </div>
  );
}
