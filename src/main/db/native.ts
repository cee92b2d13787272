/**
 * Which compiled better-sqlite3 a process loads. better-sqlite3 registers with V8's own module API,
 * not N-API, so its `.node` file works only in the runtime it was compiled for: the one `npm ci`
 * builds is Node's, and Electron's main process refuses it. The CLI, the tests and the web host run
 * under Node and keep that default build; the desktop app runs under Electron and loads a build made
 * for Electron's ABI (scripts/rebuild-electron.mjs, run by `npm start` on first start and by
 * `npm run dist`), from a folder of its own beside the app's package.json: native/, stamped with the
 * Electron version and ABI it was made for. A missing or mismatched build is refused in one line that
 * names the command making it, before anything is loaded.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ShotcastError } from '../util/errors.ts';

/** The command that builds better-sqlite3 for the installed Electron (package.json's script). */
export const ELECTRON_BUILD_COMMAND = 'npm run rebuild:electron';

/**
 * Set by the Electron entry to `<electron version>:<ABI>` so that worker threads (whose
 * `process.versions` need not carry `electron`) choose the same build; honoured only when the ABI
 * matches the running process, so a plain Node process that inherits it ignores it.
 */
export const ELECTRON_ENV = 'SHOTCAST_ELECTRON';

/** What decides the binding: the runtime's versions and platform, and where the builds live. */
export interface NativeRuntime {
  versions: { electron?: string; modules: string };
  platform: string;
  arch: string;
  env: Record<string, string | undefined>;
  /** The folder holding the Electron builds (native/ beside the app's package.json). */
  nativeDir: string;
}

/** The stamp written beside an Electron build of better-sqlite3 (build.json). */
export interface ElectronBuildStamp {
  electron: string;
  modules: string;
  platform: string;
  arch: string;
  betterSqlite3: string;
}

/** A native module that cannot be loaded in this runtime; exit code 1, one line. */
export class NativeBuildError extends ShotcastError {
  override name = 'NativeBuildError';
  constructor(message: string) {
    super(message, 1);
  }
}

/** The folder of the Electron build for one platform and architecture. */
export function electronBuildDir(nativeDir: string, platform: string, arch: string): string {
  return join(nativeDir, `better-sqlite3-electron-${platform}-${arch}`);
}

/** The version of the better-sqlite3 JavaScript that will load the binding (a build must match it). */
export function betterSqlite3Version(): string {
  const require = createRequire(import.meta.url);
  return (require('better-sqlite3/package.json') as { version: string }).version;
}

/** The nearest folder above this module holding a package.json: the checkout, or the packaged app. */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(from);
    dir = up;
  }
}

export function currentRuntime(): NativeRuntime {
  return {
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    nativeDir: join(appRoot(), 'native'),
  };
}

/** The Electron version this process runs under, or undefined under plain Node. */
export function electronVersionOf(rt: Pick<NativeRuntime, 'versions' | 'env'>): string | undefined {
  if (rt.versions.electron) return rt.versions.electron;
  const [version, abi] = (rt.env[ELECTRON_ENV] ?? '').split(':');
  return version && abi === rt.versions.modules ? version : undefined;
}

/**
 * The `nativeBinding` to give better-sqlite3: undefined under Node (its default build), the path of
 * the stamped Electron build under Electron. Throws a NativeBuildError when that build is missing or
 * was made for another Electron, ABI, platform or better-sqlite3.
 */
export function sqliteBinding(
  rt: NativeRuntime = currentRuntime(),
  expectedLibVersion: () => string = betterSqlite3Version,
): string | undefined {
  const electron = electronVersionOf(rt);
  if (!electron) return undefined;
  const dir = electronBuildDir(rt.nativeDir, rt.platform, rt.arch);
  const file = join(dir, 'better_sqlite3.node');
  const stampFile = join(dir, 'build.json');
  if (!existsSync(file) || !existsSync(stampFile)) {
    throw new NativeBuildError(
      `better-sqlite3 has no build for Electron ${electron} (${file} is missing); run \`${ELECTRON_BUILD_COMMAND}\` to make it`,
    );
  }
  let stamp: Partial<ElectronBuildStamp>;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as Partial<ElectronBuildStamp>;
  } catch {
    stamp = {};
  }
  const lib = expectedLibVersion();
  const mismatch =
    stamp.modules !== rt.versions.modules
      ? `Electron ${stamp.electron ?? '?'} (ABI ${stamp.modules ?? '?'}), not this Electron ${electron} (ABI ${rt.versions.modules})`
      : stamp.platform !== rt.platform || stamp.arch !== rt.arch
        ? `${stamp.platform ?? '?'}-${stamp.arch ?? '?'}, not ${rt.platform}-${rt.arch}`
        : stamp.betterSqlite3 !== lib
          ? `better-sqlite3 ${stamp.betterSqlite3 ?? '?'}, not the installed ${lib}`
          : null;
  if (mismatch) {
    throw new NativeBuildError(
      `better-sqlite3 in ${dir} was built for ${mismatch}; run \`${ELECTRON_BUILD_COMMAND}\` to rebuild it`,
    );
  }
  return file;
}

const WRONG_BINARY =
  /NODE_MODULE_VERSION|different Node\.js version|invalid ELF header|wrong ELF class|not a valid Win32 application|incompatible architecture|mach-o/i;
const NO_BINARY = /Could not locate the bindings file|Cannot find module .*better_sqlite3\.node/i;

/**
 * The one-line error for a failure to load better-sqlite3's binary (the runtime's own message spans
 * several lines), or null when the error is something else.
 */
export function explainLoadError(e: unknown, binding: string | undefined): NativeBuildError | null {
  const message = e instanceof Error ? e.message : String(e);
  const fix = binding ? ELECTRON_BUILD_COMMAND : 'npm rebuild better-sqlite3';
  const which = binding ?? "better-sqlite3's default build";
  if (WRONG_BINARY.test(message)) {
    const abi = /requires\s+NODE_MODULE_VERSION (\d+)/.exec(message)?.[1];
    return new NativeBuildError(
      `${which} was built for another runtime${abi ? ` (this one needs ABI ${abi})` : ''}; run \`${fix}\` to rebuild it`,
    );
  }
  if ((e as { code?: string }).code === 'ERR_DLOPEN_FAILED') {
    const why = message.split('\n')[0].slice(0, 160);
    return new NativeBuildError(`${which} cannot be loaded (${why}); run \`${fix}\` to rebuild it`);
  }
  if (NO_BINARY.test(message)) {
    return new NativeBuildError(`${which} is missing; run \`${fix}\` to build it`);
  }
  return null;
}

/**
 * Opens a better-sqlite3 database with this runtime's binding. A binding that is missing or made for
 * another runtime is a NativeBuildError (one line naming the fix); any other failure is rethrown as is.
 */
export function openSqlite(
  path: string,
  options: Omit<Database.Options, 'nativeBinding'> = {},
  rt?: NativeRuntime,
): Database.Database {
  const binding = sqliteBinding(rt);
  try {
    return new Database(path, binding ? { ...options, nativeBinding: binding } : options);
  } catch (e) {
    throw explainLoadError(e, binding) ?? e;
  }
}
