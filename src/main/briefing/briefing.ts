/**
 * The one code path behind every briefing (CLI, app, tests): forecast the step, deploy the units, name
 * the places, count recent activity, look up the model's track record, then draw the PDF.
 */
import { createHash } from 'node:crypto';
import type { ReadonlyDb } from '../db/connection.ts';
import { datasetFingerprint } from '../db/queries/events.ts';
import { forecastAt } from '../forecast/forecast-at.ts';
import { requireDataset } from '../grid/build.ts';
import { cellCentre } from '../grid/spec.ts';
import { isoLocal, localParts, localToUtc } from '../grid/time.ts';
import type { GridOptions } from '../grid/types.ts';
import { UsageError } from '../util/errors.ts';
import { deployUnits, DEFAULT_MAX_CELLS } from './deploy.ts';
import { DEFAULT_GEO_DIR, featureAt, loadLayer } from './geo.ts';
import { countInCells, recentEvents, summarise } from './recent.ts';
import { findSkill, storedEvaluations } from './skill.ts';
import { cleanText } from './text.ts';
import { MAX_UNITS, type BriefingArea, type BriefingMap, type BriefingReport } from './types.ts';
import { localLabel, windowLabel } from './when.ts';

export interface BriefingOptions {
  dataset: string;
  /** 'YYYY-MM-DD' (or a local 'YYYY-MM-DDTHH:MM' inside the step). */
  at: string;
  step?: 'shift' | 'day';
  /** Local hour the day's first shift starts (step 'shift'); default 0. */
  shiftStart?: number;
  units?: number;
  maxCells?: number;
  /** Model spec; default: the best classical model of the newest stored evaluation, else 'kde'. */
  model?: string;
  agency?: string;
  marking?: string;
  title?: string;
  /** Grid; default: the newest stored evaluation's grid (so its skill numbers apply), else 36 × 36 over the data. */
  grid?: GridOptions;
  geoDir?: string;
  /** The clock, for reproducible output in tests. */
  now?: Date;
}

export const DEFAULT_MARKING = 'LAW ENFORCEMENT SENSITIVE';
export const DEFAULT_UNITS = 5;
const SOFTWARE = 'shotcast 0.1.0';
const DAY_MS = 86_400_000;

export const CAVEAT = [
  'This forecast is about places and times, not people: it is not a prediction about any person and gives no grounds to stop, search or suspect anyone.',
  'Detections are acoustic sensor alerts, not confirmed shootings; some are fireworks or other loud noises, and gunfire outside sensor coverage is not detected at all.',
  'Risk is an expected share of detections, not a certainty: most patrol areas will have no detection in any one step, and detections will also occur elsewhere.',
];

export async function renderBriefing(
  db: ReadonlyDb,
  opts: BriefingOptions,
): Promise<{ pdf: Buffer; report: BriefingReport }> {
  const { report, map } = await buildBriefing(db, opts);
  // pdfkit loads only when a PDF is drawn (export and the app's report view do not need it).
  const { renderPdf } = await import('./pdf.ts');
  const pdf = await renderPdf(report, map, { geoDir: opts.geoDir });
  return { pdf, report };
}

