/**
 * An on-disk cache of parsed map layers: one binary file per layer (a JSON header with the features'
 * properties and ring lengths, then every coordinate as float64), keyed by the source file's path, size
 * and modification time. Reading it skips JSON.parse of megabytes of GeoJSON on every CLI run. The
 * cache is an optimisation only: any failure to read or write it falls back to parsing the GeoJSON.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeoFeature, GeoLayer } from './geo.ts';

const VERSION = 1;

interface Header {
  version: number;
  name: string;
  bbox: GeoLayer['bbox'];
  features: {
    props: Record<string, unknown>;
    kind: GeoFeature['kind'];
    rings: number[][];
    bbox: GeoFeature['bbox'];
  }[];
}

/** Per user, so another account on a shared machine cannot plant map data in the briefing. */
export function cacheDir(): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return process.env.SHOTCAST_CACHE_DIR ?? join(tmpdir(), `shotcast-cache-${uid}`);
}

/** True unless the cache directory belongs to someone else (where the platform can tell). */
function ownedByUs(dir: string): boolean {
  if (typeof process.getuid !== 'function') return true;
  return statSync(dir).uid === process.getuid();
}

function cachePath(file: string): string {
  const st = statSync(file);
  const key = createHash('sha1')
    .update(`${VERSION}|${file}|${st.size}|${st.mtimeMs}`)
    .digest('hex')
    .slice(0, 20);
  return join(cacheDir(), `geo-${key}.bin`);
}

export function readCachedLayer(file: string): GeoLayer | undefined {
  try {
    if (!ownedByUs(cacheDir())) return undefined;
    const buf = readFileSync(cachePath(file));
    const headerLen = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + headerLen).toString('utf8')) as Header;
    if (header.version !== VERSION) return undefined;
    const start = 4 + headerLen + ((8 - ((4 + headerLen) % 8)) % 8);
    // Copy into an aligned buffer: the file's bytes may not sit at a multiple of 8 in memory.
    const coords = new Float64Array(new Uint8Array(buf.subarray(start)).buffer);
    let at = 0;
    const features: GeoFeature[] = header.features.map((f) => ({
      props: f.props,
      kind: f.kind,
      bbox: f.bbox,
      parts: f.rings.map((part) =>
        part.map((len) => {
          const ring = coords.subarray(at, at + len);
          at += len;
          return ring;
        }),
      ),
    }));
    return { name: header.name, bbox: header.bbox, features };
  } catch {
    return undefined;
  }
}

export function writeCachedLayer(file: string, layer: GeoLayer): void {
  try {
    const rings: Float64Array[] = [];
    const header: Header = {
      version: VERSION,
      name: layer.name,
      bbox: layer.bbox,
      features: layer.features.map((f) => ({
        props: f.props,
        kind: f.kind,
        bbox: f.bbox,
        rings: f.parts.map((part) =>
          part.map((r) => {
            rings.push(r);
            return r.length;
          }),
        ),
      })),
    };
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    const pad = (8 - ((4 + head.length) % 8)) % 8;
    const total = rings.reduce((s, r) => s + r.length, 0);
    const coords = new Float64Array(total);
    let at = 0;
    for (const r of rings) {
      coords.set(r, at);
      at += r.length;
    }
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length, 0);
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    if (!ownedByUs(cacheDir())) return;
    const path = cachePath(file);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([len, head, Buffer.alloc(pad), Buffer.from(coords.buffer)]));
    renameSync(tmp, path);
  } catch {
    // A read-only or full disk only costs speed.
  }
}
