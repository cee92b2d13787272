/**
 * Files uploaded to the web host, held as temporary files until an import claims them. A body is
 * streamed to disk under its own cap, so memory stays flat whatever the file's size; a temporary file
 * is removed when the import that claimed it ends (success or failure), when the upload fails or the
 * client disconnects, when nobody claims it in time, and when the host stops.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Why an upload failed, with the HTTP status it earns. */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413 | 499,
  ) {
    super(message);
  }
}

/** A file name as the import will show it: no folders, no control characters. */
export function uploadFileName(name: string | null): string {
  const control = [...(name ?? '')].some((c) => c.charCodeAt(0) < 0x20);
  if (!name || name.length > 255 || control || /[/\\]/.test(name) || name === '.' || name === '..')
    throw new UploadError('upload: give the file name as ?name=, without folders', 400);
  return name;
}

interface Held {
  dir: string;
  path: string;
  timer: NodeJS.Timeout;
}

export class Uploads {
  private readonly held = new Map<string, Held>();
  private readonly active = new Set<string>();

  constructor(
    /** How long an unclaimed upload is kept. */
    private readonly ttlMs = 15 * 60_000,
    private readonly root = tmpdir(),
  ) {}

  /** Streams a request body to a temporary file; returns its id. Removes everything on failure. */
  async receive(
    req: IncomingMessage,
    fileName: string,
    maxBytes: number,
  ): Promise<{ id: string; bytes: number }> {
    const dir = await mkdtemp(join(this.root, 'shotcast-upload-'));
    this.active.add(dir);
    const path = join(dir, fileName);
    let bytes = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > maxBytes) done(new UploadError(`upload larger than the ${mb(maxBytes)} limit`, 413));
        else done(null, chunk);
      },
    });
    try {
      // The request is piped by hand, not through pipeline(), so that a body over the cap leaves the
      // socket open for the 413; a client that disconnects mid-upload aborts the copy.
      const onClose = () => {
        if (!req.complete) cap.destroy(new UploadError('upload: the client disconnected', 499));
      };
      req.once('close', onClose);
      req.pipe(cap);
      try {
        await pipeline(cap, createWriteStream(path, { flags: 'wx' }));
      } finally {
        req.off('close', onClose);
        req.unpipe(cap);
      }
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      if (e instanceof UploadError) throw e;
      throw new UploadError(`upload failed: ${(e as Error).message.split('\n')[0]}`, 400);
    } finally {
      this.active.delete(dir);
    }
    const id = randomBytes(12).toString('base64url');
    const timer = setTimeout(() => void this.release(id), this.ttlMs);
    timer.unref();
    this.held.set(id, { dir, path, timer });
    return { id, bytes };
  }

  /** The file of an upload, or undefined when the id is unknown or already released. */
  path(id: string): string | undefined {
    return this.held.get(id)?.path;
  }

  /** Removes an upload's temporary file. */
  async release(id: string): Promise<void> {
    const h = this.held.get(id);
    if (!h) return;
    this.held.delete(id);
    clearTimeout(h.timer);
    await rm(h.dir, { recursive: true, force: true });
  }

  /** Removes every upload (the host is stopping). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((id) => this.release(id)));
  }

  /** Temporary folders of uploads held or still arriving (tests count them). */
  get folders(): string[] {
    return [...[...this.held.values()].map((h) => h.dir), ...this.active];
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
