import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walkForwardInWorker } from '../../src/main/app/evaluate.ts';
import { REPO_ROOT } from '../paths.ts';

/** Packages the built app must do without (the CLI's TypeScript loader and its compiler). */
const LEFT_OUT = new Set(['tsx', 'esbuild', '@esbuild', '.bin']);

/**
 * An app folder laid out like the checkout and like app.asar: package.json, the build in out/, the
 * resources, and node_modules without tsx; no src/.
 */
function appFolder(): string {
  const app = mkdtempSync(join(tmpdir(), 'shotcast-built-'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(REPO_ROOT, 'resources'), join(app, 'resources'), 'dir');
  mkdirSync(join(app, 'node_modules'));
  for (const name of readdirSync(join(REPO_ROOT, 'node_modules'))) {
    if (!LEFT_OUT.has(name))
      symlinkSync(join(REPO_ROOT, 'node_modules', name), join(app, 'node_modules', name));
  }
  return app;
}

interface Driven {
  execArgv: string[];
  resourcesDir: string;
  binding: string | null;
  imported: number;
  importWorkers: number;
  workers: number;
  models: { spec: string; hitRate: Record<string, number> }[];
  testEvents: number;
  runId: number;
  storedRuns: number[];
  onnx: number[];
}

describe('the built main process (electron-vite), under plain Node', () => {
  let app: string;
  beforeAll(() => {
    app = appFolder();
    const build = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, SHOTCAST_OUT_DIR: join(app, 'out') } },
    );
    expect(build.stderr + build.stdout).not.toMatch(/error/i);
    expect(build.status).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('builds the Electron entry, the core, its worker entries, the preload and the renderer', () => {
    const main = readdirSync(join(app, 'out/main'));
    expect(main).toEqual(expect.arrayContaining(['index.js', 'core.js']));
    const chunks = readdirSync(join(app, 'out/main/chunks'));
    expect(chunks.some((f) => /^evaluate\.worker-.*\.js$/.test(f))).toBe(true);
    expect(chunks.some((f) => /^parse\.worker-.*\.js$/.test(f))).toBe(true);
    expect(chunks.some((f) => /^train\.worker-.*\.js$/.test(f))).toBe(true);
    expect(chunks.some((f) => /^fine-tune\.worker-.*\.js$/.test(f))).toBe(true);
    expect([...main, ...chunks].filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(existsSync(join(app, 'out/preload/index.cjs'))).toBe(true);
    expect(existsSync(join(app, 'out/renderer/index.html'))).toBe(true);
  });

  it("carries the licences of the packages in the window's bundle beside it", () => {
    const text = readFileSync(join(app, 'out/renderer/THIRD_PARTY_NOTICES.txt'), 'utf8');
    const listed = new Map(
      [...text.matchAll(/^(@?[\w.-]+(?:\/[\w.-]+)?) (\d[^ ]*) \(([^)]+)\)$/gm)].map((m) => [m[1], m[3]]),
    );
    // The packages the renderer imports, and one only a dependency brings (deck.gl's luma.gl).
    for (const [name, licence] of [
      ['react', 'MIT'],
      ['react-dom', 'MIT'],
      ['leaflet', 'BSD-2-Clause'],
      ['@deck.gl/core', 'MIT'],
      ['@luma.gl/webgl', 'MIT'],
      ['pdfjs-dist', 'Apache-2.0'],
    ])
      expect(listed.get(name), name).toBe(licence);
    // Their licence texts themselves, not just the names; and none of the app's own code or tools.
    expect(text).toContain('Apache License');
    expect(text).toContain('Permission is hereby granted, free of charge');
    for (const tool of ['vite', 'vitest', 'electron', 'typescript', 'tsx'])
      expect(listed.has(tool), tool).toBe(false);
  });

  it('imports the DC sample, evaluates in its worker thread and runs ONNX, with no tsx and no sources', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shotcast-built-db-'));
    const run = spawnSync(
      process.execPath,
      [join(REPO_ROOT, 'test/packaging/drive-core.mjs'), join(app, 'out/main/core.js'), dir],
      // A clean NODE_OPTIONS: no loader can slip in from the test runner's environment.
      { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 240_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const got = JSON.parse(run.stdout) as Driven;
    expect(got.execArgv).toEqual([]);
    // The resources beside the built app, and Node's own better-sqlite3 build (not Electron).
    expect(got.resourcesDir).toBe(join(app, 'resources'));
    expect(got.binding).toBeNull();
    expect(got.imported).toBeGreaterThan(30_000);
    // The parsing worker and the evaluation worker both started from the bundle's worker entries.
    expect(got.importWorkers).toBe(1);
    expect(got.workers).toBe(2);
    expect(got.testEvents).toBeGreaterThan(0);
    // The use case stored the run, as it does for every door.
    expect(got.storedRuns).toEqual([got.runId]);
    expect(got.models.map((m) => m.spec)).toEqual(['counts-all', 'kde']);
    expect(got.onnx).toEqual([3, -4]);

    // The same evaluation from the TypeScript sources scores exactly the same: one core, two builds.
    const { result } = await walkForwardInWorker(join(dir, 'shotcast.db'), {
      dataset: 'dc-sample',
      grid: { rows: 20, cols: 20 },
      step: { unit: 'day' },
      models: 'counts-all,kde',
      testFrom: '2018-06-01',
      testTo: '2018-06-30',
      cadence: 'month',
    });
    expect(result.models.map((m) => ({ spec: m.spec, hitRate: m.hitRate }))).toEqual(got.models);
    for (const m of got.models) expect(m.hitRate['5']).toBeGreaterThan(0);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
