import type Database from 'better-sqlite3';
import { openSqlite } from '../db/native.ts';
import type { TilesInfo } from '../../shared/contract.ts';

export interface TileRequest {
  z: number;
  x: number;
  y: number;
}

/**
 * Parses a tile path strictly: `/{z}/{x}/{y}` with an optional image extension and nothing else, so no
 * request can smuggle `..`, encoded separators or a file name into the lookup.
 */
export function parseTilePath(pathname: string): TileRequest | null {
  const m = /^\/(\d{1,2})\/(\d{1,8})\/(\d{1,8})(?:\.(?:png|jpg|jpeg|webp))?$/.exec(pathname);
  if (!m) return null;
  const z = Number(m[1]);
  const x = Number(m[2]);
  const y = Number(m[3]);
  if (z > 24 || x >= 2 ** z || y >= 2 ** z) return null;
  return { z, x, y };
}

const MIME: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** A read-only raster MBTiles file. */
export class MbTiles {
  private readonly db: Database.Database;
  private readonly stmt: Database.Statement;
  readonly mime: string;
  readonly meta: Record<string, string>;

  constructor(readonly path: string) {
    this.db = openSqlite(path, { readonly: true, fileMustExist: true });
    try {
      const rows = this.db.prepare(`SELECT name, value FROM metadata`).all() as {
        name: string;
        value: string;
      }[];
      this.meta = Object.fromEntries(rows.map((r) => [r.name, r.value]));
      const format = (this.meta.format ?? 'png').toLowerCase();
      if (!MIME[format])
        throw new Error(`${path}: MBTiles format '${format}' is not a raster format (png, jpg, webp)`);
      this.mime = MIME[format];
      this.stmt = this.db.prepare(
        `SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?`,
      );
    } catch (e) {
      this.db.close();
      throw e;
    }
  }

  /** The tile at XYZ coordinates (MBTiles stores TMS rows, counted from the south). */
  tile({ z, x, y }: TileRequest): Buffer | null {
    const row = this.stmt.get(z, x, 2 ** z - 1 - y) as { tile_data: Buffer } | undefined;
    return row?.tile_data ?? null;
  }

  info(urlTemplate: string): TilesInfo {
    return {
      url: urlTemplate,
      minZoom: Number(this.meta.minzoom ?? 0),
      maxZoom: Number(this.meta.maxzoom ?? 18),
      format: this.mime,
      attribution: this.meta.attribution ?? '',
    };
  }

  close(): void {
    this.db.close();
  }
}
