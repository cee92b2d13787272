import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createWriteStream, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT } from '../../../test/paths.ts';
import { openDb } from '../db/connection.ts';
import { importFile } from './import.ts';
import { snapshot, tempDb } from './testing.ts';

const IMPORT_TS = fileURLToPath(new URL('./import.ts', import.meta.url));
const CONNECTION_TS = fileURLToPath(new URL('../db/connection.ts', import.meta.url));

async function bigCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW\n');
  let buf = '';
  for (let i = 0; i < rows; i++) {
    const t = new Date(Date.UTC(2015, 0, 1) + i * 37_000).toISOString().slice(0, 19);
    buf += `7D${i},Multiple_Gunshots,${t},WashingtonDC7D,38.${800 + (i % 170)},-76.${900 + (i % 99)},x\n`;
    if (buf.length > 1 << 16) {
      out.write(buf);
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

describe('an import killed part way', () => {
  it('leaves the database exactly as it was (SIGKILL of the importing process)', async () => {
    const { db, dir, path } = tempDb();
    const small = join(dir, 'small.csv');
    writeFileSync(
      small,
      'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW\n1D1,Single_Gunshot,2014-05-01T10:00:00,x,38.9,-77,x\n',
    );
    await importFile(db, small, { dataset: 'dc' });
    const before = snapshot(db);
    db.close();

    const big = join(dir, 'big.csv');
    await bigCsv(big, 250_000);
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `import { openDb } from ${JSON.stringify(CONNECTION_TS)};
       import { importFile } from ${JSON.stringify(IMPORT_TS)};
       const db = openDb(process.argv[2]);
       await importFile(db, process.argv[3], { dataset: 'dc' }, (p) => process.stdout.write(p.done / p.total + '\\n'));
       process.stdout.write('finished\\n');`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, big], { cwd: REPO_ROOT });
    const outcome = await new Promise<string>((resolve) => {
      let killed = false;
      child.stdout.on('data', (d: Buffer) => {
        const text = d.toString();
        if (text.includes('finished')) resolve('finished');
        const fracs = text.trim().split('\n').map(Number);
        if (!killed && fracs.some((f) => f > 0.7 && f < 0.95)) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      child.on('exit', (_code, signal) => resolve(signal ?? 'exit'));
    });
    expect(outcome).toBe('SIGKILL');
    // The killed import had written pages of its open transaction to the WAL.
    expect(statSync(path + '-wal').size).toBeGreaterThan(1 << 20);

    const after = openDb(path);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(snapshot(after)).toBe(before);
    after.close();
  });
});
