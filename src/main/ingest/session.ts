import type { Statement } from 'better-sqlite3';
import type { EventType } from '../../shared/types.ts';
import { DataError } from '../util/errors.ts';
import type { WritableDb } from '../db/connection.ts';
import {
  BatchInserter,
  EVENT_COLUMNS,
  REJECT_COLUMNS,
  existingMatchesStatement,
  maxEventId,
} from '../db/queries/ingest.ts';
import { DuplicateIndex } from './dedup.ts';
import { normHeader } from './formats/columns.ts';
import { generic } from './formats/generic.ts';
import { FORMATS } from './formats/index.ts';
import { emptyRow, type Binding, type FormatSpec, type ParsedRow } from './formats/types.ts';
import { LocationCache } from './locations.ts';
import { checkCoordinates, normaliseType } from './normalise.ts';
import type { Cell, RowSink } from './read/rows.ts';
import type { RejectReason, Rejection } from './rejects.ts';
import { formatNaive } from './time/parse.ts';
import type { ZoneConverter } from '../time/zone.ts';

/** How many leading rows of a sheet may precede the header (the FOIA workbook has a title block). */
const HEADER_SEARCH_ROWS = 30;
const TYPE_INDEX: Record<EventType, number> = {
  single: 0,
  multiple: 1,
  gunshot_or_firecracker: 2,
  unknown: 3,
};

/** Where the rows go, decided once the format is known (the dataset's zone may come from the format). */
export interface Target {
  datasetId: number;
  importId: number;
  zone: ZoneConverter;
  /** True when the dataset already held events: rows are then checked against them too. */
  hadEvents: boolean;
}

export interface SessionOptions {
  db: WritableDb;
  file: string;
  /** A format forced by --format, or generic when --map is given. */
  format?: FormatSpec;
  map?: Record<string, string>;
  /** Rows dated after this instant are rejected as future dates. */
  nowMs: number;
  /** Called once, at the first header, to create or open the dataset and import record. */
  open: (format: FormatSpec) => Target;
}

export interface SessionCounts {
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  skippedExisting: number;
  rejectsByReason: Partial<Record<RejectReason, number>>;
  byType: Record<EventType, number>;
  from: string | null;
  to: string | null;
  dstGapShifted: number;
  dstFoldEarlier: number;
  sheets: { name: string; rows: number; header: number | null }[];
}

/**
 * Turns a file's rows into events and rejects: finds the header, binds the format, then for each row
 * maps, validates, resolves the local time, normalises the type, assigns the location, flags
 * duplicates and writes. Everything is written through the caller's open transaction.
 */
export class ImportSession implements RowSink {
  readonly counts: SessionCounts = {
    rows: 0,
    imported: 0,
    duplicates: 0,
    rejected: 0,
    skippedExisting: 0,
    rejectsByReason: {},
    byType: { single: 0, multiple: 0, gunshot_or_firecracker: 0, unknown: 0 },
    from: null,
    to: null,
    dstGapShifted: 0,
    dstFoldEarlier: 0,
    sheets: [],
  };
  format: FormatSpec | null;
  columns: Record<string, string> = {};

  private binding: Binding | null = null;
  private target: Target | null = null;
  private sheet: string | null = null;
  private sheetRowsSeen = 0;
  private readonly parsed: ParsedRow = emptyRow();
  private readonly types = new Map<string | null, EventType>();
  private readonly dedup = new DuplicateIndex();
  private locations!: LocationCache;
  private events!: BatchInserter;
  private rejects!: BatchInserter;
  private existing!: Statement<
    [number, string, number, number, number, number],
    { id: number; sourceId: string | null; utcMs: number }
  >;
  private baseId = 0;
  private minUtc = Infinity;
  private maxUtc = -Infinity;

  constructor(private readonly o: SessionOptions) {
    this.format = o.format ?? (o.map ? generic : null);
  }

  startSheet(name: string): void {
    this.sheet = name;
    this.sheetRowsSeen = 0;
    this.binding = null;
    this.counts.sheets.push({ name, rows: 0, header: null });
  }

