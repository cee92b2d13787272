import { excelSerialToNaive, parseIsoDateTime, type ZoneMark } from '../time/parse.ts';
import { hasAll, headerName, isEmpty, num, requireColumn, text } from './columns.ts';
import type { FormatSpec } from './types.ts';

/**
 * DC MPD public release, normalised into one CSV: `ID, TYPE, DATETIME, SOURCE, LATITUDE, LONGITUDE[, RAW]`
 * with ISO local times (`2014-01-01T00:00:02`). This is the bench format, so its mapper stays lean.
 */
export const mpdNormalized: FormatSpec = {
  name: 'mpd-normalized',
  description: 'DC MPD ShotSpotter release, normalized CSV (ID, TYPE, DATETIME, SOURCE, LATITUDE, LONGITUDE)',
  city: 'Washington DC',
  tz: 'America/New_York',
  matches: (h) => hasAll(h, ['id', 'type', 'datetime', 'source', 'latitude', 'longitude']),
  bind(header, ctx) {
    const f = 'mpd-normalized';
    const iId = requireColumn(header, ['id'], 'ID', f, ctx);
    const iType = requireColumn(header, ['type'], 'TYPE', f, ctx);
    const iTime = requireColumn(header, ['datetime'], 'DATETIME', f, ctx);
    const iLat = requireColumn(header, ['latitude'], 'LATITUDE', f, ctx);
    const iLon = requireColumn(header, ['longitude'], 'LONGITUDE', f, ctx);
    const timeCol = headerName(header, iTime);
    const typeCol = headerName(header, iType);
    const latColumn = headerName(header, iLat);
    const lonColumn = headerName(header, iLon);
    const need = Math.max(iId, iType, iTime, iLat, iLon) + 1;
    const mark: ZoneMark = { offsetMinutes: null };
    return {
      latColumn,
      lonColumn,
      columns: {
        id: headerName(header, iId),
        type: typeCol,
        datetime: timeCol,
        lat: latColumn,
        lon: lonColumn,
      },
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        const t = cells[iTime];
        if (isEmpty(t)) return { reason: 'missing_field', column: timeCol };
        if (typeof t === 'number') {
          out.naive = excelSerialToNaive(t, 1000);
          out.offsetMinutes = null;
        } else {
          const s = text(t);
          out.naive = parseIsoDateTime(s, mark);
          out.offsetMinutes = mark.offsetMinutes;
        }
        const type = text(cells[iType]);
        if (type === '') return { reason: 'missing_field', column: typeCol };
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
