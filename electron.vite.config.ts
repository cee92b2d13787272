import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where the build goes: out/ by default; SHOTCAST_OUT_DIR builds elsewhere (the built-bundle test). */
const out = resolve(root, process.env.SHOTCAST_OUT_DIR ?? 'out');

/**
 * The renderer's Vite config, also used on its own (scripts/build-renderer.ts) so the web host and the
 * browser tests can build just the renderer, fast, without Electron.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'src/renderer'),
  base: './',
  plugins: [react(), thirdPartyNotices()],
  resolve: {
    alias: {
      // The package's "browser" field points at a UMD build that carries its own copy of deck.gl;
      // the ESM build shares ours (one deck.gl, one luma.gl context).
      'deck.gl-leaflet': resolve(root, 'node_modules/deck.gl-leaflet/dist/deck.gl-leaflet.esm.js'),
    },
    dedupe: [
      '@deck.gl/core',
      '@luma.gl/core',
      '@luma.gl/engine',
      '@luma.gl/webgl',
      'leaflet',
      'react',
      'react-dom',
    ],
  },
  build: {
    outDir: resolve(out, 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: resolve(root, 'src/renderer/index.html') },
  },
};

/** The folder of the npm package a bundled module comes from (the last node_modules/<name>), or null. */
function packageDirOf(id: string): string | null {
  const path = id.replace(/^\0/, '').split('?')[0].split('\\').join('/');
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return null;
  const parts = path.slice(at + '/node_modules/'.length).split('/');
  const name = parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return path.slice(0, at) + '/node_modules/' + name;
}

/**
 * THIRD_PARTY_NOTICES.txt beside the renderer bundle: every npm package whose code the bundle holds,
 * with its version, licence and licence text (the installers redistribute that code, which most of
 * these licences ask to carry their notice).
 */
export function thirdPartyNotices(): Plugin {
  return {
    name: 'shotcast:third-party-notices',
    apply: 'build',
    generateBundle(_options, bundle) {
      const dirs = new Set<string>();
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        for (const id of Object.keys(file.modules)) {
          const dir = packageDirOf(id);
          if (dir) dirs.add(dir);
        }
      }
      // Assets taken whole from a package (pdf.js's worker, imported with ?url).
      for (const id of this.getModuleIds()) if (id.includes('?url')) dirs.add(packageDirOf(id) ?? '');
      dirs.delete('');
      const entries = [...dirs]
        .map((dir) => {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
            name: string;
            version: string;
            license?: string;
          };
          const files = existsSync(dir)
            ? readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice)(\.|-|$)/i.test(f))
            : [];
          const texts = files.map((f) => readFileSync(join(dir, f), 'utf8').trim());
          return { name: pkg.name, version: pkg.version, license: pkg.license ?? 'unknown', texts };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
      const seen = new Set<string>();
      const body = entries
        .filter((e) => !seen.has(`${e.name}@${e.version}`) && seen.add(`${e.name}@${e.version}`))
        .map(
          (e) =>
            `${e.name} ${e.version} (${e.license})\n${'-'.repeat(72)}\n` +
            (e.texts.length > 0
              ? e.texts.join('\n\n')
              : `No licence file in the package; its licence: ${e.license}.`),
        )
        .join('\n\n\n');
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD_PARTY_NOTICES.txt',
        source: `The shotcast window's JavaScript bundle holds code from these packages, under these licences.\n\n\n${body}\n`,
      });
    },
  };
}

/** `new URL('./x.worker.ts', import.meta.url)`: how the core names a worker thread's module. */
const WORKER_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"]+\.worker\.ts)\1\s*,\s*import\.meta\.url\s*\)/g;
const WORKER_REF = /__SHOTCAST_WORKER_([\w$]+)__/g;

/**
 * Worker-thread entries in the main-process build. Under tsx the core starts a worker on its own
 * TypeScript module (src/main/util/worker.ts); in the bundle each such module becomes an entry chunk of
 * its own (out/main/<name>.worker.js, sharing chunks with the main entries), and the URL points at it.
 */
export function workerEntries(): Plugin {
  return {
    name: 'shotcast:worker-entries',
    apply: 'build',
    async transform(code, id) {
      if (!code.includes('.worker.ts')) return null;
      const matches = [...code.matchAll(WORKER_URL)];
      if (matches.length === 0) return null;
      let out = '';
      let last = 0;
      for (const m of matches) {
        const spec = m[2];
        const target = await this.resolve(spec, id);
        if (!target) this.error(`${id}: cannot resolve the worker module ${spec}`);
        const ref = this.emitFile({ type: 'chunk', id: target.id, name: basename(spec, '.ts') });
        out += code.slice(last, m.index) + `new URL(__SHOTCAST_WORKER_${ref}__, import.meta.url)`;
        last = m.index + m[0].length;
      }
      return { code: out + code.slice(last), map: null };
    },
    renderChunk(code, chunk) {
      if (!code.includes('__SHOTCAST_WORKER_')) return null;
      return code.replace(WORKER_REF, (_all, ref: string) => {
        const rel = relative(dirname(chunk.fileName), this.getFileName(ref)).split('\\').join('/');
        return JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`);
      });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [workerEntries()],
    build: {
      outDir: resolve(out, 'main'),
      rollupOptions: {
        input: {
          // The Electron entry (shell + core) and the core alone, for plain Node (the built-bundle test).
          index: resolve(root, 'src/main/index.ts'),
          core: resolve(root, 'src/main/core.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(out, 'preload'),
      // A sandboxed preload can require only `electron`: bundle everything else into it.
      externalizeDeps: false,
      rollupOptions: {
        input: resolve(root, 'src/preload/index.ts'),
        external: ['electron'],
        // The package is "type": "module", but a sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
