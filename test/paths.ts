import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root (this file lives in <repo>/test). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** The shared real data, cloned beside the repository in CI: <repo>/../shared/data. */
export const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
