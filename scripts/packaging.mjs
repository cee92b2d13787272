// The packaging toolchain (electron-builder, @electron/rebuild) is a small package of its own in
// packaging/, with its own lock, installed into packaging/node_modules on first use by `npm run dist`
// and `npm run rebuild:electron` (scripts/dist.mjs, scripts/electron-native.mjs). It stays out of the
// root install: @electron/rebuild 4 and its node-abi 4 ask for Node 22.12+, which would make every
// `npm ci` on Node 20 print engine warnings, and it is several hundred packages that only packaging needs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The packaging package's folder (package.json and package-lock.json; node_modules once installed). */
export const PACKAGING_DIR = join(ROOT, 'packaging');

/** The packages the scripts load from packaging/node_modules. */
export const TOOLCHAIN = ['electron-builder', '@electron/rebuild'];

/** The oldest Node that electron-builder 26 and @electron/rebuild 4 support. */
export const MIN_NODE = [22, 12];

/** Whether a Node version (`process.versions.node`) can run the packaging toolchain. */
export function nodeCanPackage(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/**
 * True when packaging/node_modules holds a finished install (npm writes node_modules/.package-lock.json
 * last) of the toolchain at the versions packaging/package-lock.json names.
 */
export function toolchainInstalled(dir = PACKAGING_DIR) {
  const modules = join(dir, 'node_modules');
  if (!existsSync(join(modules, '.package-lock.json'))) return false;
  try {
    const locked = readJson(join(dir, 'package-lock.json')).packages ?? {};
    return TOOLCHAIN.every((name) => {
      const file = join(modules, name, 'package.json');
      return existsSync(file) && readJson(file).version === locked[`node_modules/${name}`]?.version;
    });
  } catch {
    return false;
  }
}

/** Why `npm ci` failed, in a few words, from everything it printed. */
export function installReason(log) {
  const code =
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTCACHED|CERT_|SELF_SIGNED/.exec(
      log,
    )?.[0];
  if (code) return `no network (${code})`;
  const line = log
    .split('\n')
    .filter((l) => /^npm (error|ERR!)/.test(l))
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
    .find((l) => l !== '' && !/^A complete log of this run/.test(l));
  return (line ?? 'see its output').slice(0, 160);
}

/** How to run npm: the npm that runs this script (`npm run …`), else the one on the PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /\.c?js$/.test(cli) && existsSync(cli)) return { command: process.execPath, prefix: [cli] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefix: [] };
}

/** The toolchain could not be installed; `reason` is a few words, `log` everything npm printed. */
export class ToolchainInstallError extends Error {
  constructor(reason, log) {
    super(`could not install the packaging toolchain into packaging/ (${reason})`);
    this.name = 'ToolchainInstallError';
    this.reason = reason;
    this.log = log;
  }
}

/**
 * Installs the toolchain into packaging/node_modules from packaging/package-lock.json (`npm ci
 * --prefix packaging`) unless a current install is there. npm's output is kept, not shown; a failure
 * throws a ToolchainInstallError. Returns whether it installed.
 */
export function ensureToolchain({
  dir = PACKAGING_DIR,
  log = (line) => process.stdout.write(`${line}\n`),
} = {}) {
  if (toolchainInstalled(dir)) return false;
  log(
    'installing the packaging toolchain (electron-builder, @electron/rebuild) into packaging/ (first use)…',
  );
  const npm = npmCommand();
  const r = spawnSync(
    npm.command,
    [...npm.prefix, 'ci', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel=warn'],
    {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32' && npm.prefix.length === 0,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) throw new ToolchainInstallError(`npm could not be run: ${r.error.message}`, out);
  if (r.status !== 0 || !toolchainInstalled(dir)) throw new ToolchainInstallError(installReason(out), out);
  return true;
}

/** `require` resolving from packaging/ (the toolchain's own node_modules). */
export function toolchainRequire(dir = PACKAGING_DIR) {
  return createRequire(join(dir, 'package.json'));
}
