import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { DataError } from '../../util/errors.ts';
import { openContent, type OnRawBytes } from './source.ts';

/** Receives one CSV record: its fields, the physical line it starts on (1-based) and its raw text. */
export type CsvRowHandler = (fields: string[], line: number, raw: string) => void;

export interface CsvReadOptions {
  /** The file is gzip-compressed: decompress it as it streams. */
  gzip?: boolean;
  /** Called with each chunk of bytes as stored (compressed for a .gz), the running count and the file size. */
  onChunk?: OnRawBytes;
  chunkBytes?: number;
  /** Awaited before each chunk is parsed when it returns a promise: lets a consumer that lags behind apply back-pressure. */
  pause?: () => Promise<void> | undefined;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Streams an RFC 4180 CSV file (UTF-8, optional BOM, LF or CRLF, quoted fields with "" escapes and
 * embedded newlines), plain or gzipped, record by record in constant memory. Blank lines are skipped.
 *
 * The scan works on decoded string chunks with native `indexOf` for the common unquoted line and a
 * character state machine only for lines that contain a quote: no regular expression, no per-row
 * allocation beyond the fields themselves.
 */
export async function readCsv(file: string, onRow: CsvRowHandler, opts: CsvReadOptions = {}): Promise<void> {
  let total: number;
  try {
    total = (await stat(file)).size;
  } catch (e) {
    throw new DataError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
    });
  }
  const decoder = new StringDecoder('utf8');
  const parser = new CsvParser(file, onRow);
  const content = openContent(file, {
    gzip: opts.gzip ?? false,
    onRaw: opts.onChunk,
    totalBytes: total,
    chunkBytes: opts.chunkBytes,
  });
  const chunks = content[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let read = 0;
  try {
    for (;;) {
      const wait = opts.pause?.();
      if (wait) await wait;
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (e) {
        // Only the read itself is reported as a read error; a row handler's error passes unchanged.
        if (e instanceof DataError) throw e;
        throw new DataError(
          `cannot read file after ${read} bytes: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          { file, line: parser.line },
        );
      }
      if (next.done) break;
      read += next.value.length;
      parser.push(decoder.write(next.value), false);
    }
  } finally {
    content.destroy();
  }
  parser.push(decoder.end(), true);
}

/** Incremental parser: feed it decoded text; it calls `onRow` for every complete record. */
export class CsvParser {
  /** Physical line number where the unparsed text starts. */
  line = 1;
  private rest = '';
  private first = true;

  constructor(
    private readonly file: string,
    private readonly onRow: CsvRowHandler,
  ) {}

  push(chunk: string, final: boolean): void {
    let s = this.rest.length ? this.rest + chunk : chunk;
    if (this.first && s.length) {
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      this.first = false;
    }
    if (final && s.length && s.charCodeAt(s.length - 1) !== LF) s += '\n';
    const n = s.length;
    let pos = 0;
    let nextQuote = s.indexOf('"');
    if (nextQuote < 0) nextQuote = n;
    while (pos < n) {
      const nl = s.indexOf('\n', pos);
      if (nl < 0) break;
      if (nextQuote < pos) {
        nextQuote = s.indexOf('"', pos);
        if (nextQuote < 0) nextQuote = n;
      }
      if (nextQuote > nl) {
        // Fast path: a line without quotes.
        let end = nl;
        if (end > pos && s.charCodeAt(end - 1) === CR) end--;
        if (end > pos) this.onRow(splitPlain(s, pos, end), this.line, s.slice(pos, end));
        this.line++;
        pos = nl + 1;
        continue;
      }
      const consumed = this.quotedRecord(s, pos, final);
      if (consumed < 0) break;
      pos = consumed;
    }
    this.rest = pos < n ? s.slice(pos) : '';
    if (final && this.rest.length) {
      throw new DataError('unterminated quoted field at end of file', { file: this.file, line: this.line });
    }
  }

  /** Parses one record that contains quotes; returns the position after it, or -1 if incomplete. */
  private quotedRecord(s: string, start: number, final: boolean): number {
    const fields: string[] = [];
    const n = s.length;
    let i = start;
    let lines = 0;
    for (;;) {
      if (s.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q < 0) {
            if (final) {
              throw new DataError('unterminated quoted field', { file: this.file, line: this.line });
            }
            return -1;
          }
          if (q + 1 >= n) return -1;
          if (s.charCodeAt(q + 1) === QUOTE) {
            value += s.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += s.slice(from, q);
          i = q + 1;
          break;
        }
        for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) lines++;
        // Text between the closing quote and the separator (`"a"b,`) is kept, as spreadsheets do.
        let j = i;
        while (j < n && s.charCodeAt(j) !== COMMA && s.charCodeAt(j) !== LF) j++;
        if (j >= n) return -1;
        let tail = s.slice(i, j);
        if (tail.endsWith('\r')) tail = tail.slice(0, -1);
        fields.push(value + tail);
        i = j;
      } else {
        let j = i;
        while (j < n && s.charCodeAt(j) !== COMMA && s.charCodeAt(j) !== LF) j++;
        if (j >= n) return -1;
        let end = j;
        if (s.charCodeAt(j) === LF && end > i && s.charCodeAt(end - 1) === CR) end--;
        fields.push(s.slice(i, end));
        i = j;
      }
      if (s.charCodeAt(i) === COMMA) {
        i++;
        continue;
      }
      // At a line feed: the record is complete.
      let rawEnd = i;
      if (rawEnd > start && s.charCodeAt(rawEnd - 1) === CR) rawEnd--;
      this.onRow(fields, this.line, s.slice(start, rawEnd));
      this.line += lines + 1;
      return i + 1;
    }
  }
}

function splitPlain(s: string, start: number, end: number): string[] {
  const out: string[] = [];
  let p = start;
  for (;;) {
    const c = s.indexOf(',', p);
    if (c < 0 || c >= end) {
      out.push(s.slice(p, end));
      return out;
    }
    out.push(s.slice(p, c));
    p = c + 1;
  }
}
