import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from './connection.ts';
import {
  betterSqlite3Version,
  currentRuntime,
  ELECTRON_BUILD_COMMAND,
  ELECTRON_ENV,
  electronBuildDir,
  explainLoadError,
  NativeBuildError,
  openSqlite,
  sqliteBinding,
  type ElectronBuildStamp,
  type NativeRuntime,
} from './native.ts';

const ELECTRON = '41.7.1';
const ELECTRON_ABI = '145';

function runtime(over: Partial<NativeRuntime> = {}): NativeRuntime {
  return {
    versions: { electron: ELECTRON, modules: ELECTRON_ABI },
    platform: 'linux',
    arch: 'x64',
    env: {},
    nativeDir: mkdtempSync(join(tmpdir(), 'shotcast-native-')),
    ...over,
  };
}

/** Puts a file and its stamp where the opener looks for the Electron build. */
function placeBuild(rt: NativeRuntime, stamp: Partial<ElectronBuildStamp>, binary = 'x'.repeat(256)): string {
  const dir = electronBuildDir(rt.nativeDir, rt.platform, rt.arch);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'better_sqlite3.node'), binary);
  const full: ElectronBuildStamp = {
    electron: ELECTRON,
    modules: ELECTRON_ABI,
    platform: rt.platform,
    arch: rt.arch,
    betterSqlite3: betterSqlite3Version(),
    ...stamp,
  };
  writeFileSync(join(dir, 'build.json'), JSON.stringify(full));
  return join(dir, 'better_sqlite3.node');
}

function oneLineError(f: () => unknown): NativeBuildError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NativeBuildError);
    const err = e as NativeBuildError;
    expect(err.message).not.toContain('\n');
    expect(err.exitCode).toBe(1);
    return err;
  }
  throw new Error('expected a NativeBuildError');
}

afterEach(() => {
  delete process.env[ELECTRON_ENV];
  vi.restoreAllMocks();
});

describe('the better-sqlite3 binding per runtime', () => {
  it('under Node uses the default build and opens a database with it', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(sqliteBinding()).toBeUndefined();
    // No Electron build exists in this runtime's native folder, yet the database opens: the default.
    const rt = runtime({ versions: { modules: process.versions.modules } });
    expect(sqliteBinding(rt)).toBeUndefined();
    const db = openSqlite(':memory:', {}, rt);
    expect(db.prepare('SELECT 1 + 1 AS two').get()).toEqual({ two: 2 });
    db.close();
  });

  it("under Electron (simulated) asks for the Electron build's path in native/", () => {
    const rt = runtime();
    const file = placeBuild(rt, {});
    expect(sqliteBinding(rt)).toBe(file);
    expect(file).toBe(join(rt.nativeDir, 'better-sqlite3-electron-linux-x64', 'better_sqlite3.node'));
    // The checkout's native/ folder beside package.json, by default.
    expect(currentRuntime().nativeDir).toMatch(/[/\\]native$/);
  });

  it('a missing Electron build is one line naming the command that makes it', () => {
    const rt = runtime();
    const err = oneLineError(() => sqliteBinding(rt));
    expect(err.message).toContain(`no build for Electron ${ELECTRON}`);
    expect(err.message).toContain(`run \`${ELECTRON_BUILD_COMMAND}\``);
    // openSqlite refuses before loading anything.
    oneLineError(() => openSqlite(':memory:', {}, rt));
  });

  it('a build for another ABI, platform or better-sqlite3 is refused in one line, never loaded', () => {
    const rt = runtime();
    placeBuild(rt, { electron: '40.0.0', modules: '143' });
    const abi = oneLineError(() => sqliteBinding(rt));
    expect(abi.message).toContain(
      `built for Electron 40.0.0 (ABI 143), not this Electron ${ELECTRON} (ABI 145)`,
    );
    expect(abi.message).toContain(ELECTRON_BUILD_COMMAND);

    const other = runtime();
    placeBuild(other, { arch: 'arm64' });
    expect(oneLineError(() => sqliteBinding(other)).message).toContain('linux-arm64, not linux-x64');

    const lib = runtime();
    placeBuild(lib, { betterSqlite3: '11.0.0' });
    expect(oneLineError(() => sqliteBinding(lib)).message).toContain(
      `better-sqlite3 11.0.0, not the installed ${betterSqlite3Version()}`,
    );
  });

  it('a stamped file the runtime cannot load is still one line naming the fix', () => {
    // The stamp matches this process's ABI, but the file is not a loadable library: the loader's
    // several-line message becomes one line.
    const rt = runtime({ versions: { electron: ELECTRON, modules: process.versions.modules } });
    placeBuild(rt, { modules: process.versions.modules });
    const err = oneLineError(() => openSqlite(':memory:', {}, rt));
    expect(err.message).toContain('was built for another runtime');
    expect(err.message).toContain(ELECTRON_BUILD_COMMAND);
    // Any other failure to load the library (here a truncated file) is one line too.
    const short = runtime({ versions: { electron: ELECTRON, modules: process.versions.modules } });
    placeBuild(short, { modules: process.versions.modules }, 'x');
    expect(oneLineError(() => openSqlite(':memory:', {}, short)).message).toMatch(
      /cannot be loaded \(.*file too short\); run `npm run rebuild:electron` to rebuild it$/,
    );
  });

  it("explains Node's ABI message in one line and leaves other errors alone", () => {
    const node = new Error(
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 145. Please try re-compiling or re-installing\nthe module (for instance, using `npm rebuild` or `npm install`).",
    );
    const err = explainLoadError(node, '/x/better_sqlite3.node');
    expect(err?.message).toBe(
      `/x/better_sqlite3.node was built for another runtime (this one needs ABI 145); run \`${ELECTRON_BUILD_COMMAND}\` to rebuild it`,
    );
    expect(explainLoadError(node, undefined)?.message).toContain('run `npm rebuild better-sqlite3`');
    expect(explainLoadError(new Error('SQLITE_CANTOPEN'), undefined)).toBeNull();
  });

  it('worker threads follow the Electron entry through SHOTCAST_ELECTRON, only at the same ABI', () => {
    const rt = runtime({ versions: { modules: ELECTRON_ABI } });
    rt.env[ELECTRON_ENV] = `${ELECTRON}:${ELECTRON_ABI}`;
    expect(oneLineError(() => sqliteBinding(rt)).message).toContain(`Electron ${ELECTRON}`);
    // A plain Node process (another ABI) that inherited the variable keeps its default build.
    rt.env[ELECTRON_ENV] = `${ELECTRON}:999`;
    expect(sqliteBinding(rt)).toBeUndefined();
  });

  it('openDb passes the one-line error through unchanged', () => {
    process.env[ELECTRON_ENV] = `${ELECTRON}:${process.versions.modules}`;
    const path = join(mkdtempSync(join(tmpdir(), 'shotcast-db-')), 'a.sqlite');
    const err = oneLineError(() => openDb(path));
    expect(err.message).toMatch(/^better-sqlite3 /);
    expect(err.message).toContain(ELECTRON_BUILD_COMMAND);
  });
});
