import type { Hash } from 'node:crypto';
import { ZoneConverter } from '../time/zone.ts';
import { formatByName } from './formats/index.ts';
import type { FormatName } from './formats/types.ts';
import { datasetZone } from './normalise.ts';
import type { RowBatch } from './batch.ts';
import { ImportSession, type SessionCounts, type Target } from './session.ts';

/** Everything a parse needs besides the database: plain data, so it can be handed to a worker. */
export interface ParseJob {
  file: string;
  /** The file is gzip-compressed (streamed through gunzip). */
  gzip: boolean;
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
  /** See ImportOptions.dedupGeneration. */
  dedupGeneration?: number;
}

export interface ParseResult {
  counts: SessionCounts;
  /** Events handed to the writer. */
  events: number;
  format: FormatName;
  columns: Record<string, string>;
  sha256: string;
}

/**
 * The session a job describes, on whichever thread parses it. `opened` is told the dataset's format
 * and zone at the first header (to open it, or to tell the thread that does) and may add the
 * lookup of earlier imports' events.
 */
export function sessionFor(
  job: ParseJob,
  opened: (format: FormatName, zone: { tz: string; city: string }) => Pick<Target, 'existing'>,
  emit: (batch: RowBatch) => void,
): ImportSession {
  return new ImportSession({
    file: job.file,
    format: job.format ? formatByName(job.format) : undefined,
    map: job.map,
    nowMs: job.nowMs,
    dedupGeneration: job.dedupGeneration,
    open: (spec) => {
      const zone = datasetZone(spec, job);
      return {
        zone: new ZoneConverter(zone.tz),
        baseEventId: job.baseEventId,
        ...opened(spec.name, zone),
      };
    },
    emit,
  });
}

/** What a finished session parsed, with the file's hash. */
export function resultOf(session: ImportSession, counts: SessionCounts, hash: Hash): ParseResult {
  return {
    counts,
    events: session.eventCount,
    format: session.format!.name,
    columns: session.columns,
    sha256: hash.digest('hex'),
  };
}
