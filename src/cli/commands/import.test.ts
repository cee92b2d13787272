import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../testing.ts';

const cli = runCliCaptured;

describe('shotcast import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-cli-import-'));
  const db = join(dir, 'a.db');
  const file = join(dir, 'alerts.csv');
  writeFileSync(
    file,
    [
      'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW',
      '1D1,Single_Gunshot,2016-01-01T00:00:05,WashingtonDC1D,38.9,-77.01,x',
      '5D1,Single_Gunshot,2016-01-01T00:00:05,WashingtonDC5D,38.9,-77.01,x',
      '5D2,Gunshot_or_Firecracker,2016-07-04T23:10:00,WashingtonDC5D,38.91,-77.01,x',
      '5D3,Multiple_Gunshots,2016-07-05T01:00:00,WashingtonDC5D,0,0,x',
    ].join('\n') + '\n',
  );

  it('--json prints the report object with the fields the issue names', async () => {
    const r = await cli(['import', file, '--db', db, '--dataset', 'dc', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      dataset: 'dc',
      rows: 4,
      imported: 3,
      duplicates: 1,
      rejected: 1,
      rejectsByReason: { coordinates_zero: 1 },
      byType: { single: 2, multiple: 0, gunshot_or_firecracker: 1, unknown: 0 },
      from: '2016-01-01T00:00:05',
      to: '2016-07-04T23:10:00',
    });
  });

  it('prints a human summary with counts by reason, and adds nothing on a second run', async () => {
    const r = await cli(['import', file, '--db', db, '--dataset', 'dc']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/already imported into 'dc'/);
    const fresh = await cli(['import', file, '--db', join(dir, 'b.db')]);
    expect(fresh.stdout).toMatch(/4 rows: 3 imported \(1 duplicates flagged\), 1 rejected/);
    expect(fresh.stdout).toMatch(/rejected 1 × coordinates_zero/);
    const ds = await cli(['datasets', '--db', db, '--json']);
    expect(JSON.parse(ds.stdout).datasets[0]).toMatchObject({
      name: 'dc',
      events: 3,
      duplicates: 1,
      rejects: 1,
    });
  });

  it('exits 1 with one line naming the file for a data error, 2 for a usage error', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'name,colour\na,red\n');
    const r = await cli(['import', bad, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^shotcast import: .*bad\.csv.*cannot tell the file's format/);
    expect((await cli(['import', file])).code).toBe(2);
    expect((await cli(['import', file, '--db', db, '--format', 'nope'])).stderr).toMatch(
      /unknown format 'nope'/,
    );
    expect((await cli(['import', file, '--db', db, '--map', 'lat'])).code).toBe(2);
  });
});
