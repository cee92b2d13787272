import type { Cell } from '../read/rows.ts';
import type { Rejection } from '../rejects.ts';

import { SOURCE_FORMATS } from '../../../shared/formats.ts';

export const FORMAT_NAMES = SOURCE_FORMATS;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** What a format's row mapper extracts from one row. Invalid values are NaN; absent ones null. */
export interface ParsedRow {
  sourceId: string | null;
  /** Local wall-clock time as naive ms (see ZoneConverter), NaN when unreadable. */
  naive: number;
  /** Minutes east of UTC when the text carried its own offset; null for local wall time. */
  offsetMinutes: number | null;
  lat: number;
  lon: number;
  rawType: string | null;
  rounds: number | null;
}

export function emptyRow(): ParsedRow {
  return {
    sourceId: null,
    naive: NaN,
    offsetMinutes: null,
    lat: NaN,
    lon: NaN,
    rawType: null,
    rounds: null,
  };
}

/** Fills `out` from a row's cells; returns a rejection when the row cannot be used. */
export type RowMapper = (cells: readonly Cell[], out: ParsedRow) => Rejection | null;

export interface Binding {
  map: RowMapper;
  /** Header spellings of the latitude and longitude columns, for reject reports. */
  latColumn: string;
  lonColumn: string;
  /** The columns found, field → header spelling (shown in the report for generic files). */
  columns: Record<string, string>;
}

export interface BindContext {
  /** Where the header is, for error messages. */
  file: string;
  line: number;
  /** `--map field=column` overrides (generic format). */
  map?: Record<string, string>;
}

export interface FormatSpec {
  name: FormatName;
  description: string;
  /** Default city and IANA zone of the format's publisher, when the format belongs to one city. */
  city?: string;
  tz?: string;
  /** True when a header row is this format's. */
  matches: (header: readonly string[]) => boolean;
  /** Binds the format to a header; throws a DataError naming the missing column. */
  bind: (header: readonly Cell[], ctx: BindContext) => Binding;
}
