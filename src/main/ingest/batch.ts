/**
 * A block of import output, ready to write: events in columns (typed arrays for numbers, arrays for
 * text), plus the rejects. The session fills one and hands it
 * over when full; in a worker, the typed arrays are transferred to the writing thread without a copy.
 */
export interface RowBatch {
  /** Events in the batch. */
  n: number;
  line: Int32Array;
  utcMs: Float64Array;
  /** The zone's offset at the instant, seconds east of UTC (the local time is utcMs + this). */
  offsetS: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  /** Filled in by the writer (see LocationIds). */
  location: Int32Array;
  /** Index into EVENT_TYPES. */
  typeCode: Uint8Array;
  /** NaN for none. */
  rounds: Float64Array;
  /** Id of the earlier event this one duplicates; NaN for none. */
  duplicateOf: Float64Array;
  sourceId: (string | null)[];
  rawType: (string | null)[];
  raw: string[];
  rejects: RejectRow[];
  /** Ids of events whose duplicate link is to be checked once written (see DuplicateIndex). */
  unsure: number[];
  /** Bytes of the file read when the batch was handed over, the file's size, and data rows read (for progress). */
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
}

export interface RejectRow {
  line: number;
  column: string | null;
  raw: string;
  reason: string;
  detail: string | null;
}

/** A multiple of the writer's rows per statement. */
export const BATCH_ROWS = 4000;

export function newBatch(capacity = BATCH_ROWS): RowBatch {
  return {
    n: 0,
    line: new Int32Array(capacity),
    utcMs: new Float64Array(capacity),
    offsetS: new Int32Array(capacity),
    lat: new Float64Array(capacity),
    lon: new Float64Array(capacity),
    location: new Int32Array(capacity),
    typeCode: new Uint8Array(capacity),
    rounds: new Float64Array(capacity),
    duplicateOf: new Float64Array(capacity),
    sourceId: new Array<string | null>(capacity),
    rawType: new Array<string | null>(capacity),
    raw: new Array<string>(capacity),
    rejects: [],
    unsure: [],
    bytesRead: 0,
    totalBytes: 0,
    rowsRead: 0,
  };
}

/** The typed arrays' buffers, for postMessage's transfer list. */
export function batchBuffers(b: RowBatch): ArrayBuffer[] {
  return [b.line, b.utcMs, b.offsetS, b.lat, b.lon, b.location, b.typeCode, b.rounds, b.duplicateOf].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
