import { useEffect, useState } from 'react';
import {
  COLUMN_FIELDS,
  IMPORT_FORMATS,
  type Backend,
  type ColumnField,
  type ImportPreviewValue,
  type ImportReport,
} from '../../../shared/contract.ts';
import type { Progress } from '../../../shared/types.ts';
import { call, newJobId } from '../api/backend.ts';
import { fileRef, type FileRef } from '../api/files.ts';
import { ProgressBar } from './ProgressBar.tsx';
import { NAME_MAX, nameProblem, toName } from '../../../shared/names.ts';

interface Props {
  backend: Backend;
  onImported(report: ImportReport): Promise<void>;
}

type Format = (typeof IMPORT_FORMATS)[number];

/**
 * Import with a look before the leap: once a file is chosen, the form shows what the import would read
 * (format, city, zone, columns, first rows) and lets the analyst map columns; nothing is written until
 * Import. City and zone start empty: left empty, the format's own apply; a typed value always wins, and
 * one that contradicts the format's is pointed out.
 */
export function ImportForm({ backend, onImported }: Props) {
  const [file, setFile] = useState<File | null>(null);
  const [ref, setRef] = useState<FileRef | null>(null);
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const [tz, setTz] = useState('');
  const [format, setFormat] = useState<Format>('auto');
  const [map, setMap] = useState<Partial<Record<ColumnField, string>>>({});
  const [preview, setPreview] = useState<ImportPreviewValue | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);
  /** Why the last import failed (stays until another file is chosen or imported). */
  const [error, setError] = useState<string | null>(null);
  /** Why the preview could not be read. */
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [dragging, setDragging] = useState(false);

  const nameIssue = name === '' ? null : nameProblem(name);
  const mapped = Object.keys(map).length > 0;

  const choose = async (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setRef(null);
    setPreview(null);
    setMap({});
    setReport(null);
    setError(null);
    setPreviewError(null);
    setName(toName(f.name.replace(/\.gz$/i, '').replace(/\.[^.]+$/, '')));
    try {
      setRef(await fileRef(backend, f));
    } catch (e) {
      setPreviewError((e as Error).message);
    }
  };

  // What the import would read, again whenever the format or the column mapping changes.
  useEffect(() => {
    if (!ref) return;
    let stale = false;
    call(backend, 'datasets.preview', { ...ref, format, ...(mapped ? { map } : {}) })
      .then((p) => {
        if (stale) return;
        setPreview(p);
        setPreviewError(null);
      })
      .catch((e: unknown) => !stale && setPreviewError((e as Error).message));
    return () => {
      stale = true;
    };
  }, [backend, ref, format, map, mapped]);

  const run = async () => {
    if (!file || !ref) return;
    setBusy(true);
    setError(null);
    setReport(null);
    const jobId = newJobId('import');
    const off = backend.onProgress((p) => p.jobId === jobId && setProgress(p.progress));
    try {
      const r = await call(backend, 'datasets.import', {
        jobId,
        ...ref,
        dataset: name,
        ...(city.trim() ? { city: city.trim() } : {}),
        ...(tz.trim() ? { tz: tz.trim() } : {}),
        format,
        ...(mapped ? { map } : {}),
      });
      setReport(r);
      // An upload is consumed by its import; a second import of the same file uploads it again.
      setRef(null);
      setFile(null);
      setPreview(null);
      await onImported(r);
    } catch (e) {
      setError((e as Error).message);
      // The backend released the upload whatever happened: stage the file again for another try.
      if (ref.upload && file) fileRef(backend, file).then(setRef, () => setRef(null));
    } finally {
      off();
      setBusy(false);
      setProgress(null);
    }
  };

  const zoneClash = preview?.tz && tz.trim() && tz.trim() !== preview.tz;
  const cityClash = preview?.city && city.trim() && city.trim().toLowerCase() !== preview.city.toLowerCase();
  const showMapping =
    preview !== null && (preview.format === 'generic' || preview.problem !== null || mapped);

  return (
    <div data-testid="import-form">
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
          void choose(e.dataTransfer.files[0]);
        }}
      >
        {file ? file.name : 'Drop a CSV or XLSX file (or a .gz of one) here, or'}{' '}
        <label className="filebutton">
          choose a file…
          <input
            type="file"
            accept=".csv,.xlsx,.txt,.gz"
            data-testid="file-input"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </label>
      </div>
      {preview && (
        <div className="preview" data-testid="import-preview">
          <p>
            {preview.format ? (
              <>
                Detected: <strong data-testid="preview-format">{preview.format}</strong>
                {preview.description ? ` (${preview.description})` : ''}.{' '}
                {preview.tz ? (
                  <>
                    Times are read in <strong data-testid="preview-tz">{preview.tz}</strong>
                    {preview.city ? ` (${preview.city})` : ''} unless you name another zone below.
                  </>
                ) : (
                  'This format has no zone of its own: give the city or the time zone below.'
                )}
              </>
            ) : (
              'The format could not be detected: map the columns below.'
            )}
          </p>
          {preview.problem && <p className="error">{preview.problem}</p>}
          {Object.keys(preview.columns).length > 0 && (
            <p className="muted" data-testid="preview-columns">
              Columns:{' '}
              {Object.entries(preview.columns)
                .map(([f, h]) => `${f} ← ${h}`)
                .join(' · ')}
            </p>
          )}
          {preview.header.length > 0 && (
            <div className="tablewrap">
              <table data-testid="preview-rows">
                <thead>
                  <tr>
                    {preview.header.map((h, i) => (
                      <th key={i}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r, i) => (
                    <tr key={i}>
                      {r.map((c, j) => (
                        <td key={j}>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {showMapping && preview && (
        <fieldset className="mapping" data-testid="column-mapping">
          <legend>Columns (latitude, longitude and a date-time, or a date and a time, are needed)</legend>
          {COLUMN_FIELDS.map((f) => (
            <label key={f}>
              {f}{' '}
              <select
                value={map[f] ?? ''}
                data-testid={`map-${f}`}
                onChange={(e) =>
                  setMap((m) => {
                    const next = { ...m };
                    if (e.target.value) next[f] = e.target.value;
                    else delete next[f];
                    return next;
                  })
                }
              >
                <option value="">{preview.columns[f] ? `auto (${preview.columns[f]})` : 'auto'}</option>
                {preview.header
                  .filter((h) => h !== '')
                  .map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
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
          City{' '}
          <input
            value={city}
            placeholder={preview?.city ?? 'from the format, or type one'}
            onChange={(e) => setCity(e.target.value)}
            data-testid="import-city"
          />
        </label>
        <label>
          Time zone{' '}
          <input
            value={tz}
            placeholder={preview?.tz ?? 'e.g. America/Chicago'}
            onChange={(e) => setTz(e.target.value)}
            data-testid="import-tz"
          />
        </label>
        {(zoneClash || cityClash) && (
          <p className="warning" role="status" data-testid="import-clash">
            {zoneClash &&
              `The ${preview!.format} format's zone is ${preview!.tz}; you chose ${tz.trim()}, so the file's times will be read in ${tz.trim()}. `}
            {cityClash &&
              `The ${preview!.format} format's city is ${preview!.city}; you typed ${city.trim()}.`}
          </p>
        )}
        <label>
          Format
          <select
            value={format}
            onChange={(e) => setFormat(e.target.value as Format)}
            data-testid="import-format"
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={!file || !ref || name === '' || nameIssue !== null || busy}
          onClick={run}
          data-testid="import-run"
        >
          Import
        </button>
      </div>
      {progress && <ProgressBar progress={progress} />}
      {previewError && !error && (
        <p className="error" role="alert" data-testid="preview-error">
          {previewError}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {report && (
        <p className="report" data-testid="import-report">
          {report.dataset}: {report.rows} rows, {report.imported} imported, {report.duplicates} duplicates,{' '}
          {report.rejected} rejected
          {report.from ? ` (${report.from.slice(0, 10)} .. ${report.to?.slice(0, 10)})` : ''}
        </p>
      )}
    </div>
  );
}
