import {
  excelSerialToNaive,
  excelTimeToMs,
  parseIsoDateTime,
  parseTimeOfDay,
  parseUsDate,
} from '../time/parse.ts';
import type { Cell } from '../read/rows.ts';
import { hasAll, headerName, isEmpty, num, requireColumn, text } from './columns.ts';
import type { FormatSpec } from './types.ts';

const DAY = 86_400_000;

/**
 * DC MPD's own files: the 2014-17 and 2018 Q1-Q2 workbooks (one sheet per year; `Date` an Excel serial
 * day, `Time` an Excel fraction of a day) and the 2018 Q3 CSV (`M/D/YYYY` and `H:MM:SS` text). The
 * coordinate columns are `Lat (100)`/`Lon (100)` in 2014-17 and `Latitude`/`Longitude` in 2018.
 */
export const mpdRaw: FormatSpec = {
  name: 'mpd-raw',
  description: 'DC MPD ShotSpotter release as published (ID, Type, Date, Time, Source, Lat/Lon), XLSX or CSV',
  city: 'Washington DC',
  tz: 'America/New_York',
  matches: (h) =>
    hasAll(h, ['id', 'type', 'date', 'time', 'source']) &&
    (h.includes('latitude') || h.includes('lat100')) &&
    (h.includes('longitude') || h.includes('lon100')),
  bind(header, ctx) {
    const f = 'mpd-raw';
    const iId = requireColumn(header, ['id'], 'ID', f, ctx);
    const iType = requireColumn(header, ['type'], 'Type', f, ctx);
    const iDate = requireColumn(header, ['date'], 'Date', f, ctx);
    const iTime = requireColumn(header, ['time'], 'Time', f, ctx);
    const iLat = requireColumn(header, ['latitude', 'lat100'], 'Latitude', f, ctx);
    const iLon = requireColumn(header, ['longitude', 'lon100'], 'Longitude', f, ctx);
    const names = {
      id: headerName(header, iId),
      type: headerName(header, iType),
      date: headerName(header, iDate),
      time: headerName(header, iTime),
      lat: headerName(header, iLat),
      lon: headerName(header, iLon),
    };
    const need = Math.max(iId, iType, iDate, iTime, iLat, iLon) + 1;
    return {
      latColumn: names.lat,
      lonColumn: names.lon,
      columns: names,
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        if (isEmpty(cells[iDate])) return { reason: 'missing_field', column: names.date };
        if (isEmpty(cells[iTime])) return { reason: 'missing_field', column: names.time };
        const type = text(cells[iType]);
        if (type === '') return { reason: 'missing_field', column: names.type };
        const day = dateOf(cells[iDate]);
        const time = timeOf(cells[iTime]);
        out.naive = day + time;
        out.offsetMinutes = null;
        out.rawType = type;
        const id = text(cells[iId]);
        out.sourceId = id === '' ? null : id;
        out.lat = num(cells[iLat]);
        out.lon = num(cells[iLon]);
        out.rounds = null;
        return null;
      },
    };
  },
};

function dateOf(c: Cell): number {
  if (typeof c === 'number') {
    // A whole serial day; a fraction would be a time, which this format keeps in its own column.
    return c === Math.floor(c) ? excelSerialToNaive(c, DAY) : NaN;
  }
  const t = text(c);
  return t.includes('/') ? parseUsDate(t) : parseIsoDateTime(t);
}

function timeOf(c: Cell): number {
  // MPD's times are whole seconds stored as day fractions; rounding removes the float noise.
  if (typeof c === 'number') return excelTimeToMs(c, 1000);
  return parseTimeOfDay(text(c));
}
