import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResourcesDir } from '../../src/main/util/resources.ts';
import { REPO_ROOT } from '../paths.ts';

// electron-builder's own configuration loader, schema validator and glob matcher.
const builderRequire = createRequire(join(REPO_ROOT, 'node_modules/app-builder-lib/package.json'));
const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config.js') as {
  getConfig: (dir: string, path: string | null, options: null) => Promise<BuilderConfig>;
  validateConfiguration: (config: BuilderConfig, logger: unknown) => Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (on: boolean) => unknown };
const { minimatch } = builderRequire('minimatch') as {
  minimatch: (path: string, pattern: string, opts: { dot: boolean }) => boolean;
};

interface Target {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  productName?: string;
  asar?: boolean;
  asarUnpack?: string[];
  files?: { filter: string[] }[] | string[];
  extraResources?: { from: string; to: string }[];
  publish?: unknown;
  npmRebuild?: boolean;
  linux?: { target: Target[] };
  win?: { target: Target[] };
  mac?: { target: Target[] };
  nsis?: { deleteAppDataOnUninstall?: boolean };
  [key: string]: unknown;
}

async function config(): Promise<BuilderConfig> {
  const cfg = await getConfig(REPO_ROOT, null, null);
  await validateConfiguration(cfg, new DebugLogger(false));
  return cfg;
}

/**
 * Whether electron-builder's file patterns keep a path. Production dependencies in node_modules are
 * copied unless a pattern excludes them; any other path only when a pattern names it.
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
  it('targets an AppImage and a .deb for Linux x64, NSIS for Windows and a dmg for macOS', async () => {
    const cfg = await config();
    expect(cfg.linux?.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(cfg.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(cfg.mac?.target.map((t) => t.target)).toEqual(['dmg']);
    // Same data folder as `npm start` (userData is named after the product).
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string };
    expect(cfg.productName).toBe(pkg.name);
    expect(cfg.nsis?.deleteAppDataOnUninstall).toBe(false);
    expect(cfg.artifactName).toBe('${productName}-${version}-${arch}.${ext}');
  });

  it('packs an asar with better-sqlite3, onnxruntime and their libraries unpacked', async () => {
    const cfg = await config();
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

  it('ships the built JavaScript and the Electron build, not tsx, the sources or other platforms', async () => {
    const cfg = await config();
    const files = (cfg.files as { filter: string[] }[]).flatMap((f) => f.filter);
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

  it('carries the DC sample, the map layers and the fonts as resources, found where they land', async () => {
    const cfg = await config();
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

  it('has no publish step and no update provider', async () => {
    const cfg = await config();
    expect(cfg.publish).toBeNull();
    const yml = readFileSync(join(REPO_ROOT, 'electron-builder.yml'), 'utf8');
    expect(yml).not.toMatch(/^\s*(provider|updaterCacheDirName|generateUpdatesFilesForAllChannels):/m);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
    expect(deps.filter((d) => /electron-updater|update-electron-app|@sentry|crash/.test(d))).toEqual([]);
    // The app's code holds no update check and no crash reporter.
    const shell = ['src/main/index.ts', 'src/main/shell/app.ts']
      .map((f) => readFileSync(join(REPO_ROOT, f), 'utf8'))
      .join('\n');
    expect(shell).not.toMatch(/autoUpdater|crashReporter/);
  });
});

describe('npm run dist without the network', () => {
  it('stops in one line saying why and where to build, with a non-zero exit', () => {
    // Electron's downloads sent to a closed loopback port: no network, on any machine.
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts/dist.mjs')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: mkdtempSync(join(tmpdir(), 'shotcast-electron-cache-')),
      },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    const err = run.stderr.trim();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(
      /^npm run dist: cannot get Electron \d+\.\d+\.\d+ for \w+-\w+: no network \(ECONNREFUSED\)/,
    );
    expect(err).toContain('run `npm ci && npm run dist` on such a machine and carry the installer in');
    expect(err).not.toMatch(/\n\s+at /);
    expect(run.stdout).toBe('');
  });
});
