import { DataError, UsageError } from '../../util/errors.ts';
import {
  excelSerialToNaive,
  excelTimeToMs,
  parseAnyDateTime,
  parseTimeOfDay,
  type ZoneMark,
} from '../time/parse.ts';
import type { Cell } from '../read/rows.ts';
import { dateTimeCell, findColumn, headerName, isEmpty, normName, normHeader, num, text } from './columns.ts';
import type { BindContext, FormatSpec } from './types.ts';

/** Fields a generic file can supply, with the header names (normalised) that find them, best first. */
export const GENERIC_FIELDS = {
  lat: ['latitude', 'lat', 'y', 'ycoord', 'latitude100meter', 'lat100'],
  lon: ['longitude', 'lon', 'lng', 'long', 'x', 'xcoord', 'longitude100meter', 'lon100'],
  datetime: [
    'datetime',
    'timestamp',
    'datetimelocal',
    'eventdatetime',
    'incidentdatetime',
    'occurred',
    'occurredat',
  ],
  date: ['date', 'eventdate', 'incidentdate'],
  time: ['time', 'eventtime', 'incidenttime'],
  type: ['type', 'incidenttype', 'eventtype', 'description', 'classification'],
  id: ['id', 'incidentid', 'eventid', 'incidentnumber'],
  rounds: ['rounds', 'numshots', 'shots', 'numberofrounds'],
} as const;
export type GenericField = keyof typeof GENERIC_FIELDS;

/**
 * Any CSV or workbook with a latitude, a longitude and a date-time (one column, or a date column plus a
 * time column); type, id and rounds are optional. Columns are found by common names, and `--map
 * field=column` overrides any of them.
 */
export const generic: FormatSpec = {
  name: 'generic',
  description: 'any CSV/XLSX with latitude, longitude and datetime (or date + time) columns; --map overrides',
  matches(h) {
    const cols = locate(h, {});
    return cols.lat >= 0 && cols.lon >= 0 && (cols.datetime >= 0 || cols.date >= 0);
  },
  bind(header, ctx) {
    const norm = normHeader(header);
    const cols = locate(norm, ctx.map ?? {}, header, ctx);
    const missing = (field: string) =>
      new DataError(
        `no ${field} column found (header: ${header.filter((h) => h !== null).join(', ')}); name it with --map ${field}=COLUMN`,
        { file: ctx.file, line: ctx.line, column: field },
      );
    if (cols.lat < 0) throw missing('lat');
    if (cols.lon < 0) throw missing('lon');
    if (cols.datetime < 0 && cols.date < 0) throw missing('datetime');
    const name = (i: number) => (i >= 0 ? headerName(header, i) : '');
    const columns: Record<string, string> = {};
    for (const f of Object.keys(cols) as GenericField[]) if (cols[f] >= 0) columns[f] = name(cols[f]);
    const latColumn = columns.lat;
    const lonColumn = columns.lon;
    const useDateTime = cols.datetime >= 0;
    const required = useDateTime ? [cols.lat, cols.lon, cols.datetime] : [cols.lat, cols.lon, cols.date];
    const need = Math.max(...required) + 1;
    const mark: ZoneMark = { offsetMinutes: null };
    return {
      latColumn,
      lonColumn,
      columns,
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        for (const i of required) if (isEmpty(cells[i])) return { reason: 'missing_field', column: name(i) };
        if (useDateTime) {
          out.naive = dateTimeCell(cells[cols.datetime], mark);
          out.offsetMinutes = mark.offsetMinutes;
        } else {
          out.naive = dateOnly(cells[cols.date]) + (cols.time >= 0 ? timeOnly(cells[cols.time]) : 0);
          out.offsetMinutes = null;
        }
        out.lat = num(cells[cols.lat]);
        out.lon = num(cells[cols.lon]);
        out.rawType = cols.type >= 0 ? text(cells[cols.type]) || null : null;
        out.sourceId = cols.id >= 0 ? text(cells[cols.id]) || null : null;
        out.rounds = null;
        if (cols.rounds >= 0 && !isEmpty(cells[cols.rounds])) {
          const r = num(cells[cols.rounds]);
          if (!Number.isInteger(r) || r < 0) return { reason: 'bad_rounds', column: name(cols.rounds) };
          out.rounds = r;
        }
        return null;
      },
    };
  },
};

function locate(
  norm: readonly string[],
  map: Record<string, string>,
  header?: readonly Cell[],
  ctx?: BindContext,
): Record<GenericField, number> {
  const out = {} as Record<GenericField, number>;
  for (const f of Object.keys(GENERIC_FIELDS) as GenericField[]) {
    out[f] = findColumn(norm, GENERIC_FIELDS[f]);
  }
  for (const [field, column] of Object.entries(map)) {
    if (!(field in GENERIC_FIELDS)) {
      throw new UsageError(
        `--map ${field}=${column}: unknown field '${field}'; fields are ${Object.keys(GENERIC_FIELDS).join(', ')}`,
      );
    }
    let i = header ? header.findIndex((h) => h !== null && String(h).trim() === column) : -1;
    if (i < 0) i = norm.indexOf(normName(column));
    if (i < 0 && header && ctx) {
      throw new DataError(
        `--map ${field}=${column}: no such column (header: ${header.filter((h) => h !== null).join(', ')})`,
        { file: ctx.file, line: ctx.line, column },
      );
    }
    out[field as GenericField] = i;
  }
  // A date-time mapped explicitly wins over date + time found by name, and vice versa.
  if (map.date && !map.datetime) out.datetime = -1;
  return out;
}

function dateOnly(c: Cell): number {
  if (typeof c === 'number') return excelSerialToNaive(Math.floor(c), 86_400_000);
  return parseAnyDateTime(text(c));
}

function timeOnly(c: Cell): number {
  if (isEmpty(c)) return 0;
  if (typeof c === 'number') return excelTimeToMs(c - Math.floor(c), 1000);
  return parseTimeOfDay(text(c));
}
