import { useState } from 'react';
import {
  MAX_DEPLOY_UNITS,
  type Backend,
  type BriefingValue,
  type ModelInfo,
  type Request,
} from '../../../shared/contract.ts';
import { call } from '../api/backend.ts';
import { ModelOptions, modelChoiceOf } from './ForecastPanel.tsx';
import { PdfPreview } from './PdfPreview.tsx';
import { SuggestedUnits } from './SuggestedUnits.tsx';
import { usePersisted } from '../state/persisted.ts';
import { percent as pct } from '../../../shared/numbers.ts';

interface Props {
  backend: Backend;
  dataset: string | null;
  /** The local date of the forecast on the map (YYYY-MM-DD), the form's default. */
  viewDate: string | null;
  /** The Forecast panel's number of units, the form's default. */
  viewUnits: number;
  models: ModelInfo[];
}

interface Form {
  date: string | null;
  step: 'shift' | 'day';
  shiftStart: number;
  /** null: the Forecast panel's number, until the analyst types one here. */
  units: number | null;
  model: string;
  agency: string;
  marking: string;
}

interface Rendered {
  key: string;
  value: BriefingValue;
  /** The PDF's bytes, and a blob: URL of them for the download. */
  bytes: Uint8Array;
  url: string;
}

const int = (v: string, lo: number, hi: number, fallback: number) => {
  const n = Math.round(Number(v));
  return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : fallback;
};

function toRequest(dataset: string, date: string, f: Form, units: number): Request<'briefing.render'> {
  return {
    dataset,
    at: date,
    step: f.step,
    shiftStart: f.shiftStart,
    units,
    maxCells: 4,
    model: f.model ? modelChoiceOf(f.model) : null,
    agency: f.agency.trim() || null,
    marking: f.marking.trim() || null,
  };
}

