/**
 * What an import would read, before anything is written: the detected format, the city and zone it
 * implies, the columns it binds, and the first rows. The app's import form shows this so the analyst
 * can check the zone and map columns (the app's `--map`) before committing.
 */
import type { ImportPreviewValue } from '../../shared/contract.ts';
import { DataError } from '../util/errors.ts';
import { GENERIC_FIELDS } from './formats/generic.ts';
import { FORMATS, formatByName } from './formats/index.ts';
import { normHeader } from './formats/columns.ts';
import type { FormatName, FormatSpec } from './formats/types.ts';
import { readCsv } from './read/csv.ts';
import { cellText, StopReading, type Cell } from './read/rows.ts';
import { sniffFile } from './read/source.ts';
import { readXlsx } from './read/xlsx.ts';

/** The contract's shape (the renderer shows it as is), with the format narrowed to the known ones. */
export type ImportPreview = Omit<ImportPreviewValue, 'format'> & { format: FormatName | null };

const HEADER_SEARCH_ROWS = 30;

/** Reads the first rows of `file` only (it stops early); `displayName` replaces the path in messages. */
export async function previewImport(
  file: string,
  opts: { format?: string; map?: Record<string, string>; rows?: number; displayName?: string } = {},
): Promise<ImportPreview> {
  const forced = opts.format ? formatByName(opts.format) : undefined;
  const want = opts.rows ?? 5;
  const { container, gzip } = await sniffFile(file);
  let seen = 0;
  let header: Cell[] | null = null;
  let headerLine: number | null = null;
  let first: Cell[] | null = null;
  let spec: FormatSpec | null = null;
  const rows: string[][] = [];
  const sink = {
    row(cells: Cell[], line: number) {
      if (header) {
        rows.push(cells.map(cellText));
        if (rows.length >= want) throw new StopReading();
        return;
      }
      seen++;
      first ??= cells;
      const norm = normHeader(cells);
      const found = forced?.matches(norm) ? forced : FORMATS.find((f) => f.matches(norm));
      if (found || (opts.map && seen === 1)) {
        spec = forced ?? found ?? null;
        header = cells;
        headerLine = line;
        return;
      }
      if (seen >= HEADER_SEARCH_ROWS) throw new StopReading();
    },
  };
  try {
    if (container === 'xlsx') {
      // One sheet is enough for a preview: every sheet of a source shares its header.
      let sheets = 0;
      await readXlsx(
        file,
        {
          ...sink,
          startSheet() {
            if (++sheets > 1) throw new StopReading();
          },
        },
        { gzip },
      );
    } else {
      await readCsv(file, (cells, line) => sink.row(cells, line), { gzip });
    }
  } catch (e) {
    if (!(e instanceof StopReading)) throw e;
  }
  const shown = (header ?? first ?? []) as Cell[];
  let columns: Record<string, string> = {};
  let problem: string | null = null;
  const chosen = (spec ?? (opts.map ? formatByName('generic') : null)) as FormatSpec | null;
  if (chosen && header) {
    try {
      columns = chosen.bind(header, {
        file: opts.displayName ?? file,
        line: headerLine ?? 1,
        map: opts.map,
      }).columns;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      problem = e.message;
    }
  } else {
    problem = `no header with latitude, longitude and date columns in the first ${Math.min(seen, HEADER_SEARCH_ROWS)} rows: map the columns`;
  }
  return {
    format: chosen?.name ?? null,
    description: chosen?.description ?? null,
    city: chosen?.city ?? null,
    tz: chosen?.tz ?? null,
    columns,
    fields: Object.keys(GENERIC_FIELDS),
    header: shown.map(cellText),
    headerLine,
    rows: header ? rows : [],
    gzip,
    container,
    problem,
  };
}
