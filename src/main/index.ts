/**
 * Electron entry, built by electron-vite into out/main/index.js with the shell and the core: the
 * packaged app runs built JavaScript, with neither tsx nor the TypeScript sources. better-sqlite3 is
 * loaded from its Electron build (src/main/db/native.ts); the check runs first so a missing or
 * mismatched build stops the start in one line.
 */
import { ELECTRON_ENV, sqliteBinding } from './db/native.ts';
import { failStart, startShell } from './shell/app.ts';

// Worker threads (import, evaluation, training) open the database too: tell them which build to load.
process.env[ELECTRON_ENV] = `${process.versions.electron}:${process.versions.modules}`;
try {
  sqliteBinding();
  startShell();
} catch (e) {
  failStart(e);
}
