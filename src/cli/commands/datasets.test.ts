import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../testing.ts';

const cli = runCliCaptured;

const dir = mkdtempSync(join(tmpdir(), 'shotcast-cli-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shotcast datasets', () => {
  const db = join(dir, 'a.db');
  const file = join(dir, 'oak.csv');
  // Oakland CAD rows: local clock times of Oakland.
  writeFileSync(
    file,
    [
      'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE',
      '1,Single_Gunshot,2016-01-10T12:00:00,WashingtonDC5D,37.8,-122.27',
      '2,Multiple_Gunshots,2016-07-04T21:30:00,WashingtonDC5D,37.81,-122.26',
    ].join('\n') + '\n',
  );
  type Listed = { name: string; tz: string; events: number; from: string };

  it('lists, renames, changes the zone and deletes, printing JSON with the listing after each change', async () => {
    expect((await cli(['import', file, '--db', db, '--dataset', 'dc'])).code).toBe(0);
    expect((await cli(['import', file, '--db', db, '--dataset', 'spare'])).code).toBe(0);
    const list = await cli(['datasets', '--db', db, '--json']);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout).datasets as Listed[]).map((d) => [d.name, d.tz])).toEqual([
      ['dc', 'America/New_York'],
      ['spare', 'America/New_York'],
    ]);

    const ren = await cli(['datasets', '--db', db, '--rename', 'dc', 'oakland', '--json']);
    expect(ren.code).toBe(0);
    const r = JSON.parse(ren.stdout);
    expect(r.renamed).toEqual({ from: 'dc', to: 'oakland' });
    expect((r.datasets as Listed[]).map((d) => d.name)).toEqual(['oakland', 'spare']);

    const tz = await cli(['datasets', '--db', db, '--set-tz', 'oakland', 'America/Los_Angeles']);
    expect(tz.code).toBe(0);
    expect(tz.stdout).toContain(
      "dataset 'oakland' is now in America/Los_Angeles (was America/New_York): the clock times are kept and 2 of 2 instants moved",
    );
    const after = JSON.parse((await cli(['datasets', '--db', db, '--json'])).stdout).datasets as Listed[];
    expect(after[0]).toMatchObject({
      name: 'oakland',
      tz: 'America/Los_Angeles',
      from: '2016-01-10T12:00:00',
    });

    const refused = await cli(['datasets', '--db', db, '--delete', 'spare']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /deleting 'spare' removes its 2 events, 0 rejects, 0 evaluation runs and 0 models .*add --yes/,
    );
    const del = await cli(['datasets', '--db', db, '--delete', 'spare', '--yes', '--json']);
    expect(del.code).toBe(0);
    const d = JSON.parse(del.stdout);
    expect(d.deleted).toMatchObject({ name: 'spare', deleted: { events: 2, imports: 1 }, files: [] });
    expect((d.datasets as Listed[]).map((x) => x.name)).toEqual(['oakland']);
  });

  it('refuses bad arguments in one line: exit 2 for usage, 1 for a missing dataset', async () => {
    const bad = async (args: string[], code: number, message: RegExp) => {
      const r = await cli(['datasets', '--db', db, ...args]);
      expect(r.code).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    };
    await bad(['--rename', 'oakland'], 2, /--rename takes two values: --rename OLD NEW/);
    await bad(
      ['--rename', 'oakland', 'x', '--delete', 'oakland'],
      2,
      /give one of --rename, --delete at a time/,
    );
    await bad(['--set-tz', 'oakland', 'Nowhere/Land'], 2, /unknown time zone 'Nowhere\/Land'/);
    await bad(['--delete', 'nosuch', '--yes'], 1, /no dataset named 'nosuch'/);
    await bad(['--rename', 'nosuch', 'x'], 1, /no dataset named 'nosuch'/);
    await bad(['stray'], 2, /unexpected argument 'stray'/);
    const list = JSON.parse((await cli(['datasets', '--db', db, '--json'])).stdout).datasets as Listed[];
    expect(list.map((x) => [x.name, x.tz])).toEqual([['oakland', 'America/Los_Angeles']]);
  });

  it("sets, lists and clears a dataset's own holidays, which a forecast then names; a bad date is refused in one line", async () => {
    const set = await cli(['datasets', '--db', db, '--set-holidays', 'oakland', '11-11,2016-05-30']);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain(
      "dataset 'oakland' has its own holidays 11-11,2016-05-30 (was none), besides the built-in ones",
    );
    const listed = await cli(['datasets', '--db', db]);
    expect(listed.stdout).toContain('; own holidays 11-11,2016-05-30');
    const json = JSON.parse((await cli(['datasets', '--db', db, '--json'])).stdout) as {
      datasets: { name: string; holidays: string[] }[];
    };
    expect(json.datasets[0].holidays).toEqual(['11-11', '2016-05-30']);

    // Another door, the forecast, uses them without being told.
    const holidayOf = async (): Promise<string | null> => {
      const at = ['--at', '2016-11-11', '--rows', '4', '--cols', '4', '--json'];
      const r = await cli(['forecast', '--db', db, '--dataset', 'oakland', ...at]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return (JSON.parse(r.stdout) as { volume: { holiday: string | null } }).volume.holiday;
    };
    expect(await holidayOf()).toBe("one of the dataset's holidays");

    for (const [args, message] of [
      [['oakland', '11-31'], /^holiday '11-31' must be a date YYYY-MM-DD or a yearly MM-DD\n$/],
      [['oakland'], /--set-holidays takes two values/],
    ] as const) {
      const r = await cli(['datasets', '--db', db, '--set-holidays', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.replace(/^shotcast datasets: /, '')).toMatch(message);
    }
    const missing = await cli(['datasets', '--db', db, '--set-holidays', 'nosuch', '11-11']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no dataset named 'nosuch'/);
    expect(
      (JSON.parse((await cli(['datasets', '--db', db, '--json'])).stdout) as typeof json).datasets[0]
        .holidays,
    ).toEqual(['11-11', '2016-05-30']);

    const cleared = await cli(['datasets', '--db', db, '--set-holidays', 'oakland', 'none']);
    expect(cleared.stdout).toContain("dataset 'oakland' has its own holidays none (was 11-11,2016-05-30)");
    expect(await holidayOf()).toBeNull();
  });
});
