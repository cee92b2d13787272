// `npm run dist [-- --linux | --win | --mac]`: the installers, with electron-builder and
// electron-builder.yml. Needs Node 22.12+ and the network (the packaging toolchain from the npm
// registry, Electron's zip for the target, electron-builder's packaging tools, Electron's headers or a
// prebuilt better-sqlite3), so it runs on a connected machine and the installer is carried to the
// air-gapped one (README, "Air-gapped install"). Steps, each failing in one line with a non-zero exit:
//   0. Node 22.12+, and the packaging toolchain (electron-builder, @electron/rebuild) installed into
//      packaging/node_modules from packaging/package-lock.json unless it is there (scripts/packaging.mjs);
//   1. fetch Electron's zip for the target into the cache (or find it there) — offline, stop here;
//   2. electron-vite build (out/);
//   3. better-sqlite3 for Electron's ABI (native/, scripts/electron-native.mjs);
//   4. electron-builder (packaging/node_modules), never publishing; its full output goes to
//      dist/electron-builder.log.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './electron-native.mjs';
import { ensureToolchain, MIN_NODE, nodeCanPackage, PACKAGING_DIR, toolchainRequire } from './packaging.mjs';

const README = 'see the README, "Air-gapped install"';

function fail(message) {
  process.stderr.write(`npm run dist: ${message}\n`);
  process.exit(1);
}

/** The platforms asked for on the command line (electron-builder's flags), default this one. */
export function targetPlatforms(args, host = process.platform) {
  const asked = [];
  if (args.some((a) => a === '--linux' || a === '-l')) asked.push('linux');
  if (args.some((a) => a === '--win' || a === '-w' || a === '--windows')) asked.push('win32');
  if (args.some((a) => a === '--mac' || a === '-m' || a === '--macos')) asked.push('darwin');
  return asked.length > 0 ? asked : [host];
}

/** The architectures electron-builder.yml builds for a platform (macOS: the building Mac's own). */
export function targetArch(platform, hostArch = process.arch) {
  return platform === 'darwin' ? hostArch : 'x64';
}

/** Why a download failed, in a few words. */
export function downloadReason(e) {
  const text = `${e?.code ?? ''} ${e?.message ?? e}`;
  const code =
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|CERT_|SELF_SIGNED/.exec(
      text,
    )?.[0];
  if (code) return `no network (${code})`;
  return String(e?.message ?? e)
    .split('\n')[0]
    .slice(0, 160);
}

/**
 * Step 0: a Node that runs the toolchain, and the toolchain in packaging/node_modules (`dir` is the
 * packaging folder: tests use a copy).
 */
export function prepareToolchain({ version = process.versions.node, dir = PACKAGING_DIR } = {}) {
  if (!nodeCanPackage(version)) {
    fail(
      `packaging needs Node ${MIN_NODE.join('.')} or newer (electron-builder 26 and @electron/rebuild 4 ` +
        `ask for it; this is Node ${version}): run \`npm ci && npm run dist\` with Node 22 LTS on a ` +
        `machine with the network and carry the installer in (${README}); everything else works on Node 20.19+`,
    );
  }
  try {
    ensureToolchain({ dir, log: (line) => process.stdout.write(`npm run dist: ${line}\n`) });
  } catch (e) {
    fail(
      `cannot install the packaging toolchain (electron-builder, @electron/rebuild) into packaging/: ` +
        `${e?.reason ?? downloadReason(e)}. Installers are built where the network reaches the npm registry ` +
        `and Electron's downloads: run \`npm ci && npm run dist\` on such a machine and carry the installer in (${README})`,
    );
  }
}

/**
 * Step 1: Electron's zip for each target, from the cache or the network, with @electron/get from
 * the root install (electron's own dependency; electron stays a root devDependency).
 */
export async function fetchElectron(platforms) {
  const electron = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
  const require = createRequire(join(ROOT, 'node_modules/electron/package.json'));
  const { downloadArtifact } = await import(require.resolve('@electron/get'));
  for (const platform of platforms) {
    const arch = targetArch(platform);
    try {
      await downloadArtifact({ version: electron, platform, arch, artifactName: 'electron' });
    } catch (e) {
      fail(
        `cannot get Electron ${electron} for ${platform}-${arch}: ${downloadReason(e)}. ` +
          `Installers are built where the network reaches Electron's downloads and the npm registry: ` +
          `run \`npm ci && npm run dist\` on such a machine and carry the installer in (${README})`,
      );
    }
  }
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}

/** Step 4: electron-builder, its output to the console and to dist/electron-builder.log. */
function electronBuilder(args) {
  const cli = join(dirname(toolchainRequire().resolve('electron-builder/package.json')), 'cli.js');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const logFile = join(ROOT, 'dist', 'electron-builder.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [cli, '--config', 'electron-builder.yml', '--publish', 'never', ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let tail = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      process.stdout.write(chunk);
      log.write(chunk);
      tail = (tail + chunk).slice(-4000);
    });
  }
  child.on('close', (code) => {
    log.end();
    if (code === 0) {
      process.stdout.write(`npm run dist: the installers are in ${join(ROOT, 'dist')}\n`);
      return;
    }
    const why = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(tail)
      ? 'a download failed: electron-builder fetches its packaging tools once'
      : (tail
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => /⨯|error/i.test(l))
          .pop()
          ?.slice(0, 200) ?? `exit code ${code}`);
    fail(`electron-builder failed (${why}); full log in dist/electron-builder.log (${README})`);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  prepareToolchain();
  await fetchElectron(targetPlatforms(args));
  run([join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
  run([join(ROOT, 'scripts/electron-native.mjs')]);
  electronBuilder(args);
}
