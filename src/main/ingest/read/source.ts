import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataError } from '../../util/errors.ts';

/** What a file holds once any gzip layer is taken off. */
export type Container = 'csv' | 'xlsx';

export interface Sniffed {
  container: Container;
  /** The file is gzip-compressed; readers decompress it as they stream. */
  gzip: boolean;
}

/** Called with every chunk of the file as stored on disk (compressed bytes for a .gz), the running count and the size. */
export type OnRawBytes = (chunk: Buffer, bytesRead: number, totalBytes: number) => void;

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b, 3, 4];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(b: Buffer, magic: number[]): boolean {
  return b.length >= magic.length && magic.every((m, i) => b[i] === m);
}

/**
 * Tells a workbook from text by its first bytes (an .xlsx is a zip; an old .xls an OLE file), looking
 * through a gzip layer when there is one: agencies send `export.csv.gz` and `export.xlsx.gz` alike.
 */
export async function sniffFile(file: string): Promise<Sniffed> {
  const fh = await open(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const gzip = startsWith(head, GZIP);
  if (gzip) head = await firstDecompressedBytes(file, 4);
  if (startsWith(head, OLE)) {
    throw new DataError('legacy .xls workbooks are not supported; save it as .xlsx or CSV', { file });
  }
  return { container: startsWith(head, ZIP) ? 'xlsx' : 'csv', gzip };
}

async function firstDecompressedBytes(file: string, n: number): Promise<Buffer> {
  const stream = openContent(file, { gzip: true });
  const parts: Buffer[] = [];
  let have = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      have += (chunk as Buffer).length;
      if (have >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

/**
 * The file's content as a byte stream, decompressed when `gzip` is set, in constant memory. `onRaw` sees
 * the bytes as stored (for the file's hash and for progress against its size on disk). A gzip error (a
 * truncated download, a corrupt file) becomes a one-line DataError naming the file.
 */
export function openContent(
  file: string,
  opts: { gzip: boolean; onRaw?: OnRawBytes; totalBytes?: number; chunkBytes?: number },
): Readable {
  const input = createReadStream(file, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
  let read = 0;
  const total = opts.totalBytes ?? 0;
  let out: Readable = input;
  if (opts.onRaw) {
    const onRaw = opts.onRaw;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        read += chunk.length;
        onRaw(chunk, read, total);
        cb(null, chunk);
      },
    });
    input.on('error', (e) => counter.destroy(e));
    out = input.pipe(counter);
  }
  if (!opts.gzip) return out;
  const gunzip = createGunzip({ chunkSize: 1 << 16 });
  out.on('error', (e) => gunzip.destroy(e));
  const plain = out.pipe(gunzip);
  // zlib's own errors ("unexpected end of file", "incorrect header check") say nothing of which file.
  const wrapped = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      cb(null, chunk);
    },
  });
  plain.on('error', (e) => wrapped.destroy(gzipError(file, e)));
  return plain.pipe(wrapped);
}

function gzipError(file: string, e: Error & { code?: string }): Error {
  if (e instanceof DataError) return e;
  if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') {
    return new DataError(`cannot read file: ${e.code}`, { file });
  }
  const why =
    e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)
      ? 'the compressed data ends early (a truncated download or copy?)'
      : `the compressed data is corrupt (${e.message})`;
  return new DataError(`cannot decompress gzip file: ${why}`, { file });
}

/** The name a file gives a dataset by default: its base name without `.gz` and the format's extension. */
export function datasetNameOf(base: string): string {
  return base.replace(/\.gz$/i, '').replace(/\.[^.]+$/, '');
}
