/**
 * Electron entry. The shell and the core run from source under tsx, exactly as the CLI, the tests and the
 * web host run them: the core's worker threads and native modules (better-sqlite3, onnxruntime-node)
 * then work unchanged, and only this bootstrap and the preload pass through electron-vite.
 */
import { register } from 'tsx/esm/api';

register();
const shell = (await import(
  /* @vite-ignore */ new URL('../../src/main/shell/app.ts', import.meta.url).href
)) as typeof import('./shell/app.ts');
shell.startShell();
