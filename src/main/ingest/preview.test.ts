import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DC_SAMPLE, TEST_DATA } from '../../../test/paths.ts';
import { snapshot, tempDb } from './testing.ts';
import { previewImport } from './preview.ts';

describe('import preview', () => {
  it('names the format, its city and zone, the columns and the first rows of real files, gzipped or not', async () => {
    const oak = await previewImport(join(TEST_DATA, 'oakland/OakShots_latlong.csv.gz'), { rows: 2 });
    expect(oak).toMatchObject({
      format: 'oakland-cad',
      city: 'Oakland',
      tz: 'America/Los_Angeles',
      columns: { id: 'CAD_', datetime: 'DATE___TIM', lat: 'YCOORD', lon: 'XCOORD' },
      headerLine: 1,
      gzip: true,
      container: 'csv',
      problem: null,
    });
    expect(oak.rows).toEqual([
      [
        '1',
        'LOP080103000033',
        '34X',
        '1/3/08 0:42',
        '1443 84TH AV',
        '415SS',
        '415 SHOT SPOTTER GUN',
        '6076700',
        '2101600',
        '-122.177592',
        '37.754667',
      ],
      [
        '2',
        'LOP080102000036',
        '35X',
        '1/2/08 1:19',
        '2331 85TH AV',
        '415SS',
        '415 SHOT SPOTTER GUN',
        '6079900',
        '2103000',
        '-122.166611',
        '37.758668',
      ],
    ]);
    // A workbook whose header sits under a title block.
    const foia = await previewImport(
      join(TEST_DATA, 'dc/foia_raw/WashingtonDC_Incidents_2006-2013_Raw_Data.xlsx'),
    );
    expect(foia).toMatchObject({
      format: 'dc-foia',
      tz: 'America/New_York',
      headerLine: 7,
      container: 'xlsx',
    });
    expect(foia.rows).toHaveLength(5);
    const dc = await previewImport(DC_SAMPLE, { rows: 1 });
    expect(dc.rows[0].slice(0, 3)).toEqual(['5D39700', 'Multiple_Gunshots', '2014-01-01T00:00:02']);
  });

  it('says what is missing in a file it cannot read, and a column mapping makes it readable', async () => {
    const { dir, db } = tempDb();
    const before = snapshot(db);
    const file = join(dir, 'export.csv');
    writeFileSync(file, 'Northing,Easting,When,Kind\n37.8,-122.2,2013-05-01 10:00,Single Gunshot\n');
    const blind = await previewImport(file, { displayName: 'export.csv' });
    expect(blind.format).toBeNull();
    expect(blind.problem).toMatch(/map the columns/);
    expect(blind.header).toEqual(['Northing', 'Easting', 'When', 'Kind']);
    const mapped = await previewImport(file, {
      map: { lat: 'Northing', lon: 'Easting', datetime: 'When', type: 'Kind' },
      displayName: 'export.csv',
    });
    expect(mapped).toMatchObject({
      format: 'generic',
      problem: null,
      columns: { lat: 'Northing', lon: 'Easting', datetime: 'When', type: 'Kind' },
      rows: [['37.8', '-122.2', '2013-05-01 10:00', 'Single Gunshot']],
    });
    const half = await previewImport(file, { map: { lat: 'Northing' }, displayName: 'export.csv' });
    expect(half.problem).toMatch(/^export\.csv, line 1, column 'lon': no lon column found/);
    // A preview writes nothing.
    expect(snapshot(db)).toBe(before);
    db.close();
  });
});
