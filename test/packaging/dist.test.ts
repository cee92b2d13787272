import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { load } from 'js-yaml';
import { minimatch } from 'minimatch';
import { PACKAGING_DIR, toolchainInstalled } from '../../scripts/packaging.mjs';
import { findResourcesDir } from '../../src/main/util/resources.ts';
import { REPO_ROOT } from '../paths.ts';

interface Target {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  productName?: string;
  artifactName?: string;
  asar?: boolean;
  asarUnpack?: string[];
  files?: string[];
  extraResources?: { from: string; to: string; filter?: string[] }[];
  publish?: unknown;
  npmRebuild?: boolean;
  linux?: { target: Target[] };
  win?: { target: Target[] };
  mac?: { target: Target[] };
  nsis?: { deleteAppDataOnUninstall?: boolean };
  dmg?: { writeUpdateInfo?: boolean };
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  build?: unknown;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8')) as T;

/**
 * electron-builder.yml as electron-builder reads it, with nothing but the root install: the YAML
 * itself (package.json has no `build` field to merge in; checked below). electron-builder's own
 * loader and schema are checked against it where the packaging toolchain is installed (last test).
 */
function config(): BuilderConfig {
  return load(readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/**
 * Whether electron-builder's file patterns keep a path (matched as electron-builder does, with
 * minimatch and dot files included). Production dependencies in node_modules are copied unless a
 * pattern excludes them; any other path only when a pattern names it.
 */
function kept(patterns: string[], path: string, macros: Record<string, string>): boolean {
  let keep = path.startsWith('node_modules/');
  for (const raw of patterns) {
    const p = raw.replace(/\$\{(\w+)\}/g, (_m, k: string) => macros[k]);
    if (p.startsWith('!')) {
      if (minimatch(path, p.slice(1), { dot: true })) keep = false;
    } else if (minimatch(path, p, { dot: true })) keep = true;
  }
  return keep;
}

describe('npm run dist: electron-builder.yml', () => {
  it('targets an AppImage and a .deb for Linux x64, NSIS for Windows and a dmg for macOS', () => {
    const cfg = config();
    expect(cfg.linux?.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(cfg.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(cfg.mac?.target.map((t) => t.target)).toEqual(['dmg']);
    // Same data folder as `npm start` (userData is named after the product).
    const pkg = readJson<PackageJson>('package.json');
    expect(cfg.productName).toBe(pkg.name);
    // electron-builder.yml is the whole configuration: package.json has no `build` field to merge in.
    expect(pkg.build).toBeUndefined();
    expect(cfg.nsis?.deleteAppDataOnUninstall).toBe(false);
    expect(cfg.artifactName).toBe('${productName}-${version}-${arch}.${ext}');
  });

  it('packs an asar with better-sqlite3, onnxruntime and their libraries unpacked', () => {
    const cfg = config();
    expect(cfg.asar).toBe(true);
    const unpack = cfg.asarUnpack ?? [];
    const unpacked = (path: string) => unpack.some((p) => minimatch(path, p, { dot: true }));
    const ort = 'node_modules/onnxruntime-node/bin/napi-v6';
    for (const path of [
      'native/better-sqlite3-electron-linux-x64/better_sqlite3.node',
      'native/better-sqlite3-electron-linux-x64/build.json',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      `${ort}/linux/x64/onnxruntime_binding.node`,
      `${ort}/linux/x64/libonnxruntime.so.1`,
      `${ort}/darwin/arm64/libonnxruntime.1.dylib`,
      `${ort}/win32/x64/onnxruntime.dll`,
    ]) {
      expect(unpacked(path), path).toBe(true);
    }
    expect(unpacked('out/main/index.js')).toBe(false);
    // The real library files are where the rules expect them.
    expect(readdirSync(join(REPO_ROOT, ort, 'linux/x64'))).toContain('libonnxruntime.so.1');
  });

  it('ships the built JavaScript and the Electron build, not tsx, the sources or other platforms', () => {
    const cfg = config();
    const files = cfg.files ?? [];
    const linux = { platform: 'linux', arch: 'x64', os: 'linux' };
    const ort = 'node_modules/onnxruntime-node/bin/napi-v6';
    for (const path of [
      'package.json',
      'out/main/index.js',
      'out/main/chunks/evaluate.worker-abc.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'native/better-sqlite3-electron-linux-x64/better_sqlite3.node',
      `${ort}/linux/x64/libonnxruntime.so.1`,
    ]) {
      expect(kept(files, path, linux), path).toBe(true);
    }
    for (const path of [
      'src/main/index.ts',
      'src/main/core.ts',
      'scripts/start.mjs',
      'test/paths.ts',
      'native/rebuild-electron.log',
      'node_modules/tsx/dist/esm/api/index.mjs',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
      `${ort}/linux/arm64/libonnxruntime.so.1`,
      `${ort}/darwin/arm64/libonnxruntime.1.dylib`,
      `${ort}/win32/x64/onnxruntime.dll`,
    ]) {
      expect(kept(files, path, linux), path).toBe(false);
    }
    expect(
      kept(files, `${ort}/win32/x64/onnxruntime.dll`, { platform: 'win32', arch: 'x64', os: 'win' }),
    ).toBe(true);
  });

  it('carries the DC sample, the map layers and the fonts as resources, found where they land', () => {
    const cfg = config();
    expect(cfg.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: ['**/*'] }]);
    for (const p of ['data/dc_mpd_2014-2018_normalized.csv', 'geo/dc-boundary.geojson', 'fonts']) {
      expect(existsSync(join(REPO_ROOT, 'resources', p)), p).toBe(true);
    }
    // Installed: <install>/resources/app.asar/out/main/... finds <install>/resources/resources.
    const install = mkdtempSync(join(tmpdir(), 'shotcast-install-'));
    mkdirSync(join(install, 'resources', 'resources', 'geo'), { recursive: true });
    writeFileSync(join(install, 'resources', 'app.asar'), 'asar');
    expect(findResourcesDir(join(install, 'resources', 'app.asar', 'out', 'main', 'chunks', 'x.js'))).toBe(
      join(install, 'resources', 'resources'),
    );
    // A checkout: <repo>/out/main/core.js and <repo>/src/main/util/resources.ts find <repo>/resources.
    expect(findResourcesDir(join(REPO_ROOT, 'out', 'main', 'core.js'))).toBe(join(REPO_ROOT, 'resources'));
    expect(findResourcesDir(join(REPO_ROOT, 'src', 'main', 'util', 'resources.ts'))).toBe(
      join(REPO_ROOT, 'resources'),
    );
  });

  it('has no publish step and no update provider', () => {
    const cfg = config();
    expect(cfg.publish).toBeNull();
    expect(cfg.dmg?.writeUpdateInfo).toBe(false);
    const yml = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).not.toMatch(/^\s*(provider|updaterCacheDirName|generateUpdatesFilesForAllChannels):/m);
    const pkg = readJson<PackageJson>('package.json');
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(deps.filter((d) => /electron-updater|update-electron-app|@sentry|crash/.test(d))).toEqual([]);
    // The app's code holds no update check and no crash reporter.
    const shell = ['src/main/index.ts', 'src/main/shell/app.ts']
      .map((f) => readFileSync(join(REPO_ROOT, f), 'utf8'))
      .join('\n');
    expect(shell).not.toMatch(/autoUpdater|crashReporter/);
  });

  // electron-builder itself lives in packaging/node_modules, which `npm run dist` installs on first
  // use (Node 22.12+); the root install does not have it. Where it is installed, its own loader and
  // JSON schema must accept the file and read it as the checks above do. Elsewhere this one check
  // cannot run; the checks above, which need only the root install, always do.
  it.skipIf(!toolchainInstalled())(
    "passes electron-builder's own schema validation (where packaging/ has the toolchain installed)",
    async () => {
      const builderRequire = createRequire(
        createRequire(join(PACKAGING_DIR, 'package.json')).resolve('app-builder-lib/package.json'),
      );
      const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config.js') as {
        getConfig: (dir: string, path: string | null, options: null) => Promise<Record<string, unknown>>;
        validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
      };
      const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (on: boolean) => unknown };
      const loaded = await getConfig(REPO_ROOT, null, null);
      await validateConfiguration(loaded, new DebugLogger(false));
      const cfg = config();
      for (const key of ['linux', 'win', 'mac', 'asar', 'asarUnpack', 'extraResources', 'publish', 'nsis'])
        expect(loaded[key], key).toEqual(cfg[key]);
      // electron-builder wraps the file rules in one filter set: the same rules, in the same order.
      expect((loaded.files as { filter: string[] }[]).flatMap((f) => f.filter)).toEqual(cfg.files);
    },
  );
});

