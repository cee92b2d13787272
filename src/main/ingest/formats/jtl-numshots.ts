import { naiveFromParts } from '../time/parse.ts';
import { hasAll, headerName, isEmpty, num, requireColumn, text } from './columns.ts';
import type { FormatSpec } from './types.ts';

const PARTS = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/**
 * Justice Tech Lab's DC file as re-shared with its type column removed: `incidentid, latitude, longitude,
 * year, month, day, hour, minute, second, numshots`. The second carries a fraction; numshots is the
 * number of rounds detected. There is no type, so every event is `unknown`.
 */
export const jtlNumshots: FormatSpec = {
  name: 'jtl-numshots',
  description: 'Justice Tech Lab numshots CSV (incidentid, latitude, longitude, year..second, numshots)',
  city: 'Washington DC',
  tz: 'America/New_York',
  matches: (h) => hasAll(h, ['latitude', 'longitude', ...PARTS, 'numshots']),
  bind(header, ctx) {
    const f = 'jtl-numshots';
    const iId = requireColumn(header, ['incidentid'], 'incidentid', f, ctx);
    const iLat = requireColumn(header, ['latitude'], 'latitude', f, ctx);
    const iLon = requireColumn(header, ['longitude'], 'longitude', f, ctx);
    const iParts = PARTS.map((p) => requireColumn(header, [p], p, f, ctx));
    const iShots = requireColumn(header, ['numshots'], 'numshots', f, ctx);
    const partNames = iParts.map((i) => headerName(header, i));
    const shotsCol = headerName(header, iShots);
    const latColumn = headerName(header, iLat);
    const lonColumn = headerName(header, iLon);
    const need = Math.max(iId, iLat, iLon, iShots, ...iParts) + 1;
    const [iY, iMo, iD, iH, iMi, iS] = iParts;
    return {
      latColumn,
      lonColumn,
      columns: { id: headerName(header, iId), lat: latColumn, lon: lonColumn, rounds: shotsCol },
      map(cells, out) {
        if (cells.length < need) {
          return { reason: 'missing_field', detail: `row has ${cells.length} of ${need} columns` };
        }
        for (let k = 0; k < iParts.length; k++) {
          if (isEmpty(cells[iParts[k]])) return { reason: 'missing_field', column: partNames[k] };
        }
        const y = num(cells[iY]);
        const mo = num(cells[iMo]);
        const d = num(cells[iD]);
        const h = num(cells[iH]);
        const mi = num(cells[iMi]);
        // Float seconds from a float32 column (24.382999): round to the millisecond they were written at.
        const ms = Math.round(num(cells[iS]) * 1000);
        const ints = Number.isInteger(y) && Number.isInteger(mo) && Number.isInteger(d);
        out.naive =
          ints && Number.isInteger(h) && Number.isInteger(mi) && ms >= 0 && ms < 60_000
            ? naiveFromParts(y, mo, d, h, mi, 0, 0) + ms
            : NaN;
        out.offsetMinutes = null;
        const shots = cells[iShots];
        if (isEmpty(shots)) out.rounds = null;
        else {
          const r = num(shots);
          if (!Number.isInteger(r) || r < 0) return { reason: 'bad_rounds', column: shotsCol };
          out.rounds = r;
        }
        const id = text(cells[iId]);
        out.sourceId = id === '' ? null : id;
        out.rawType = null;
        out.lat = num(cells[iLat]);
        out.lon = num(cells[iLon]);
        return null;
      },
    };
  },
};
