import { EVENT_TYPES, type EventType } from '../../shared/types.ts';
import { DataError } from '../util/errors.ts';
import { BATCH_ROWS, newBatch, type RowBatch } from './batch.ts';
import { DuplicateIndex } from './dedup.ts';
import { normHeader } from './formats/columns.ts';
import { generic } from './formats/generic.ts';
import { FORMATS } from './formats/index.ts';
import { emptyRow, type Binding, type FormatSpec, type ParsedRow } from './formats/types.ts';
import { checkCoordinates, normaliseType } from './normalise.ts';
import type { Cell, RowSink } from './read/rows.ts';
import type { RejectReason, Rejection } from './rejects.ts';
import { formatNaive } from './time/parse.ts';
import type { ZoneConverter } from '../time/zone.ts';

/** How many leading rows of a sheet may precede the header (the FOIA workbook has a title block). */
const HEADER_SEARCH_ROWS = 30;
/** Stored type codes: the index in EVENT_TYPES. */
const TYPE_INDEX = Object.fromEntries(EVENT_TYPES.map((t, i) => [t, i])) as Record<EventType, number>;
const UNKNOWN = TYPE_INDEX.unknown;

/** Where the rows go, decided once the format is known (the dataset's zone may come from the format). */
export interface Target {
  zone: ZoneConverter;
  /** The id SQLite will give the first event written (MAX(id) + 1): duplicates point at predicted ids. */
  baseEventId: number;
  /**
   * Present when the dataset already held events: the events of earlier imports with this type code,
   * whole UTC second and location (micro-degrees), by id. Rows are then checked against them too.
   */
  existing?: (typeCode: number, second: number, latE6: number, lonE6: number) => ExistingEvent[];
}

export interface ExistingEvent {
  id: number;
  sourceId: string | null;
  utcMs: number;
}

export interface SessionOptions {
  file: string;
  /** See DuplicateIndex; default its own. */
  dedupGeneration?: number;
  /** A format forced by --format, or generic when --map is given. */
  format?: FormatSpec;
  map?: Record<string, string>;
  /** Rows dated after this instant are rejected as future dates. */
  nowMs: number;
  /** Called once, at the first header, to create or open the dataset and import record. */
  open: (format: FormatSpec) => Target;
  /** Receives each full batch of output, and the last one from `finish`. */
  emit: (batch: RowBatch) => void;
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
 * duplicates and hands the rows over in batches. It touches no database itself, so it can run in a
 * parsing worker as well as on the thread that writes.
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
  private readonly dedup: DuplicateIndex;
  private batch: RowBatch = newBatch();
  private baseId = 0;
  private minUtc = Infinity;
  private minOffset = 0;
  private maxUtc = -Infinity;
  private maxOffset = 0;

  constructor(private readonly o: SessionOptions) {
    this.format = o.format ?? (o.map ? generic : null);
    this.dedup = new DuplicateIndex(o.dedupGeneration);
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
    const bad = b.map(cells, p);
    if (bad) return this.reject(line, raw, bad);
    if (p.naive !== p.naive) {
      return this.reject(line, raw, { reason: 'bad_date', column: b.columns.datetime ?? b.columns.date });
    }
    const badCoords = checkCoordinates(p.lat, p.lon, b.latColumn, b.lonColumn);
    if (badCoords) return this.reject(line, raw, badCoords);
    const t = this.target!;
    const zone = t.zone;
    let utc: number;
    let offsetMs: number;
    if (p.offsetMinutes === null) {
      utc = zone.toUtc(p.naive);
      const kind = zone.lastKind;
      if (kind === 'exact') offsetMs = p.naive - utc;
      else if (kind === 'gap') {
        // Shifted forward by the gap: the wall clock reads the later offset's time.
        this.counts.dstGapShifted++;
        offsetMs = zone.offsetAt(utc);
      } else {
        this.counts.dstFoldEarlier++;
        offsetMs = p.naive - utc;
      }
    } else {
      utc = p.naive - p.offsetMinutes * 60_000;
      offsetMs = zone.offsetAt(utc);
    }
    if (utc > this.o.nowMs) {
      return this.reject(line, raw, {
        reason: 'future_date',
        column: b.columns.datetime ?? b.columns.date,
        detail: formatNaive(utc + offsetMs),
      });
    }
    let type = this.types.get(p.rawType);
    if (type === undefined) {
      type = normaliseType(p.rawType);
      this.types.set(p.rawType, type);
    }
    const code = TYPE_INDEX[type];
    const latE6 = Math.round(p.lat * 1e6);
    const lonE6 = Math.round(p.lon * 1e6);
    const second = Math.floor(utc / 1000);
    let duplicateOf = NaN;
    if (t.existing) {
      const matches = t.existing(code, second, latE6, lonE6);
      for (const m of matches) {
        if (m.utcMs === utc && m.sourceId === p.sourceId) {
          // The very event an earlier import stored (an overlapping file): re-importing adds nothing.
          this.counts.skippedExisting++;
          return;
        }
      }
      if (matches.length) duplicateOf = matches[0].id;
    }
    const first = this.dedup.add(second, code, latE6, lonE6);
    if (duplicateOf !== duplicateOf && first >= 0) duplicateOf = this.baseId + first;
    if (this.dedup.lastUnsure) this.batch.unsure.push(this.baseId + this.dedup.size - 1);

    const out = this.batch;
    const i = out.n++;
    out.line[i] = line;
    out.sourceId[i] = p.sourceId;
    out.utcMs[i] = utc;
    out.offsetS[i] = offsetMs / 1000;
    out.lat[i] = p.lat;
    out.lon[i] = p.lon;
    out.typeCode[i] = code;
    // A recognised spelling is in the raw row; only one that could not be read is kept apart.
    out.rawType[i] = code === UNKNOWN ? p.rawType : null;
    out.rounds[i] = p.rounds ?? NaN;
    out.duplicateOf[i] = duplicateOf;
    out.raw[i] = raw;
    if (out.n === BATCH_ROWS) this.emit();

    const c = this.counts;
    c.imported++;
    c.byType[type]++;
    if (duplicateOf === duplicateOf) c.duplicates++;
    if (utc < this.minUtc) {
      this.minUtc = utc;
      this.minOffset = offsetMs;
    }
    if (utc > this.maxUtc) {
      this.maxUtc = utc;
      this.maxOffset = offsetMs;
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
    this.emit();
    const c = this.counts;
    if (this.minUtc <= this.maxUtc) {
      c.from = formatNaive(this.minUtc + this.minOffset);
      c.to = formatNaive(this.maxUtc + this.maxOffset);
    }
    return c;
  }

  /** Events handed over; they get the ids Target.baseEventId onwards (checked by the importer). */
  get eventCount(): number {
    return this.dedup.size;
  }

  private emit(): void {
    const b = this.batch;
    this.batch = newBatch();
    this.o.emit(b);
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
    this.baseId = this.target!.baseEventId;
  }

  private reject(line: number, raw: string, r: Rejection): void {
    const c = this.counts;
    c.rejected++;
    c.rejectsByReason[r.reason] = (c.rejectsByReason[r.reason] ?? 0) + 1;
    const detail = this.sheet === null ? r.detail : `sheet '${this.sheet}'${r.detail ? `: ${r.detail}` : ''}`;
    const rejects = this.batch.rejects;
    rejects.push({ line, column: r.column ?? null, raw, reason: r.reason, detail: detail ?? null });
    if (rejects.length === BATCH_ROWS) this.emit();
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
