import type { LocationSeed } from '../db/queries/ingest.ts';
import type { FormatName } from './formats/types.ts';
import type { SessionCounts } from './session.ts';

/** Everything a parse needs besides the database: plain data, so it can be handed to a worker. */
export interface ParseJob {
  file: string;
  /** A format forced by --format. */
  format?: FormatName;
  map?: Record<string, string>;
  nowMs: number;
  /** The dataset's zone and city when it exists already. */
  existing?: { tz: string; city: string };
  /** --tz and --city. */
  tz?: string;
  city?: string;
  /** The id SQLite will give the first event (MAX(id) + 1, read inside the import's transaction). */
  baseEventId: number;
  locations: LocationSeed;
}

export interface ParseResult {
  counts: SessionCounts;
  /** Events handed to the writer. */
  events: number;
  format: FormatName;
  columns: Record<string, string>;
  sha256: string;
}
