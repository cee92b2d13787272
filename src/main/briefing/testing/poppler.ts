/**
 * Test helpers around poppler-utils (pdfinfo, pdftotext, pdftoppm): the briefing is checked the way a
 * reader's PDF viewer sees it, not through pdfkit's own objects. Tests only; the product never runs these.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Buffer, f: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-pdf-'));
  try {
    const path = join(dir, 'b.pdf');
    writeFileSync(path, pdf);
    return f(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfInfo(pdf: Buffer): Record<string, string> {
  return withFile(pdf, (path) => {
    const out = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    return Object.fromEntries(
      out
        .split('\n')
        .filter((l) => l.includes(':'))
        .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
    );
  });
}

/** Text of one page (1-based) or all pages, in layout mode so table rows stay on one line. */
export function pdfText(pdf: Buffer, page?: number): string {
  return withFile(pdf, (path) =>
    execFileSync(
      'pdftotext',
      ['-layout', ...(page ? ['-f', String(page), '-l', String(page)] : []), path, '-'],
      {
        encoding: 'utf8',
      },
    ),
  );
}

export interface Word {
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}

/** Every word with its box in PDF points (pdftotext -bbox). */
export function pdfWords(pdf: Buffer): Word[] {
  const html = withFile(pdf, (path) => execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' }));
  const words: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page++;
    const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (m) words.push({ page, xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4], text: m[5] });
  }
  return words;
}

export interface Raster {
  width: number;
  height: number;
  /** RGB bytes, row-major. */
  rgb: Buffer;
  dpi: number;
}

/** Renders one page to a PPM (P6) with pdftoppm and decodes it (PPM needs no PNG decoder). */
export function rasterise(pdf: Buffer, page: number, dpi = 50): Raster {
  return withFile(pdf, (path, dir) => {
    execFileSync('pdftoppm', [
      '-r',
      String(dpi),
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      path,
      join(dir, 'p'),
    ]);
    const data = readFileSync(join(dir, 'p.ppm'));
    // Header: "P6" <ws> width <ws> height <ws> maxval <single ws> then binary RGB.
    let pos = 0;
    const fields: string[] = [];
    while (fields.length < 4) {
      while (/\s/.test(String.fromCharCode(data[pos]))) pos++;
      let tok = '';
      while (!/\s/.test(String.fromCharCode(data[pos]))) tok += String.fromCharCode(data[pos++]);
      fields.push(tok);
    }
    pos++;
    if (fields[0] !== 'P6' || fields[3] !== '255')
      throw new Error(`unexpected PPM header ${fields.join(' ')}`);
    const width = Number(fields[1]);
    const height = Number(fields[2]);
    return { width, height, rgb: data.subarray(pos, pos + width * height * 3), dpi };
  });
}

/** Counts pixels in a box given in PDF points that satisfy a predicate on (r, g, b). */
export function countPixels(
  img: Raster,
  box: { x: number; y: number; w: number; h: number },
  test: (r: number, g: number, b: number) => boolean,
): { hits: number; total: number } {
  const k = img.dpi / 72;
  const x0 = Math.max(0, Math.floor(box.x * k));
  const y0 = Math.max(0, Math.floor(box.y * k));
  const x1 = Math.min(img.width, Math.ceil((box.x + box.w) * k));
  const y1 = Math.min(img.height, Math.ceil((box.y + box.h) * k));
  let hits = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = 3 * (y * img.width + x);
      if (test(img.rgb[i], img.rgb[i + 1], img.rgb[i + 2])) hits++;
    }
  return { hits, total: (x1 - x0) * (y1 - y0) };
}
