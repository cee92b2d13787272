import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from '../util/errors.ts';
import { inAppLanguage } from './app-language.ts';

/** A file as a request names it: its bytes (Electron), or a web-host upload's id; and its own name. */
export interface FileSource {
  fileName: string;
  contentBase64?: string;
  upload?: string;
}

/** What holds the web host's uploads (src/main/web/uploads.ts). */
export interface UploadStore {
  path(id: string): string | undefined;
  release(id: string): Promise<void>;
}

/**
 * The core reads files; the renderer sends bytes or an upload id. Bytes land in a private temp folder
 * under the file's own name for the call, removed afterwards whatever happens; an upload is released
 * after the call unless `keepUpload` (a preview, whose import follows). Any error names the file as the
 * analyst knows it, never a temp path.
 */
export async function withFile<T>(
  uploads: UploadStore | undefined,
  src: FileSource,
  use: (path: string) => Promise<T>,
  opts: { keepUpload?: boolean } = {},
): Promise<T> {
  let path: string;
  let dir: string | null = null;
  if (src.upload !== undefined) {
    const uploaded = uploads?.path(src.upload);
    if (!uploaded)
      throw new DataError('the uploaded file is gone (expired or already imported); choose it again');
    path = uploaded;
  } else {
    dir = await mkdtemp(join(tmpdir(), 'shotcast-upload-'));
    path = join(dir, src.fileName);
  }
  try {
    if (dir) await writeFile(path, Buffer.from(src.contentBase64 ?? '', 'base64'));
    return await use(path);
  } catch (e) {
    if (e instanceof Error) {
      e.message = inAppLanguage(e.message, [
        { path, name: src.fileName },
        { path: dirname(path), name: '' },
      ]);
    }
    throw e;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
    if (src.upload !== undefined && !opts.keepUpload) await uploads?.release(src.upload);
  }
}