  row(cells: Cell[], line: number, raw: string): void {
    const b = this.binding;
    if (b === null) {
      this.findHeader(cells, line);
      return;
    }
    this.counts.rows++;
    if (this.sheet !== null) this.counts.sheets[this.counts.sheets.length - 1].rows++;
    const p = this.parsed;
    p.localText = null;
    const bad = b.map(cells, p);
    if (bad) return this.reject(line, raw, bad);
    if (p.naive !== p.naive) {
      return this.reject(line, raw, { reason: 'bad_date', column: b.columns.datetime ?? b.columns.date });
    }
    const badCoords = checkCoordinates(p.lat, p.lon, b.latColumn, b.lonColumn);
    if (badCoords) return this.reject(line, raw, badCoords);
    const t = this.target!;
    let utc: number;
    let local: string;
    if (p.offsetMinutes === null) {
      utc = t.zone.toUtc(p.naive);
      const kind = t.zone.lastKind;
      if (kind === 'exact') local = p.localText ?? formatNaive(p.naive);
      else if (kind === 'gap') {
        this.counts.dstGapShifted++;
        local = formatNaive(t.zone.toNaive(utc));
      } else {
        this.counts.dstFoldEarlier++;
        local = formatNaive(p.naive);
      }
    } else {
      utc = p.naive - p.offsetMinutes * 60_000;
      local = formatNaive(t.zone.toNaive(utc));
    }
    if (utc > this.o.nowMs) {
      return this.reject(line, raw, {
        reason: 'future_date',
        column: b.columns.datetime ?? b.columns.date,
        detail: local,
      });
    }
    let type = this.types.get(p.rawType);
    if (type === undefined) {
      type = normaliseType(p.rawType);
      this.types.set(p.rawType, type);
    }
    const loc = this.locations.idFor(p.lat, p.lon);
    const second = Math.floor(utc / 1000);
    let duplicateOf: number | null = null;
    if (t.hadEvents) {
      const matches = this.existing.all(
        t.datasetId,
        type,
        second * 1000,
        second * 1000 + 1000,
        loc,
        t.importId,
      );
      for (const m of matches) {
        if (m.utcMs === utc && m.sourceId === p.sourceId) {
          // The very event an earlier import stored (an overlapping file): re-importing adds nothing.
          this.counts.skippedExisting++;
          return;
        }
      }
      if (matches.length) duplicateOf = matches[0].id;
    }
    const first = this.dedup.add(second, TYPE_INDEX[type], loc);
    if (duplicateOf === null && first >= 0) duplicateOf = this.baseId + first;

    const v = this.events.values;
    const o = this.events.next();
    v[o] = line;
    v[o + 1] = p.sourceId;
    v[o + 2] = utc;
    v[o + 3] = local;
    v[o + 4] = p.lat;
    v[o + 5] = p.lon;
    v[o + 6] = loc;
    v[o + 7] = type;
    v[o + 8] = p.rawType;
    v[o + 9] = p.rounds;
    v[o + 10] = duplicateOf;
    v[o + 11] = raw;

    const c = this.counts;
    c.imported++;
    c.byType[type]++;
    if (duplicateOf !== null) c.duplicates++;
    if (utc < this.minUtc) {
      this.minUtc = utc;
      c.from = local;
    }
    if (utc > this.maxUtc) {
      this.maxUtc = utc;
      c.to = local;
    }
  }

  /** Writes what is buffered; returns the counts. Throws if the file never showed a header. */
  finish(): SessionCounts {
    if (!this.target) {
      throw new DataError(
        this.format
          ? `no header row for the ${this.format.name} format found`
          : "cannot tell the file's format: no header with latitude, longitude and date columns; name the format with --format or the columns with --map",
        { file: this.o.file },
      );
    }
    this.events.flush();
    this.rejects.flush();
    // Duplicates point at ids predicted as MAX(id) + 1 onwards; make sure SQLite numbered them so.
    const n = this.dedup.size;
    if (n > 0 && maxEventId(this.o.db) !== this.baseId + n - 1) {
      throw new Error(
        `event ids are not the ${n} predicted from ${this.baseId}: duplicate links would be wrong`,
      );
    }
    return this.counts;
  }

  private findHeader(cells: Cell[], line: number): void {
    this.sheetRowsSeen++;
    let spec: FormatSpec | null = null;
    if (this.format) {
      // A known format binds to its header, or else to the first row that looks like any header, so
      // that bind can name the column that is missing (a title block has one text cell per row).
      if (this.format.matches(normHeader(cells)) || textCells(cells) >= 2) spec = this.format;
    } else {
      const norm = normHeader(cells);
      spec = FORMATS.find((f) => f.matches(norm)) ?? null;
      if (!spec && this.sheetRowsSeen >= HEADER_SEARCH_ROWS) {
        throw new DataError(
          `cannot tell the file's format: no header with latitude, longitude and date columns in the first ${HEADER_SEARCH_ROWS} rows; name the format with --format or the columns with --map`,
          { file: this.where(), line },
        );
      }
    }
    if (!spec) return;
    this.binding = spec.bind(cells, { file: this.where(), line, map: this.o.map });
    if (this.sheet !== null) this.counts.sheets[this.counts.sheets.length - 1].header = line;
    if (!this.target) {
      this.format = spec;
      this.columns = this.binding.columns;
      this.target = this.o.open(spec);
      this.setUp();
    }
  }

  private setUp(): void {
    const db = this.o.db;
    this.locations = new LocationCache(db);
    const ids = { dataset_id: this.target!.datasetId, import_id: this.target!.importId };
    this.events = new BatchInserter(db, 'events', EVENT_COLUMNS, ids, 100);
    this.rejects = new BatchInserter(db, 'rejects', REJECT_COLUMNS, ids, 50);
    this.existing = existingMatchesStatement(db);
    this.baseId = maxEventId(db) + 1;
  }

  private reject(line: number, raw: string, r: Rejection): void {
    const c = this.counts;
    c.rejected++;
    c.rejectsByReason[r.reason] = (c.rejectsByReason[r.reason] ?? 0) + 1;
    const v = this.rejects.values;
    const o = this.rejects.next();
    v[o] = line;
    v[o + 1] = r.column ?? null;
    v[o + 2] = raw;
    v[o + 3] = r.reason;
    const detail = this.sheet === null ? r.detail : `sheet '${this.sheet}'${r.detail ? `: ${r.detail}` : ''}`;
    v[o + 4] = detail ?? null;
  }

  private where(): string {
    return this.sheet === null ? this.o.file : `${this.o.file} (sheet '${this.sheet}')`;
  }
}

/** Cells holding text that is not a number: a header row has several, a title row one. */
function textCells(cells: readonly Cell[]): number {
  let n = 0;
  for (const c of cells) if (typeof c === 'string' && c.trim() !== '' && !Number.isFinite(Number(c))) n++;
  return n;
}
