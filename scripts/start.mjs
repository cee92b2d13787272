// `npm start`: build with electron-vite, then open the workstation in Electron 41. On first start the
// Electron binary is fetched (its postinstall is off so `npm ci` works offline) and better-sqlite3 is
// built for Electron's ABI into native/ (scripts/electron-native.mjs; node_modules keeps Node's build
// for the CLI and the tests); when either cannot be made, say so in one line and exit non-zero.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withHugePages } from '../bin/hugepages.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function fail(message) {
  process.stderr.write(`shotcast start: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(electronDir, 'package.json'))) fail('electron is not installed; run `npm ci` first');

let bin = electronBinary();
if (!bin) {
  process.stdout.write('shotcast start: fetching the Electron binary (first start)…\n');
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
    cwd: electronDir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  bin = electronBinary();
  if (r.status !== 0 || !bin) {
    const why = String(r.stderr ?? '')
      .split('\n')
      .find((l) => /error|ENOTFOUND|EAI_AGAIN|ECONN|fetch|timed out/i.test(l))
      ?.trim();
    fail(
      `the Electron binary is missing and could not be downloaded${why ? ` (${why.slice(0, 160)})` : ''}; ` +
        'install it with `node node_modules/electron/install.js` where the network allows, or open the workstation in a browser with `npm run web`',
    );
  }
}

// better-sqlite3 for Electron's ABI (a no-op once native/ holds a current build); its one-line error
// is already printed when it fails.
const native = spawnSync(process.execPath, [join(root, 'scripts', 'electron-native.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (native.status !== 0) process.exit(1);

const build = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (build.status !== 0) fail('electron-vite build failed (see above)');

const run = spawnSync(bin, [root, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: withHugePages(),
});
process.exit(run.status ?? 1);