/** Starts a download of a blob: URL under a file name (Electron's session shows its save dialog). */
function saveAs(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function pdfBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/**
 * The roll-call briefing: the main process draws the PDF (the same renderBriefing as `shotcast brief`);
 * the panel draws those bytes' pages (pdf.js) and saves the very same bytes on export.
 */
export function BriefingPanel({ backend, dataset, viewDate, viewUnits, models }: Props) {
  // The form and the last preview outlive the panel: an analyst who looks at the map and comes back
  // finds the agency, the marking and the pages as they left them.
  const [form, setForm] = usePersisted<Form>('briefing.form', {
    date: null,
    step: 'day',
    shiftStart: 7,
    units: null,
    model: '',
    agency: '',
    marking: '',
  });
  const [rendered, setRendered] = usePersisted<Rendered | null>('briefing.rendered', null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [gisNote, setGisNote] = useState<string | null>(null);

  // Until the analyst picks a date and a number of units, the briefing follows the Forecast panel's.
  const date = form.date ?? viewDate;
  const units = form.units ?? Math.max(1, Math.min(MAX_DEPLOY_UNITS, viewUnits));
  const request = dataset && date ? toRequest(dataset, date, form, units) : null;
  const key = request ? JSON.stringify(request) : '';
  const current = rendered && rendered.key === key ? rendered : null;

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });

  async function render(): Promise<Rendered | null> {
    if (!request) return null;
    if (current) return current;
    setBusy(true);
    setError(null);
    try {
      const value = await call(backend, 'briefing.render', request);
      // One preview is kept at a time (its blob: URL is the export's), so the one before is let go.
      if (rendered) URL.revokeObjectURL(rendered.url);
      const bytes = pdfBytes(value.pdfBase64);
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const r = { key, value, bytes, url };
      setRendered(r);
      return r;
    } catch (e) {
      setError((e as Error).message);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function exportPdf() {
    const r = await render();
    if (!r) return;
    // A download link over the previewed blob: the saved file is the bytes on screen, in a browser
    // and in Electron (whose session shows its save dialog for downloads).
    saveAs(r.url, `briefing-${r.value.report.dataset.name}-${r.value.report.window.start.slice(0, 10)}.pdf`);
  }

  /** The same forecast's grid and patrol areas as one GIS file (`shotcast export`), saved by a download. */
  async function exportGis(format: 'geojson' | 'csv') {
    if (!request) return;
    setBusy(true);
    setError(null);
    try {
      const v = await call(backend, 'briefing.export', { ...request, format });
      const url = URL.createObjectURL(new Blob([v.text], { type: v.mimeType }));
      saveAs(url, v.fileName);
      // The download has its bytes once it starts; the URL is let go a little later.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setGisNote(`${v.fileName}: ${v.cells} study cells and ${v.areas} patrol areas, for ArcGIS or QGIS.`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const report = current?.value.report;
  return (
    <div data-testid="panel-briefing">
      <h2>Briefing</h2>
      <div className="form">
        <label>
          Date
          <input
            type="date"
            value={date ?? ''}
            onChange={(e) => set({ date: e.target.value || null })}
            data-testid="briefing-date"
          />
        </label>
        <label>
          Step
          <select
            value={form.step}
            onChange={(e) => set({ step: e.target.value === 'shift' ? 'shift' : 'day' })}
            data-testid="briefing-step"
          >
            <option value="day">day</option>
            <option value="shift">shift (8 h)</option>
          </select>
        </label>
        {form.step === 'shift' && (
          <label>
            Shift starts at (hour)
            <input
              type="number"
              min={0}
              max={23}
              value={form.shiftStart}
              onChange={(e) => set({ shiftStart: int(e.target.value, 0, 23, form.shiftStart) })}
              data-testid="briefing-shift-start"
            />
          </label>
        )}
        <label>
          Units
          <input
            type="number"
            min={1}
            max={MAX_DEPLOY_UNITS}
            value={units}
            onChange={(e) => set({ units: int(e.target.value, 1, MAX_DEPLOY_UNITS, units) })}
            data-testid="briefing-units"
          />
        </label>
        <label>
          Model
          <select value={form.model} onChange={(e) => set({ model: e.target.value })}>
            <option value="">newest registered model, else the best evaluated classical one</option>
            <ModelOptions models={models} />
          </select>
        </label>
        <label>
          Agency
          <input
            type="text"
            maxLength={500}
            placeholder="default: the dataset's city"
            value={form.agency}
            onChange={(e) => set({ agency: e.target.value })}
            data-testid="briefing-agency"
          />
        </label>
        <label>
          Handling marking
          <input
            type="text"
            maxLength={500}
            placeholder="LAW ENFORCEMENT SENSITIVE"
            value={form.marking}
            onChange={(e) => set({ marking: e.target.value })}
            data-testid="briefing-marking"
          />
        </label>
        <div>
          <button disabled={!request || busy} onClick={() => void render()} data-testid="briefing-preview">
            {busy ? 'Rendering…' : 'Preview'}
          </button>{' '}
          <button disabled={!request || busy} onClick={() => void exportPdf()} data-testid="briefing-export">
            Export PDF…
          </button>{' '}
          <button
            disabled={!request || busy}
            onClick={() => void exportGis('geojson')}
            data-testid="briefing-export-geojson"
            title="The forecast grid and the patrol areas as one GeoJSON file (WGS84), for ArcGIS or QGIS"
          >
            GeoJSON…
          </button>{' '}
          <button
            disabled={!request || busy}
            onClick={() => void exportGis('csv')}
            data-testid="briefing-export-csv"
            title="One row per study cell: its corners, risk, rank and patrol area"
          >
            CSV…
          </button>
        </div>
        {gisNote && (
          <p className="muted" data-testid="briefing-gis-note">
            {gisNote}
          </p>
        )}
      </div>
      {!dataset && <p className="muted">Load a dataset first.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {current && report && (
        <div data-testid="briefing-result">
          <PdfPreview bytes={current.bytes} url={current.url} />
          <p className="muted" data-testid="briefing-summary">
            {report.window.label} · {report.model.label} · {current.value.bytes.toLocaleString()} bytes
          </p>
          <p>
            {report.deployment.units} patrol areas ({report.deployment.cells} cells) cover an expected{' '}
            {pct(report.deployment.coverage)} of events; the top {report.deployment.topCells.cells} cells one
            by one cover {pct(report.deployment.topCells.coverage)}.
          </p>
          <p data-testid="briefing-volume">
            Citywide, {report.volume.text}.{' '}
            <SuggestedUnits
              volume={report.volume}
              units={units}
              onUse={(units) => set({ units })}
              testId="briefing-use-suggestion"
            />
          </p>
          {report.skill && (
            <p className="muted" data-testid="briefing-skill">
              {report.skill.sentence}
            </p>
          )}
          <table data-testid="briefing-areas">
            <thead>
              <tr>
                <th>#</th>
                <th>Place</th>
                <th>Service area</th>
                <th>District</th>
                <th>Share</th>
                <th>7 d</th>
                <th>28 d</th>
              </tr>
            </thead>
            <tbody>
              {report.areas.map((a) => (
                <tr key={a.rank} data-testid="briefing-area-row" data-cells={a.cells.join(' ')}>
                  <td>{a.rank}</td>
                  <td title={`${a.centre.lat.toFixed(4)}, ${a.centre.lon.toFixed(4)}`}>{a.neighbourhood}</td>
                  <td>{a.psa}</td>
                  <td>{a.district}</td>
                  <td>{pct(a.share)}</td>
                  <td>{a.last7}</td>
                  <td>{a.last28}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
