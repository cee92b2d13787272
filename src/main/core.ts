/**
 * The core as the built bundle exposes it to plain Node (out/main/core.js): what the built-bundle test
 * (test/packaging/bundle.test.ts) drives to prove that the bundle, not the sources, does the work.
 * The Electron entry (index.ts) bundles the same modules; so does each worker-thread entry.
 */
export { openDb, type WritableDb } from './db/connection.ts';
export { sqliteBinding } from './db/native.ts';
export { importFile } from './ingest/import.ts';
export { evaluate, listRuns } from './app/index.ts';
export { Graph, op } from './engine/index.ts';
export { createSession, f32 } from './engine/runtime/session.ts';
export { resourcesDir } from './util/resources.ts';