/** Runs a function of scripts/dist.mjs in a Node of its own, as `npm run dist` would. */
function distStep(call: string, env: Record<string, string> = {}) {
  const script = pathToFileURL(join(REPO_ROOT, 'scripts/dist.mjs')).href;
  return spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import * as dist from ${JSON.stringify(script)}; await dist.${call};`],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...offline(), ...env }, timeout: 60_000 },
  );
}

/** No network, on any machine: the npm registry and Electron's downloads on a closed loopback port. */
function offline(): Record<string, string> {
  return {
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: mkdtempSync(join(tmpdir(), 'shotcast-electron-cache-')),
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: mkdtempSync(join(tmpdir(), 'shotcast-npm-cache-')),
    npm_config_fetch_retries: '0',
  };
}

function expectOneLine(run: { status: number | null; stderr: string }, line: RegExp): string {
  expect(run.status).toBe(1);
  const err = run.stderr.trim();
  expect(err.split('\n')).toHaveLength(1);
  expect(err).toMatch(line);
  expect(err).not.toMatch(/\n\s+at /);
  return err;
}

const OLD_NODE =
  /^npm run dist: packaging needs Node 22\.12 or newer .*this is Node [\d.]+\): run `npm ci && npm run dist` with Node 22 LTS/;
const NO_TOOLCHAIN =
  /^npm run dist: cannot install the packaging toolchain \(electron-builder, @electron\/rebuild\) into packaging\/: no network \(ECONNREFUSED\)/;
const NO_ELECTRON =
  /^npm run dist: cannot get Electron \d+\.\d+\.\d+ for \w+-\w+: no network \(ECONNREFUSED\)/;
const WHERE = 'run `npm ci && npm run dist` on such a machine and carry the installer in';

describe('npm run dist without the network', () => {
  it('stops in one line saying why and where to build, with a non-zero exit', () => {
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/dist.mjs')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...offline() },
      timeout: 60_000,
    });
    // The first step that needs what this machine lacks: Node 22.12+ (here: Node 20), then the
    // packaging toolchain (installed into packaging/ on first use), then Electron's zip.
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major < 22 || (major === 22 && minor < 12)) {
      expectOneLine(run, OLD_NODE);
      expect(run.stdout).toBe('');
    } else if (!toolchainInstalled()) {
      expect(expectOneLine(run, NO_TOOLCHAIN)).toContain(WHERE);
      expect(toolchainInstalled()).toBe(false);
    } else {
      expect(expectOneLine(run, NO_ELECTRON)).toContain(WHERE);
      expect(run.stdout).toBe('');
    }
  });

  it('on Node older than 22.12: one line naming the Node it needs', () => {
    const err = expectOneLine(distStep("prepareToolchain({ version: '22.11.0' })"), OLD_NODE);
    expect(err).toContain('this is Node 22.11.0');
    expect(err).toContain('everything else works on Node 20.19+');
  });

  it('installs the packaging toolchain on first use; offline, one line and nothing left behind', () => {
    // A copy of packaging/ (package.json and its lock), so the checkout's own folder is not touched.
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-packaging-'));
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(PACKAGING_DIR, f), join(dir, f));
    const run = distStep(`prepareToolchain({ version: '22.12.0', dir: ${JSON.stringify(dir)} })`);
    expect(expectOneLine(run, NO_TOOLCHAIN)).toContain(WHERE);
    expect(run.stdout).toMatch(
      /^npm run dist: installing the packaging toolchain .* into packaging\/ \(first use\)…\n$/,
    );
    expect(existsSync(join(dir, 'node_modules', 'electron-builder'))).toBe(false);
    expect(toolchainInstalled(dir)).toBe(false);
  });

  it("cannot get Electron's zip: one line, with Electron's version and the target", () => {
    const run = distStep(`fetchElectron([${JSON.stringify(process.platform)}])`);
    expect(expectOneLine(run, NO_ELECTRON)).toContain(WHERE);
    expect(run.stdout).toBe('');
  });
});
