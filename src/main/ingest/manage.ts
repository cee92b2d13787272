/**
 * Dataset management: rename, delete (with everything made from it), change the time zone, and set
 * the dataset's own holiday dates. Each change is one transaction: it happens whole or not at all. Its
 * write lock is awaited, never waited for on the event loop, so a window served by the same process
 * keeps answering meanwhile.
 */
import { existsSync, rmSync } from 'node:fs';
import type { WritableDb } from '../db/connection.ts';
import { datasetHolidays, getDatasetByName } from '../db/queries/datasets.ts';
import {
  datasetHoldings,
  deleteDatasetRows,
  eventTimes,
  modelFileInUse,
  modelFilesOf,
  renameDatasetRow,
  setDatasetHolidaysRow,
  setDatasetZoneRow,
  updateEventTimeStatement,
  type DatasetHoldings,
} from '../db/queries/manage.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { parseHolidayList } from '../forecast/holidays.ts';
import { ZoneConverter } from '../time/zone.ts';
import { DataError, UsageError } from '../util/errors.ts';

function requireDataset(db: WritableDb, name: string): { id: number; name: string; tz: string } {
  const d = getDatasetByName(db, name);
  if (!d) throw new DataError(`no dataset named '${name}' in the database (see 'shotcast datasets')`);
  return d;
}

function checkName(name: string): string {
  const n = name.trim();
  if (n === '') throw new UsageError('a dataset name must not be empty');
  if (n.length > 200) throw new UsageError(`a dataset name has at most 200 characters, got ${n.length}`);
  return n;
}

export async function renameDataset(
  db: WritableDb,
  from: string,
  to: string,
): Promise<{ from: string; to: string }> {
  const name = checkName(to);
  return writeTransaction(db, () => {
    const d = requireDataset(db, from);
    if (name === d.name) return { from: d.name, to: name };
    if (getDatasetByName(db, name)) throw new UsageError(`a dataset named '${name}' already exists`);
    renameDatasetRow(db, d.id, name, new Date().toISOString());
    return { from: d.name, to: name };
  });
}

export interface HolidayChangeResult {
  name: string;
  /** The dataset's own dates before and after (sorted; the built-in holidays are never listed). */
  from: string[];
  to: string[];
  /** Evaluation runs and models of the dataset, made with the old dates (kept, not recomputed). */
  runs: number;
  models: number;
}

/**
 * Sets a dataset's own holiday dates (`2018-05-28`, or `05-28` for every year), replacing the ones it
 * had; an empty list clears them. Every later forecast, briefing, evaluation and training run of the
 * dataset uses them beside the built-in list (holidays.ts): the calendar baseline gives them one
 * shared factor, SEPP leaves them out of its fit, the briefing names them. A bad date is refused
 * whole, naming it, and nothing is changed.
 */
export async function setDatasetHolidays(
  db: WritableDb,
  name: string,
  dates: string | readonly string[],
): Promise<HolidayChangeResult> {
  const list = parseHolidayList(dates);
  return writeTransaction(db, () => {
    const d = requireDataset(db, name);
    const held = datasetHoldings(db, d.id);
    const from = datasetHolidays(db, d.id);
    if (from.join(',') !== list.join(',')) setDatasetHolidaysRow(db, d.id, list, new Date().toISOString());
    return { name: d.name, from, to: list, runs: held.runs, models: held.models };
  });
}

export interface DeleteResult {
  name: string;
  deleted: DatasetHoldings;
  /** Model files (ONNX, checkpoints) removed from disk. */
  files: string[];
}

/**
 * Deletes a dataset with its events, imports, rejects, evaluation runs, registered models and tuning
 * trials, then the model files no remaining model names. The rows go in one transaction first, so a
 * failure leaves the database as it was; files are removed only after the commit.
 */
export async function deleteDataset(db: WritableDb, name: string): Promise<DeleteResult> {
  const d = requireDataset(db, name);
  const { deleted, candidates } = await writeTransaction(db, () => {
    const held = datasetHoldings(db, d.id);
    const files = modelFilesOf(db, d.id);
    deleteDatasetRows(db, d.id);
    return { deleted: held, candidates: files };
  });
  const files: string[] = [];
  for (const f of new Set(candidates)) {
    if (modelFileInUse(db, f) || !existsSync(f)) continue;
    rmSync(f, { force: true });
    files.push(f);
  }
  return { name: d.name, deleted, files };
}

/**
 * How a zone change reads the stored times:
 * - 'wall-clock' (the default): the source's clock times are kept and read in the new zone, as a
 *   re-import with the right zone would; the instants move. For a file imported in the wrong zone
 *   (every format shotcast reads gives local clock times).
 * - 'instant': the instants are kept and the local times recomputed in the new zone. For times that
 *   were exact in the source (with an offset or in UTC).
 */
export type ZoneChangeMode = 'wall-clock' | 'instant';

export interface ZoneChangeResult {
  name: string;
  from: string;
  to: string;
  mode: ZoneChangeMode;
  events: number;
  /** Events whose UTC instant changed (wall-clock) or whose local time changed (instant). */
  changed: number;
  /** Clock times that do not exist in the new zone (its spring-forward gap), moved forward by the gap. */
  dstGapShifted: number;
  /** Evaluation runs and models of the dataset, made with the old zone's days (kept, not recomputed). */
  runs: number;
  models: number;
}

export async function setDatasetZone(
  db: WritableDb,
  name: string,
  tz: string,
  mode: ZoneChangeMode = 'wall-clock',
): Promise<ZoneChangeResult> {
  const d = requireDataset(db, name);
  const zone = new ZoneConverter(tz.trim());
  return writeTransaction(db, () => {
    const held = datasetHoldings(db, d.id);
    const update = updateEventTimeStatement(db);
    let changed = 0;
    let gap = 0;
    const rows = eventTimes(db, d.id);
    for (const [id, utcMs, offsetS] of rows) {
      let utc = utcMs;
      let offsetMs: number;
      if (mode === 'instant') offsetMs = zone.offsetAt(utcMs);
      else {
        // The same rules as the importer: a clock time in the spring-forward gap moves forward by the
        // gap, one in the autumn fold takes the earlier instant.
        const naive = utcMs + offsetS * 1000;
        utc = zone.toUtc(naive);
        if (zone.lastKind === 'gap') {
          gap++;
          offsetMs = zone.offsetAt(utc);
        } else offsetMs = naive - utc;
      }
      const offset = Math.round(offsetMs / 1000);
      if (utc === utcMs && offset === offsetS) continue;
      update.run(utc, offset, id);
      changed++;
    }
    setDatasetZoneRow(db, d.id, zone.zone, new Date().toISOString());
    return {
      name: d.name,
      from: d.tz,
      to: zone.zone,
      mode,
      events: rows.length,
      changed,
      dstGapShifted: gap,
      runs: held.runs,
      models: held.models,
    };
  });
}
