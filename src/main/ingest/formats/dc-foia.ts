import { excelSerialToNaive, parseIsoDateTime, type ZoneMark } from '../time/parse.ts';
import { hasAll, headerName, isEmpty, num, requireColumn, text } from './columns.ts';
import type { FormatSpec } from './types.ts';

/**
 * DC's 2006-2013 FOIA release (CSV, or the original workbook whose header sits under a title block):
 * `Coverage Area, Incident ID, Date Time, Type, Longitude-100meter, Latitude-100meter`, times to the ms.
 */
export const dcFoia: FormatSpec = {
  name: 'dc-foia',
  description:
    'DC FOIA 2006-2013 release (Coverage Area, Incident ID, Date Time, Type, Longitude/Latitude-100meter)',
  city: 'Washington DC',
  tz: 'America/New_York',
  matches: (h) => hasAll(h, ['coveragearea', 'incidentid', 'datetime', 'type']),
  bind(header, ctx) {
    const f = 'dc-foia';
    const iId = requireColumn(header, ['incidentid'], 'Incident ID', f, ctx);
    const iTime = requireColumn(header, ['datetime'], 'Date Time', f, ctx);
    const iType = requireColumn(header, ['type'], 'Type', f, ctx);
    const iLat = requireColumn(header, ['latitude100meter', 'latitude'], 'Latitude-100meter', f, ctx);
    const iLon = requireColumn(header, ['longitude100meter', 'longitude'], 'Longitude-100meter', f, ctx);
    const names = {
      id: headerName(header, iId),
      datetime: headerName(header, iTime),
      type: headerName(header, iType),
      lat: headerName(header, iLat),
      lon: headerName(header, iLon),
    };
    const need = Math.max(iId, iTime, iType, iLat, iLon) + 1;
    const mark: ZoneMark = { offsetMinutes: null };
    return {
      latColumn: names.lat,
      lonColumn: names.lon,
      columns: names,
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        const t = cells[iTime];
        if (isEmpty(t)) return { reason: 'missing_field', column: names.datetime };
        const type = text(cells[iType]);
        if (type === '') return { reason: 'missing_field', column: names.type };
        if (typeof t === 'number') {
          out.naive = excelSerialToNaive(t, 1);
          out.offsetMinutes = null;
        } else {
          out.naive = parseIsoDateTime(text(t), mark);
          out.offsetMinutes = mark.offsetMinutes;
        }
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
