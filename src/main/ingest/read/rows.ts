/** One cell as the readers deliver it: CSV gives text; XLSX also gives numbers (including date serials). */
export type Cell = string | number | null;

/** Receives the rows of a file; for a workbook, `startSheet` precedes each sheet's rows. */
export interface RowSink {
  startSheet?: (name: string) => void;
  /** `line` is the 1-based line (CSV) or row number (XLSX); `raw` is the row's text as it is stored in rejects and events. */
  row: (cells: Cell[], line: number, raw: string) => void;
}

/** The raw text of a workbook row, written as a CSV line so it reads like the CSV sources. */
export function rawFromCells(cells: readonly Cell[]): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i) out += ',';
    const c = cells[i];
    if (c === null) continue;
    const t = typeof c === 'number' ? String(c) : c;
    out += /[",\n\r]/.test(t) ? '"' + t.replace(/"/g, '""') + '"' : t;
  }
  return out;
}

/** Text of a cell, trimmed; '' for an empty cell. */
export function cellText(c: Cell | undefined): string {
  if (c === null || c === undefined) return '';
  return typeof c === 'number' ? String(c) : c.trim();
}

/**
 * Thrown by a row sink to stop reading early (a preview has what it needs); the readers let it
 * through unchanged, and the caller catches it.
 */
export class StopReading extends Error {
  override name = 'StopReading';
}
