import { useEffect, useState } from 'react';
import {
  IMPORT_FORMATS,
  type Backend,
  type DatasetInfo,
  type ImportReport,
  type RejectRow,
} from '../../../shared/contract.ts';
import type { Progress } from '../../../shared/types.ts';
import { call, newJobId } from '../api/backend.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { NAME_MAX, nameProblem, toName } from '../../../shared/names.ts';

interface Props {
  backend: Backend;
  datasets: DatasetInfo[];
  current: string | null;
  onSelect(name: string): void;
  onImported(name: string): Promise<void>;
}

function readBase64(file: File): Promise<string> {
  return new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => fail(new Error(`cannot read ${file.name}`));
    r.readAsDataURL(file);
  });
}

/** Import (file picker or drag-and-drop) with progress, the reject report, and the dataset list. */
export function DataPanel({ backend, datasets, current, onSelect, onImported }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [city, setCity] = useState('Washington DC');
  const [tz, setTz] = useState('America/New_York');
  const [format, setFormat] = useState<(typeof IMPORT_FORMATS)[number]>('auto');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reportValue, setReport] = useState<ImportReport | null>(null);
  const [rejects, setRejects] = useState<{
    dataset: string;
    total: number;
    byReason: Record<string, number>;
    rows: RejectRow[];
  } | null>(null);
  const [dragging, setDragging] = useState(false);

  const nameIssue = name === '' ? null : nameProblem(name);

  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setName(toName(f.name.replace(/\.[^.]+$/, '')));
    setError(null);
  };

  const loadRejects = async (dataset: string) => {
    const r = await call(backend, 'datasets.rejects', { dataset, limit: 50, offset: 0 });
    setRejects({ dataset, ...r });
  };

  useEffect(() => {
    if (current) loadRejects(current).catch(() => setRejects(null));
    // Reload only when the selected dataset changes.
  }, [current]);

  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setReport(null);
    const jobId = newJobId('import');
    const off = backend.onProgress((p) => p.jobId === jobId && setProgress(p.progress));
    try {
      const source = backend.upload
        ? { upload: await backend.upload(file, file.name) }
        : { contentBase64: await readBase64(file) };
      const report = await call(backend, 'datasets.import', {
        jobId,
        fileName: file.name,
        ...source,
        dataset: name,
        city,
        tz,
        format,
      });
      setReport(report);
      await onImported(report.dataset);
      await loadRejects(report.dataset);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      off();
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <div data-testid="panel-data">
      <h2>Import</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          choose(e.dataTransfer.files[0]);
        }}
      >
        {file ? file.name : 'Drop a CSV or XLSX file here, or'}{' '}
        <label className="filebutton">
          choose a file…
          <input
            type="file"
            accept=".csv,.xlsx,.txt,.gz"
            data-testid="file-input"
            onChange={(e) => choose(e.target.files?.[0])}
          />
        </label>
      </div>
      <div className="form">
        <label>
          Dataset name{' '}
          <input
            value={name}
            maxLength={NAME_MAX}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={nameIssue !== null}
            data-testid="import-name"
          />
        </label>
        {nameIssue && (
          <p className="error" data-testid="import-name-problem">
            The dataset name {nameIssue}.
          </p>
        )}
        <label>
          City <input value={city} onChange={(e) => setCity(e.target.value)} />
        </label>
        <label>
          Time zone <input value={tz} onChange={(e) => setTz(e.target.value)} />
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            {IMPORT_FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!file || name === '' || nameIssue !== null || busy}
          onClick={run}
          data-testid="import-run"
        >
          Import
        </button>
      </div>
      {progress && <ProgressBar progress={progress} />}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {reportValue && (
        <p className="report" data-testid="import-report">
          {reportValue.dataset}: {reportValue.rows} rows, {reportValue.imported} imported,{' '}
          {reportValue.duplicates} duplicates, {reportValue.rejected} rejected
          {reportValue.from ? ` (${reportValue.from.slice(0, 10)} .. ${reportValue.to?.slice(0, 10)})` : ''}
        </p>
      )}
      {rejects && (
        <div className="rejects" data-testid="rejects">
          <h3>
            Rejects of {rejects.dataset}: {rejects.total}
          </h3>
          {rejects.total > 0 && (
            <p className="muted" data-testid="reject-reasons">
              {Object.entries(rejects.byReason)
                .map(([reason, n]) => `${reason}: ${n}`)
                .join(' · ')}
            </p>
          )}
          {rejects.rows.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>line</th>
                  <th>reason</th>
                  <th>raw</th>
                </tr>
              </thead>
              <tbody>
                {rejects.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.reason}</td>
                    <td className="raw">{r.raw}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      <h2>Datasets</h2>
      <table className="datasets" data-testid="datasets">
        <thead>
          <tr>
            <th>name</th>
            <th>events</th>
            <th>dupl.</th>
            <th>rejects</th>
            <th>from .. to</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id} className={d.name === current ? 'current' : ''} onClick={() => onSelect(d.name)}>
              <td>{d.name}</td>
              <td>{d.events}</td>
              <td>{d.duplicates}</td>
              <td>{d.rejects}</td>
              <td>
                {d.from?.slice(0, 10) ?? '–'} .. {d.to?.slice(0, 10) ?? '–'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
