import { statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { DataError } from '../../util/errors.ts';
import type { Cell, RowSink } from './rows.ts';
import { rawFromCells, StopReading } from './rows.ts';
import { openContent, type OnRawBytes } from './source.ts';

export interface XlsxReadOptions {
  /** The workbook is gzip-compressed (`.xlsx.gz`). */
  gzip?: boolean;
  /** Called with every chunk of the file as stored on disk, the running count and the size. */
  onBytes?: OnRawBytes;
}

/**
 * Streams every worksheet of an .xlsx workbook row by row (exceljs's streaming reader, with styles
 * ignored so date cells arrive as the Excel serial numbers they are, not as Dates shifted by the
 * reader's guesses). Each sheet starts with `sink.startSheet(name)`.
 */
export async function readXlsx(file: string, sink: RowSink, opts: XlsxReadOptions = {}): Promise<void> {
  try {
    await access(file);
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
    });
  }
  const input = openContent(file, {
    gzip: opts.gzip ?? false,
    onRaw: opts.onBytes,
    totalBytes: statSync(file).size,
  });
  // Loaded here, not at start-up: a CSV import (and its parsing worker) need not carry it.
  const { default: ExcelJS } = await import('exceljs');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  let sheet = '?';
  let line = 0;
  try {
    for await (const ws of reader) {
      const named = ws as unknown as { name?: string; id?: number };
      sheet = named.name ?? `sheet ${named.id ?? '?'}`;
      sink.startSheet?.(sheet);
      for await (const row of ws) {
        line = row.number;
        const values = row.values as unknown[];
        const cells: Cell[] = new Array(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = toCell(values[i]);
        sink.row(cells, line, rawFromCells(cells));
      }
    }
  } catch (e) {
    if (e instanceof DataError || e instanceof StopReading) throw e;
    throw new DataError(`cannot read workbook: ${(e as Error).message}`, {
      file: `${file} (sheet '${sheet}')`,
      line: line || undefined,
    });
  } finally {
    input.destroy();
  }
}

/** Flattens exceljs's cell value shapes (rich text, formula results, errors, hyperlinks) to text or a number. */
export function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return v.getTime() / 86_400_000 + 25_569;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) {
      return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    }
    if ('result' in o) return toCell(o.result);
    if (typeof o.error === 'string') return o.error;
    if (typeof o.text === 'string') return o.text;
  }
  return String(v);
}
