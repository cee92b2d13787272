import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildElectronSqlite,
  expectedStamp,
  reason,
  type RebuildRequest,
} from '../../scripts/electron-native.mjs';
import { sqliteBinding } from '../../src/main/db/native.ts';
import { REPO_ROOT } from '../paths.ts';

/** A checkout whose node_modules is this one's (read only: the build works on a copy). */
function checkout(): string {
  const root = mkdtempSync(join(tmpdir(), 'shotcast-checkout-'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

describe('npm run rebuild:electron (scripts/electron-native.mjs)', () => {
  it('builds into native/ a stamped binary that the opener accepts under Electron, once', async () => {
    const root = checkout();
    const abi = (await expectedStamp(root)).modules;
    const nodeBuild = join(REPO_ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const nodeBuildBefore = statSync(nodeBuild).mtimeMs;
    const requests: RebuildRequest[] = [];
    const fakeRebuild = async (r: RebuildRequest) => {
      requests.push(r);
      // The copy handed to @electron/rebuild has the sources and none of Node's build.
      const pkg = join(r.buildPath, 'node_modules', 'better-sqlite3');
      expect(existsSync(join(pkg, 'binding.gyp'))).toBe(true);
      expect(existsSync(join(pkg, 'build'))).toBe(false);
      mkdirSync(join(pkg, 'build', 'Release'), { recursive: true });
      writeFileSync(
        join(pkg, 'build', 'Release', 'better_sqlite3.node'),
        `electron build node_register_module_v${abi}`,
      );
    };
    const first = await buildElectronSqlite({ root, rebuild: fakeRebuild, log: () => {} });
    expect(first.built).toBe(true);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      electronVersion: JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8'))
        .version,
      onlyModules: ['better-sqlite3'],
      force: true,
    });
    expect(first.stamp.modules).toMatch(/^\d+$/);
    expect(first.stamp.modules).not.toBe(process.versions.modules);
    // The work copy is gone; Node's build in node_modules was not touched.
    expect(existsSync(join(root, 'native', '.work'))).toBe(false);
    expect(statSync(nodeBuild).mtimeMs).toBe(nodeBuildBefore);

    const file = sqliteBinding({
      versions: { electron: first.stamp.electron, modules: first.stamp.modules },
      platform: process.platform,
      arch: process.arch,
      env: {},
      nativeDir: join(root, 'native'),
    });
    expect(file).toBe(join(first.dir, 'better_sqlite3.node'));
    expect(readFileSync(file!, 'utf8')).toBe(`electron build node_register_module_v${abi}`);

    // Up to date: the next start does not rebuild; a stamp for another Electron does.
    expect((await buildElectronSqlite({ root, rebuild: fakeRebuild, log: () => {} })).built).toBe(false);
    const stampFile = join(first.dir, 'build.json');
    writeFileSync(stampFile, JSON.stringify({ ...first.stamp, electron: '40.0.0', modules: '143' }));
    expect((await buildElectronSqlite({ root, rebuild: fakeRebuild, log: () => {} })).built).toBe(true);
    expect(requests).toHaveLength(2);
    expect(JSON.parse(readFileSync(stampFile, 'utf8'))).toEqual(first.stamp);
  });

  it("refuses a build for another ABI (an npm nodedir setting compiles against Node's headers)", async () => {
    const root = checkout();
    await expect(
      buildElectronSqlite({
        root,
        rebuild: async (r) => {
          const release = join(r.buildPath, 'node_modules', 'better-sqlite3', 'build', 'Release');
          mkdirSync(release, { recursive: true });
          writeFileSync(
            join(release, 'better_sqlite3.node'),
            `node build node_register_module_v${process.versions.modules}`,
          );
        },
        log: () => {},
      }),
    ).rejects.toThrow(new RegExp(`made a binary for ABI ${process.versions.modules}, not Electron`));
    expect(
      existsSync(join(root, 'native', `better-sqlite3-electron-${process.platform}-${process.arch}`)),
    ).toBe(false);
  });

  it('a failed rebuild leaves no build behind', async () => {
    const root = checkout();
    await expect(
      buildElectronSqlite({
        root,
        rebuild: async () => {
          throw new Error('getaddrinfo ENOTFOUND');
        },
        log: () => {},
      }),
    ).rejects.toThrow(/ENOTFOUND/);
    expect(existsSync(join(root, 'native', '.work'))).toBe(false);
    expect(
      existsSync(join(root, 'native', `better-sqlite3-electron-${process.platform}-${process.arch}`)),
    ).toBe(false);
  });

  it('installs @electron/rebuild into packaging/ first; offline, one line naming why', () => {
    // A checkout with these scripts and packaging/'s package.json and lock, but no toolchain installed.
    const root = checkout();
    for (const dir of ['scripts', 'packaging']) mkdirSync(join(root, dir));
    for (const f of ['scripts/electron-native.mjs', 'scripts/packaging.mjs'])
      copyFileSync(join(REPO_ROOT, f), join(root, f));
    for (const f of ['packaging/package.json', 'packaging/package-lock.json'])
      copyFileSync(join(REPO_ROOT, f), join(root, f));
    const run = spawnSync(process.execPath, [join(root, 'scripts/electron-native.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        // No network, on any machine: the npm registry on a closed loopback port, an empty cache.
        npm_config_registry: 'http://127.0.0.1:9/',
        npm_config_cache: mkdtempSync(join(tmpdir(), 'shotcast-npm-cache-')),
        npm_config_fetch_retries: '0',
      },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const err = run.stderr.trim();
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(
      /^shotcast: could not build better-sqlite3 for Electron \(could not install the packaging toolchain into packaging\/ \(no network \(ECONNREFUSED\)\); log in native\/rebuild-electron\.log\); it needs the network once: run `npm run rebuild:electron` where the network allows/,
    );
    expect(existsSync(join(root, 'packaging', 'node_modules', '@electron', 'rebuild'))).toBe(false);
    expect(readFileSync(join(root, 'native', 'rebuild-electron.log'), 'utf8')).toMatch(
      /npm error code ECONNREFUSED/,
    );
  });

  it('names the reason of a failed rebuild in a few words', () => {
    const offline =
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and\n' +
      'is related to network connectivity. In most cases you are behind a proxy or have bad\n';
    expect(reason(offline)).toMatch(/^no network/);
    expect(reason('gyp ERR! find Python\n')).toMatch(/^no C\+\+ toolchain/);
    expect(reason('something\nError: boom\n')).toBe('Error: boom');
  });
});
