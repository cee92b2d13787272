import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from './csv.ts';

async function parse(text: string, chunkBytes?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-csv-'));
  const file = join(dir, 'a.csv');
  writeFileSync(file, text);
  const rows: { fields: string[]; line: number; raw: string }[] = [];
  await readCsv(file, (fields, line, raw) => rows.push({ fields: [...fields], line, raw }), { chunkBytes });
  return rows;
}

describe('readCsv', () => {
  const text =
    '\ufeffid,note,x\r\n1,plain,2\r\n2,"quoted, with comma",3\r\n\r\n3,"two\nlines ""and"" quotes",4\r\n4,é ünïcode,5';

  it('splits plain and quoted fields, CRLF, BOM, embedded newlines, and a last line without newline', async () => {
    const rows = await parse(text);
    expect(rows.map((r) => r.fields)).toEqual([
      ['id', 'note', 'x'],
      ['1', 'plain', '2'],
      ['2', 'quoted, with comma', '3'],
      ['3', 'two\nlines "and" quotes', '4'],
      ['4', 'é ünïcode', '5'],
    ]);
    // Physical line numbers: the blank line 4 is skipped, the quoted newline counts.
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 5, 7]);
    expect(rows[2].raw).toBe('2,"quoted, with comma",3');
  });

  it('gives the same records whatever the chunk boundaries (multi-byte characters split too)', async () => {
    const whole = await parse(text);
    for (const size of [1, 2, 3, 5, 7, 16]) expect(await parse(text, size)).toEqual(whole);
  });

  it('fails with the line of an unterminated quote', async () => {
    await expect(parse('a,b\n1,2\n3,"open\n4,5\n')).rejects.toThrow(
      /a\.csv, line 3: unterminated quoted field/,
    );
  });

  it('names the file it cannot open', async () => {
    await expect(readCsv('/nonexistent/x.csv', () => {})).rejects.toThrow(
      /\/nonexistent\/x\.csv: cannot read file: ENOENT/,
    );
  });
});
