// `npm run rebuild:electron`: builds better-sqlite3 for the installed Electron's ABI into a folder of
// its own, native/better-sqlite3-electron-<platform>-<arch>/, stamped (build.json) with the Electron
// version, ABI, platform, arch and better-sqlite3 version it was made for. node_modules keeps Node's
// build for the CLI and the tests; the desktop app loads this one (src/main/db/native.ts). `npm start`
// runs it on first start and `npm run dist` before packaging. The build uses @electron/rebuild from the
// packaging toolchain (packaging/node_modules, installed on first use: scripts/packaging.mjs). It needs
// the network once (that install, Electron's headers or a prebuilt binary); it fails in one line when
// it cannot.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureToolchain, toolchainRequire } from './packaging.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The folder of the Electron build (same rule as electronBuildDir in src/main/db/native.ts). */
export function buildDir(root, platform = process.platform, arch = process.arch) {
  return join(root, 'native', `better-sqlite3-electron-${platform}-${arch}`);
}

/** What a build for this checkout's Electron must be stamped with. */
export async function expectedStamp(root = ROOT, platform = process.platform, arch = process.arch) {
  const electron = readJson(join(root, 'node_modules', 'electron', 'package.json')).version;
  const { getAbi } = await import('node-abi');
  return {
    electron,
    modules: String(getAbi(electron, 'electron')),
    platform,
    arch,
    betterSqlite3: readJson(join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
  };
}

/** True when native/ already holds a build stamped exactly as `stamp`. */
export function isCurrent(root, stamp) {
  const dir = buildDir(root, stamp.platform, stamp.arch);
  if (!existsSync(join(dir, 'better_sqlite3.node')) || !existsSync(join(dir, 'build.json'))) return false;
  try {
    const have = readJson(join(dir, 'build.json'));
    return Object.keys(stamp).every((k) => have[k] === stamp[k]);
  } catch {
    return false;
  }
}

/** @electron/rebuild from packaging/node_modules, installing the packaging toolchain first if needed. */
async function electronRebuild(opts) {
  ensureToolchain({ log: (line) => process.stdout.write(`shotcast: ${line}\n`) });
  // An npm `nodedir` setting (npm passes it on as npm_config_nodedir) makes node-gyp compile against
  // that Node's headers instead of Electron's: a build for the wrong ABI. Electron's headers only.
  for (const key of Object.keys(process.env)) if (/^npm_config_nodedir$/i.test(key)) delete process.env[key];
  const entry = toolchainRequire().resolve('@electron/rebuild');
  const { rebuild } = await import(pathToFileURL(entry).href);
  await rebuild(opts);
}

/**
 * Builds better-sqlite3 for Electron into native/ unless a current build is there. A copy of the
 * package (without its Node build) is rebuilt in native/.work, so node_modules is never touched.
 * `rebuild` is @electron/rebuild's, replaceable in tests.
 */
export async function buildElectronSqlite({
  root = ROOT,
  platform = process.platform,
  arch = process.arch,
  force = false,
  rebuild = electronRebuild,
  log = (line) => process.stdout.write(`${line}\n`),
} = {}) {
  const stamp = await expectedStamp(root, platform, arch);
  const dir = buildDir(root, platform, arch);
  if (!force && isCurrent(root, stamp)) return { built: false, dir, stamp };
  log(
    `shotcast: building better-sqlite3 ${stamp.betterSqlite3} for Electron ${stamp.electron} (ABI ${stamp.modules}, ${platform}-${arch})…`,
  );
  const work = join(root, 'native', '.work');
  rmSync(work, { recursive: true, force: true });
  const pkgDir = join(work, 'node_modules', 'better-sqlite3');
  mkdirSync(pkgDir, { recursive: true });
  const source = join(root, 'node_modules', 'better-sqlite3');
  for (const entry of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) {
    if (existsSync(join(source, entry)))
      cpSync(join(source, entry), join(pkgDir, entry), { recursive: true });
  }
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({
      name: 'shotcast-electron-native',
      private: true,
      dependencies: { 'better-sqlite3': stamp.betterSqlite3 },
    }),
  );
  try {
    await rebuild({
      buildPath: work,
      projectRootPath: work,
      electronVersion: stamp.electron,
      platform,
      arch,
      onlyModules: ['better-sqlite3'],
      force: true,
      mode: 'sequential',
    });
    const built = join(pkgDir, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`the rebuild left no ${built}`);
    // better-sqlite3 registers with NODE_MODULE_INIT, which exports node_register_module_v<ABI>:
    // a build for another ABI is never stamped as Electron's.
    const abi = /node_register_module_v(\d+)/.exec(readFileSync(built, 'latin1'))?.[1];
    if (abi !== stamp.modules)
      throw new Error(
        `the rebuild made a binary for ABI ${abi ?? 'unknown'}, not Electron ${stamp.electron}'s ${stamp.modules}`,
      );
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(built, join(dir, 'better_sqlite3.node'));
    writeFileSync(join(dir, 'build.json'), `${JSON.stringify(stamp, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { built: true, dir, stamp };
}

/** One line saying why a rebuild failed, from everything it printed. */
export function reason(log) {
  // The packaging toolchain (scripts/packaging.mjs) could not be installed: its own few words.
  const install = /^Error: (could not install the packaging toolchain[^\n]*)/m.exec(log)?.[1];
  if (install) return install.slice(0, 200);
  if (
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|getaddrinfo|network connectivity/i.test(
      log,
    )
  )
    return "no network: neither a prebuilt binary nor Electron's headers could be downloaded";
  if (/not found: (make|g\+\+|cc|python)|gyp ERR! find Python|No Xcode|Visual Studio/i.test(log))
    return 'no C++ toolchain (make, g++ and python3 are needed to compile it)';
  const line = log
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(Error|error|gyp ERR!)/.test(l));
  return (line ?? 'see the log').slice(0, 200);
}

const LOG = join(ROOT, 'native', 'rebuild-electron.log');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const force = process.argv.includes('--force');
  if (process.argv.includes('--child')) {
    // The build itself, in a child whose output (node-gyp's included) the parent keeps in a log.
    try {
      const r = await buildElectronSqlite({ force });
      process.stdout.write(
        r.built
          ? `shotcast: better-sqlite3 for Electron ${r.stamp.electron} is in ${r.dir}\n`
          : `shotcast: better-sqlite3 for Electron ${r.stamp.electron} is up to date (${r.dir}); --force rebuilds it\n`,
      );
    } catch (e) {
      // A failed toolchain install: its reason first, then what npm printed.
      if (e?.name === 'ToolchainInstallError') process.stderr.write(`Error: ${e.message}\n${e.log}\n`);
      else process.stderr.write(`Error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    }
  } else {
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--child', ...(force ? ['--force'] : [])],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
    );
    const log = `${child.stdout ?? ''}${child.stderr ?? ''}`;
    if (child.status === 0) {
      process.stdout.write(child.stdout);
    } else {
      mkdirSync(dirname(LOG), { recursive: true });
      writeFileSync(LOG, log);
      process.stderr.write(
        `shotcast: could not build better-sqlite3 for Electron (${reason(log)}; log in native/rebuild-electron.log); it needs the network once: run \`npm run rebuild:electron\` where the network allows, or build the installer there with \`npm run dist\`\n`,
      );
      process.exit(1);
    }
  }
}
