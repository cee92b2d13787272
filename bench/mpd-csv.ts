/** The generated MPD-normalized CSV the ingest benchmarks import. */
import { createWriteStream } from 'node:fs';

const TYPES = ['Multiple_Gunshots', 'Single_Gunshot', 'Gunshot_or_Firecracker'];

/**
 * Writes `rows` MPD-normalized rows: times rising from 2014 in the DC zone, points on the 0.001° grid
 * (about 25,000 distinct locations), or with `fine`, to the micro-degree (nearly every point new).
 */
export async function generate(file: string, rows: number, opts: { fine?: boolean } = {}): Promise<void> {
  const k = opts.fine ? 1000 : 1;
  const digits = opts.fine ? 6 : 3;
  const out = createWriteStream(file);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  let t = Date.UTC(2014, 0, 1) / 1000;
  let buf = 'ID,TYPE,DATETIME,SOURCE,LATITUDE,LONGITUDE,RAW\n';
  let prev = '';
  for (let i = 0; i < rows; i++) {
    let line: string;
    // About 0.6% of rows repeat the previous shot as heard by a neighbouring network (a duplicate).
    if (prev && rand() < 0.006) line = `${(i % 7) + 1}D${100000 + i}${prev}`;
    else {
      t += Math.floor(rand() * 150);
      const d = new Date(t * 1000).toISOString().slice(0, 19);
      const lat = (38.8 + Math.floor(rand() * 170 * k) / (1000 * k)).toFixed(digits);
      const lon = (-77.05 + Math.floor(rand() * 150 * k) / (1000 * k)).toFixed(digits);
      const type = TYPES[Math.floor(rand() * 2.2)];
      prev = `,${type},${d},WashingtonDC${(i % 6) + 1}D,${lat},${lon},MPD_2014-2017_xlsx\n`;
      line = `${(i % 7) + 1}D${100000 + i}${prev}`;
    }
    buf += line;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
