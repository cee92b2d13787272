import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WritableDb } from '../db/connection.ts';
import { DuplicateIndex } from './dedup.ts';
import { importFile } from './import.ts';
import { LocationIds } from './locations.ts';
import { tempDb } from './testing.ts';

describe('DuplicateIndex', () => {
  it('finds the first earlier event with the same second, type and place within its window', () => {
    const d = new DuplicateIndex(4);
    expect(d.add(100, 0, 1, 2)).toBe(-1);
    expect(d.add(100, 1, 1, 2)).toBe(-1); // other type
    expect(d.add(100, 0, 1, 3)).toBe(-1); // other place
    expect(d.add(100, 0, 1, 2)).toBe(0);
    expect(d.add(100, 0, 1, 2)).toBe(0); // the first, not the latest
    expect(d.add(101, 0, 1, 2)).toBe(-1);
    expect(d.size).toBe(6);
  });

  it('keeps at most two generations, and flags an event that may repeat one dropped from them', () => {
    const d = new DuplicateIndex(2);
    // Events in time order: never unsure, however many generations go by.
    for (let s = 0; s < 20; s++) {
      d.add(s, 0, 0, 0);
      expect(d.lastUnsure).toBe(false);
    }
    // Seconds 0..17 have been dropped: second 3 may repeat one of them, and is not found in memory.
    expect(d.add(3, 0, 0, 0)).toBe(-1);
    expect(d.lastUnsure).toBe(true);
    // Second 19 is still in the window.
    expect(d.add(19, 0, 0, 0)).toBe(19);
  });
});

describe('LocationIds', () => {
  it('asks the database only for pairs it does not hold, and starts over when half full', () => {
    const asked: string[] = [];
    const ids = new Map<string, number>();
    const cache = new LocationIds((lat, lon) => {
      const k = `${lat},${lon}`;
      asked.push(k);
      if (!ids.has(k)) ids.set(k, ids.size + 1);
      return ids.get(k)!;
    }, 8);
    expect(cache.idFor(38.9, -77)).toBe(1);
    expect(cache.idFor(38.9000001, -77)).toBe(1); // the same micro-degree
    expect(cache.idFor(38.91, -77)).toBe(2);
    expect(cache.idFor(38.9, -77)).toBe(1);
    expect(asked).toEqual(['38900000,-77000000', '38910000,-77000000']);
    for (let i = 0; i < 10; i++) cache.idFor(39 + i / 100, -77);
    // The cache holds at most 4 pairs: the first one is asked for again, and keeps its id.
    expect(cache.idFor(38.9, -77)).toBe(1);
    expect(asked.filter((k) => k === '38900000,-77000000')).toHaveLength(2);
  });
});

/** A file out of time order whose duplicates lie far apart in it. */
function shuffledFile(dir: string): string {
  const lines = ['ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW'];
  const base = Date.UTC(2016, 5, 1);
  for (let i = 0; i < 300; i++) {
    // Seconds run backwards; every 10th row repeats a shot 101 rows earlier in the file.
    const k = i % 10 === 9 ? i - 101 : i;
    if (k < 0) continue;
    const t = new Date(base + (1000 - k) * 7000).toISOString().slice(0, 19);
    lines.push(`${i}D,Single_Gunshot,${t},WashingtonDC1D,38.9${String(k % 50).padStart(2, '0')},-77.012,x`);
  }
  const file = join(dir, 'shuffled.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function stored(db: WritableDb): unknown {
  return db.prepare(`SELECT id, source_id, location_id, duplicate_of FROM events ORDER BY id`).all();
}

describe('duplicates beyond the in-memory window', () => {
  it.each([false, true])(
    'a file out of time order gets the same duplicate links with a tiny window (worker: %s)',
    async (worker) => {
      const a = tempDb();
      const b = tempDb();
      const file = shuffledFile(a.dir);
      const full = await importFile(a.db, file, { dataset: 'x', worker: false });
      const small = await importFile(b.db, file, { dataset: 'x', worker, dedupGeneration: 4 });
      expect(full.duplicates).toBe(20);
      expect(small.duplicates).toBe(full.duplicates);
      expect(stored(b.db)).toEqual(stored(a.db));
      const recorded = b.db.prepare(`SELECT duplicates FROM imports`).pluck().get();
      expect(recorded).toBe(full.duplicates);
      a.db.close();
      b.db.close();
    },
  );
});
