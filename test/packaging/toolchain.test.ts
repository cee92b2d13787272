import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  installReason,
  MIN_NODE,
  nodeCanPackage,
  PACKAGING_DIR,
  TOOLCHAIN,
  toolchainInstalled,
} from '../../scripts/packaging.mjs';
import { reason } from '../../scripts/electron-native.mjs';
import { REPO_ROOT } from '../paths.ts';

interface Locked {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
}
interface Lock {
  packages: Record<string, Locked>;
}
interface Pkg {
  private?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** [major, minor, patch] of a version or a partial one (`20`, `20.19`, `20.x`). */
function parts(v: string): number[] {
  return v
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : 0))
    .concat([0, 0, 0])
    .slice(0, 3);
}
const cmp = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * Whether an engines.node range accepts a Node version: the forms npm packages use (`a || b`,
 * `>=x`, `>= x`, `<x`, `^x`, `x`, `x.x`, `*`), enough for the locks here; anything else fails loudly.
 */
function accepts(range: string, version: string): boolean {
  const v = parts(version);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .replace(/(>=|<=|>|<|\^)\s+/g, '$1')
      .split(/\s+/)
      .every((c) => {
        const m = /^(>=|<=|>|<|\^)?(\d+(?:\.(?:\d+|x))*|\*)$/.exec(c);
        if (!m) throw new Error(`cannot read the engines range ${range}`);
        const [, op, ver] = m;
        if (ver === '*') return true;
        const w = parts(ver);
        const given = ver.split('.').filter((p) => p !== 'x').length;
        if (op === '>=') return cmp(v, w) >= 0;
        if (op === '>') return cmp(v, w) > 0;
        if (op === '<') return cmp(v, w) < 0;
        if (op === '<=') return cmp(v, w) <= 0;
        if (op === '^') return v[0] === w[0] && cmp(v, w) >= 0;
        // A bare version: every version that starts with the parts given (`20`, `20.x`, `20.19`).
        return w.slice(0, given).every((p, i) => v[i] === p);
      }),
  );
}

describe('the packaging toolchain lives in packaging/, out of the root install', () => {
  const root = readJson<Pkg>(join(REPO_ROOT, 'package.json'));
  const rootLock = readJson<Lock>(join(REPO_ROOT, 'package-lock.json'));
  const pkg = readJson<Pkg>(join(PACKAGING_DIR, 'package.json'));
  const lock = readJson<Lock>(join(PACKAGING_DIR, 'package-lock.json'));

  it('reads the engines ranges as npm does', () => {
    expect(accepts('^20.19.0 || >=22.12.0', '20.19.0')).toBe(true);
    expect(accepts('>=22.12.0', '20.20.2')).toBe(false);
    expect(accepts('>= 0.4', '20.19.0')).toBe(true);
    expect(accepts('18 || 20 || >=22', '20.19.0')).toBe(true);
    expect(accepts('20.x || 22.x', '21.0.0')).toBe(false);
    expect(accepts('>=6 <7 || >=8', '20.19.0')).toBe(true);
    expect(accepts('^18.18.0 || ^20.9.0 || >=21.1.0', '20.19.0')).toBe(true);
  });

  it('the root install has neither electron-builder nor @electron/rebuild, and runs on Node 20.19', () => {
    const deps = { ...root.dependencies, ...root.devDependencies };
    for (const name of [...TOOLCHAIN, 'app-builder-lib']) {
      expect(deps[name], name).toBeUndefined();
      expect(rootLock.packages[`node_modules/${name}`], name).toBeUndefined();
    }
    // No locked package asks for a newer Node than the root's engines: `npm ci` prints no EBADENGINE.
    const oldest = root.engines?.node?.replace(/^>=\s*/, '') ?? '';
    expect(oldest).toBe('20.19');
    const refused = Object.entries(rootLock.packages)
      .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !accepts((p.engines as { node: string }).node, oldest))
      .map(([name, p]) => `${name} ${(p.engines as { node: string }).node}`);
    expect(refused).toEqual([]);
  });

  it('packaging/package.json holds the toolchain, locked, with every install script reviewed', () => {
    expect(pkg.private).toBe(true);
    // Plain dependencies: installed even where NODE_ENV=production would leave devDependencies out.
    expect(pkg.devDependencies).toBeUndefined();
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual([...TOOLCHAIN].sort());
    expect(pkg.engines?.node).toBe(`>=${MIN_NODE.join('.')}.0`);
    expect(lock.packages['']).toMatchObject({ dependencies: pkg.dependencies });
    for (const name of TOOLCHAIN) {
      const version = lock.packages[`node_modules/${name}`]?.version ?? '';
      expect(accepts(pkg.dependencies?.[name] ?? '', version), `${name} ${version}`).toBe(true);
    }
    // npm 11 lists install scripts that allowScripts does not cover as warnings; electron-winstaller's
    // (Squirrel.Windows, not a target here) only copies a 7-Zip binary, and stays off.
    const scripted = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(scripted.filter((name) => pkg.allowScripts?.[name] === undefined)).toEqual([]);
    expect(pkg.allowScripts).toEqual({ 'electron-winstaller': false });
    // The root keeps only the entries for its own packages.
    expect(Object.keys(root.allowScripts ?? {})).not.toContain('electron-winstaller');
    const rootScripted = Object.entries(rootLock.packages)
      .filter(([, p]) => p.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    expect(Object.keys(root.allowScripts ?? {}).sort()).toEqual([...new Set(rootScripted)].sort());
  });

  it('counts as installed only when node_modules holds a finished install of the locked versions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-packaging-'));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lock));
    expect(toolchainInstalled(dir)).toBe(false);
    for (const name of TOOLCHAIN) {
      mkdirSync(join(dir, 'node_modules', name), { recursive: true });
      writeFileSync(
        join(dir, 'node_modules', name, 'package.json'),
        JSON.stringify({ name, version: lock.packages[`node_modules/${name}`].version }),
      );
    }
    // npm writes node_modules/.package-lock.json when an install has finished.
    expect(toolchainInstalled(dir)).toBe(false);
    writeFileSync(join(dir, 'node_modules', '.package-lock.json'), '{}');
    expect(toolchainInstalled(dir)).toBe(true);
    // An install from an older lock is installed again.
    writeFileSync(
      join(dir, 'node_modules', 'electron-builder', 'package.json'),
      JSON.stringify({ name: 'electron-builder', version: '25.0.0' }),
    );
    expect(toolchainInstalled(dir)).toBe(false);
  });

  it('asks for Node 22.12 or newer', () => {
    expect(nodeCanPackage('20.20.2')).toBe(false);
    expect(nodeCanPackage('22.11.0')).toBe(false);
    expect(nodeCanPackage('22.12.0')).toBe(true);
    expect(nodeCanPackage('24.1.0')).toBe(true);
  });

  it("names why npm could not install it, and rebuild:electron's line says so", () => {
    expect(installReason('npm error code ECONNREFUSED\nnpm error syscall connect\n')).toBe(
      'no network (ECONNREFUSED)',
    );
    expect(installReason('npm warn x\nnpm error code EUSAGE\nnpm error The lock is out of sync\n')).toBe(
      'code EUSAGE',
    );
    const log =
      'shotcast: installing the packaging toolchain (electron-builder, @electron/rebuild) into packaging/ (first use)…\n' +
      'Error: could not install the packaging toolchain into packaging/ (no network (ENOTFOUND))\n' +
      'npm error code ENOTFOUND\n';
    expect(reason(log)).toBe(
      'could not install the packaging toolchain into packaging/ (no network (ENOTFOUND))',
    );
  });
});
