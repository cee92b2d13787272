import { EVENT_TYPES, type BBox } from '../../../shared/types.ts';
import type { ReadonlyDb } from '../connection.ts';

/**
 * A dataset's events as parallel typed arrays, sorted by UTC instant: the shape the grid and the
 * forecasters want (one allocation per column instead of one object per event).
 */
export interface EventColumns {
  length: number;
  utcMs: Float64Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Index into EVENT_TYPES. */
  type: Uint8Array;
  /** 1 for a cross-network duplicate of an earlier event. */
  duplicate: Uint8Array;
  /** Local calendar month (1..12) and day (1..31) of the event's local time. */
  localMonth: Uint8Array;
  localDay: Uint8Array;
}

export interface LoadEventsOptions {
  /** Keep cross-network duplicates (default false: they are excluded from modelling). */
  includeDuplicates?: boolean;
  /** Only events strictly before this UTC instant. */
  beforeMs?: number;
}

const UNKNOWN = EVENT_TYPES.indexOf('unknown');
const DAY_MS = 86_400_000;

export function loadEventColumns(
  db: ReadonlyDb,
  datasetId: number,
  opts: LoadEventsOptions = {},
): EventColumns {
  const where = ['dataset_id = ?'];
  const args: number[] = [datasetId];
  if (!opts.includeDuplicates) where.push('duplicate_of IS NULL');
  if (opts.beforeMs !== undefined) {
    where.push('utc_ms < ?');
    args.push(opts.beforeMs);
  }
  const cond = where.join(' AND ');
  const n =
    (db
      .prepare(`SELECT COUNT(*) FROM events WHERE ${cond}`)
      .pluck()
      .get(...args) as number) ?? 0;
  const cols: EventColumns = {
    length: n,
    utcMs: new Float64Array(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    type: new Uint8Array(n),
    duplicate: new Uint8Array(n),
    localMonth: new Uint8Array(n),
    localDay: new Uint8Array(n),
  };
  const stmt = db
    .prepare(
      `SELECT utc_ms, lat, lon, type_code, duplicate_of IS NOT NULL, utc_offset_s
       FROM events WHERE ${cond} ORDER BY utc_ms, id`,
    )
    .raw(true);
  // Local calendar day from the instant and its stored offset; rows come in time order, so one Date
  // per local day, not per event.
  let lastDay = NaN;
  let month = 0;
  let dom = 0;
  let i = 0;
  for (const row of stmt.iterate(...args) as Iterable<[number, number, number, number, number, number]>) {
    if (i >= n) break;
    cols.utcMs[i] = row[0];
    cols.lat[i] = row[1];
    cols.lon[i] = row[2];
    cols.type[i] = row[3] >= 0 && row[3] < EVENT_TYPES.length ? row[3] : UNKNOWN;
    cols.duplicate[i] = row[4];
    const day = Math.floor((row[0] + row[5] * 1000) / DAY_MS);
    if (day !== lastDay) {
      const d = new Date(day * DAY_MS);
      month = d.getUTCMonth() + 1;
      dom = d.getUTCDate();
      lastDay = day;
    }
    cols.localMonth[i] = month;
    cols.localDay[i] = dom;
    i++;
  }
  cols.length = i;
  return cols;
}

/** Extent of a dataset's distinct (non-duplicate) events, optionally only those before an instant. */
export function eventsBBox(
  db: ReadonlyDb,
  datasetId: number,
  beforeMs = Number.MAX_SAFE_INTEGER,
): BBox | undefined {
  const r = db
    .prepare(
      `SELECT MIN(lat) AS s, MIN(lon) AS w, MAX(lat) AS n, MAX(lon) AS e FROM events
       WHERE dataset_id = ? AND duplicate_of IS NULL AND utc_ms < ?`,
    )
    .get(datasetId, beforeMs) as { s: number | null; w: number; n: number; e: number };
  return r.s === null ? undefined : [r.s, r.w, r.n, r.e];
}

/** A fingerprint of the data a dataset holds: sha256s of its imported files, in import order. */
export function datasetFingerprint(db: ReadonlyDb, datasetId: number): string[] {
  return db
    .prepare(`SELECT sha256 FROM imports WHERE dataset_id = ? ORDER BY id`)
    .pluck()
    .all(datasetId) as string[];
}

/** UTC ms of a dataset's newest distinct (non-duplicate) event, or null when it has none. */
export function lastEventMs(db: ReadonlyDb, datasetId: number): number | null {
  return db
    .prepare(`SELECT MAX(utc_ms) FROM events WHERE dataset_id = ? AND duplicate_of IS NULL`)
    .pluck()
    .get(datasetId) as number | null;
}

/** UTC ms of a dataset's oldest distinct (non-duplicate) event, or null when it has none. */
export function firstEventMs(db: ReadonlyDb, datasetId: number): number | null {
  return db
    .prepare(`SELECT MIN(utc_ms) FROM events WHERE dataset_id = ? AND duplicate_of IS NULL`)
    .pluck()
    .get(datasetId) as number | null;
}

/** Distinct (non-duplicate) events in [fromMs, toMs) with their local hour, oldest first. */
export function eventsBetween(
  db: ReadonlyDb,
  datasetId: number,
  fromMs: number,
  toMs: number,
): { utcMs: number; hour: number; lat: number; lon: number; type: string }[] {
  return db
    .prepare(
      `SELECT utc_ms AS utcMs, CAST(substr(local_time, 12, 2) AS INTEGER) AS hour, lat, lon, type FROM events_local
       WHERE dataset_id = ? AND duplicate_of IS NULL AND utc_ms >= ? AND utc_ms < ? ORDER BY utc_ms`,
    )
    .all(datasetId, fromMs, toMs) as {
    utcMs: number;
    hour: number;
    lat: number;
    lon: number;
    type: string;
  }[];
}

/** UTC instants of a dataset's distinct (non-duplicate) events, oldest first: the timeline's histogram. */
export function distinctEventTimes(db: ReadonlyDb, datasetId: number): Float64Array {
  const n =
    (db
      .prepare(`SELECT COUNT(*) FROM events WHERE dataset_id = ? AND duplicate_of IS NULL`)
      .pluck()
      .get(datasetId) as number) ?? 0;
  const out = new Float64Array(n);
  const stmt = db
    .prepare(`SELECT utc_ms FROM events WHERE dataset_id = ? AND duplicate_of IS NULL ORDER BY utc_ms`)
    .pluck();
  let i = 0;
  for (const t of stmt.iterate(datasetId) as Iterable<number>) {
    if (i >= n) break;
    out[i++] = t;
  }
  return i === n ? out : out.subarray(0, i);
}

/** Distinct (non-duplicate) events in [fromMs, toMs) as columns, in the order loadEventColumns keeps. */
export function eventWindowColumns(
  db: ReadonlyDb,
  datasetId: number,
  fromMs: number,
  toMs: number,
): { utcMs: number[]; lat: number[]; lon: number[]; type: number[] } {
  const out = { utcMs: [] as number[], lat: [] as number[], lon: [] as number[], type: [] as number[] };
  const stmt = db
    .prepare(
      `SELECT utc_ms, lat, lon, type_code FROM events
       WHERE dataset_id = ? AND duplicate_of IS NULL AND utc_ms >= ? AND utc_ms < ? ORDER BY utc_ms, id`,
    )
    .raw(true);
  for (const row of stmt.iterate(datasetId, fromMs, toMs) as Iterable<[number, number, number, number]>) {
    out.utcMs.push(row[0]);
    out.lat.push(row[1]);
    out.lon.push(row[2]);
    out.type.push(row[3] >= 0 && row[3] < EVENT_TYPES.length ? row[3] : UNKNOWN);
  }
  return out;
}
