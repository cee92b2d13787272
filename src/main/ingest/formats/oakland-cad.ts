import { parseUsDateTime } from '../time/parse.ts';
import { findColumn, hasAll, headerName, isEmpty, normHeader, num, requireColumn, text } from './columns.ts';
import type { FormatSpec } from './types.ts';

/**
 * Oakland PD CAD dispatches of ShotSpotter calls (via Justice Tech Lab): `OBJECTID, CAD_, BEAT,
 * DATE___TIM (M/D/YY H:MM), ADDRESS, CALL_ID, DESCRIPTIO, Xrough, Yrough, XCOORD (lon), YCOORD (lat)`.
 * A call is not a classified detection, so every event is `unknown` (the description is kept raw).
 * Addresses the CAD could not geocode carry Xrough = Yrough = 0 and the point (30.0099, -141.218751)
 * in the Pacific: those rows are rejected as placeholder coordinates.
 */
export const oaklandCad: FormatSpec = {
  name: 'oakland-cad',
  description: 'Oakland PD CAD ShotSpotter dispatches (OBJECTID, CAD_, BEAT, DATE___TIM, …, XCOORD, YCOORD)',
  city: 'Oakland',
  tz: 'America/Los_Angeles',
  matches: (h) => hasAll(h, ['cad', 'datetim', 'xcoord', 'ycoord']),
  bind(header, ctx) {
    const f = 'oakland-cad';
    const iCad = requireColumn(header, ['cad'], 'CAD_', f, ctx);
    const iTime = requireColumn(header, ['datetim'], 'DATE___TIM', f, ctx);
    const iLat = requireColumn(header, ['ycoord'], 'YCOORD', f, ctx);
    const iLon = requireColumn(header, ['xcoord'], 'XCOORD', f, ctx);
    const norm = normHeader(header);
    const iDesc = findColumn(norm, ['descriptio', 'description']);
    const iXr = findColumn(norm, ['xrough']);
    const iYr = findColumn(norm, ['yrough']);
    const timeCol = headerName(header, iTime);
    const latColumn = headerName(header, iLat);
    const lonColumn = headerName(header, iLon);
    const need = Math.max(iCad, iTime, iLat, iLon) + 1;
    return {
      latColumn,
      lonColumn,
      columns: { id: headerName(header, iCad), datetime: timeCol, lat: latColumn, lon: lonColumn },
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        if (isEmpty(cells[iTime])) return { reason: 'missing_field', column: timeCol };
        out.naive = parseUsDateTime(text(cells[iTime]));
        out.offsetMinutes = null;
        const id = text(cells[iCad]);
        out.sourceId = id === '' ? null : id;
        out.rawType = iDesc >= 0 ? text(cells[iDesc]) || null : null;
        out.rounds = null;
        out.lat = num(cells[iLat]);
        out.lon = num(cells[iLon]);
        const ungeocoded = iXr >= 0 && iYr >= 0 && num(cells[iXr]) === 0 && num(cells[iYr]) === 0;
        if (ungeocoded || (out.lat === 30.0099 && out.lon === -141.218751)) {
          return {
            reason: 'placeholder_coordinates',
            detail: `(${out.lat}, ${out.lon}), Xrough = Yrough = 0`,
          };
        }
        return null;
      },
    };
  },
};