/** Everything but the drawing: the report (the `--json` shape) and the forecast for the map. */
export async function buildBriefing(
  db: ReadonlyDb,
  opts: BriefingOptions,
): Promise<{ report: BriefingReport; map: BriefingMap }> {
  const units = opts.units ?? DEFAULT_UNITS;
  if (!Number.isInteger(units) || units < 1 || units > MAX_UNITS)
    throw new UsageError(`--units must be an integer 1..${MAX_UNITS}, got ${units}`);
  const stepUnit = opts.step ?? 'day';
  const dataset = requireDataset(db, opts.dataset);
  const info = db.prepare(`SELECT city FROM datasets WHERE id = ?`).get(dataset.id) as { city: string };
  const runs = storedEvaluations(db, dataset.id, stepUnit);
  const latest = runs[0];
  const grid: GridOptions =
    opts.grid ??
    (latest?.grid
      ? { bbox: latest.grid.bbox, rows: latest.grid.rows, cols: latest.grid.cols }
      : { rows: 36, cols: 36 });
  const modelSpec = opts.model ?? defaultModel(latest);
  const at =
    stepUnit === 'shift' && /^\d{4}-\d{2}-\d{2}$/.test(opts.at)
      ? `${opts.at}T${String(opts.shiftStart ?? 0).padStart(2, '0')}:00`
      : opts.at;
  const f = await forecastAt(db, {
    dataset: dataset.name,
    grid,
    step: { unit: stepUnit, shiftStartHour: opts.shiftStart },
    at,
    model: modelSpec,
  });
  const tz = dataset.tz;
  const startMs = f.cutoffMs;
  const endMs = Date.parse(f.stepEnd);
  const d = deployUnits(
    { rows: f.grid.rows, cols: f.grid.cols, risk: f.risk, studyMask: f.studyMask },
    { units, maxCells: opts.maxCells ?? DEFAULT_MAX_CELLS },
  );
  const from7 = daysBefore(tz, startMs, 7);
  const from28 = daysBefore(tz, startMs, 28);
  const events = recentEvents(db, dataset.id, from28, startMs);
  const geoDir = opts.geoDir ?? DEFAULT_GEO_DIR;
  const areas: BriefingArea[] = d.areas.map((a) => {
    const centres = a.cells.map((c) => cellCentre(f.grid, c));
    const centre = {
      lat: centres.reduce((s, p) => s + p.lat, 0) / centres.length,
      lon: centres.reduce((s, p) => s + p.lon, 0) / centres.length,
    };
    const place = placeNames(geoDir, [centre, ...centres]);
    return {
      rank: a.rank,
      cells: a.cells,
      centre,
      ...place,
      risk: a.risk,
      share: a.share,
      last7: countInCells(events, f.grid, a.cells, from7),
      last28: countInCells(events, f.grid, a.cells, from28),
    };
  });
  const week = summarise(events, from7);
  const month = summarise(events, from28);
  const datasetHash = createHash('sha256')
    .update(datasetFingerprint(db, dataset.id).join('\n'))
    .digest('hex');
  const params = Object.entries(f.model.params)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  const modelHash = createHash('sha256')
    .update(
      JSON.stringify({
        name: f.model.name,
        params: Object.fromEntries(Object.entries(f.model.params).sort()),
      }),
    )
    .digest('hex');
  const now = opts.now ?? new Date();
  const report: BriefingReport = {
    title: cleanText(opts.title ?? 'Gunfire forecast briefing', 120),
    agency: cleanText(opts.agency ?? `${info.city} — crime analysis unit`, 160),
    marking: cleanText(opts.marking ?? DEFAULT_MARKING, 120),
    dataset: { name: dataset.name, city: info.city, tz, hash: datasetHash },
    window: { start: f.stepStart, end: f.stepEnd, step: stepUnit, label: windowLabel(tz, startMs, endMs) },
    generatedAt: now.toISOString(),
    generatedLabel: localLabel(tz, now.getTime()),
    model: {
      spec: modelSpec,
      name: f.model.name,
      params: f.model.params,
      hash: modelHash,
      cutoff: f.stepStart,
    },
    grid: { rows: f.grid.rows, cols: f.grid.cols, bbox: f.grid.bbox, cellMeters: f.grid.cellMeters },
    deployment: {
      units: d.units,
      maxCells: d.maxCells,
      coverage: d.coverage,
      cells: d.cells,
      topCells: d.topCells,
      upperBound: d.upperBound,
      optimal: d.optimal,
      method: d.method,
    },
    areas,
    recent: {
      from7: isoLocal(tz, from7),
      from28: isoLocal(tz, from28),
      byType7: week.byType,
      total7: week.total,
      hourly28: month.hourly,
      total28: month.total,
    },
    // The track record only from runs that ended before the briefing's day (f.stepStart is local ISO).
    skill: findSkill(
      db,
      dataset.id,
      stepUnit,
      f.grid,
      { spec: modelSpec, name: f.model.name },
      f.stepStart.slice(0, 10),
    ),
    provenance: { datasetHash, modelHash, params: params || '(none)', software: SOFTWARE },
    caveat: CAVEAT,
  };
  return { report, map: { grid: f.grid, risk: f.risk, studyMask: f.studyMask } };
}

function defaultModel(run: ReturnType<typeof storedEvaluations>[number] | undefined): string {
  const best = run?.models
    .filter((m) => m.classical !== false && m.hitRate['5'] !== undefined)
    .sort((a, b) => b.hitRate['5'] - a.hitRate['5'])[0];
  return best?.spec ?? best?.name ?? 'kde';
}

/** The same local clock time `days` calendar days earlier (so a DST change does not shift the window). */
function daysBefore(tz: string, utcMs: number, days: number): number {
  const p = localParts(tz, utcMs);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) - days * DAY_MS);
  return localToUtc(tz, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), p.hour, p.minute, p.second);
}

/** Neighbourhood, PSA and district of the first point that falls inside each layer; '—' when none does. */
function placeNames(
  geoDir: string,
  points: { lat: number; lon: number }[],
): { neighbourhood: string; psa: string; district: string } {
  const find = (layer: string): Record<string, unknown> | undefined => {
    const l = loadLayer(layer, geoDir);
    if (!l) return undefined;
    for (const p of points) {
      const f = featureAt(l, p.lon, p.lat);
      if (f) return f.props;
    }
    return undefined;
  };
  const nbh = find('neighborhood-clusters');
  const psa = find('police-service-areas-psa');
  const district = psa?.DISTRICT ?? find('police-districts-mpd')?.DISTRICT;
  const text = (v: unknown): string => (v === undefined || v === null || v === '' ? '—' : cleanText(v, 120));
  return {
    neighbourhood: text(nbh?.NBH_NAMES ?? nbh?.NAME),
    psa: text(psa?.PSA ?? psa?.NAME),
    district: district === undefined ? '—' : `${cleanText(district, 8)}D`,
  };
}
