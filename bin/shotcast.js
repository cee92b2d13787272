#!/usr/bin/env node
// The shotcast CLI runs the TypeScript core directly through tsx, so `npx shotcast` works right after
// `npm ci` with no build step. Re-exec with `--import tsx` so that worker threads inherit the loader.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withHugePages } from './hugepages.js';

const entry = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// Resolve tsx from this package, not from the caller's working directory.
const tsx = import.meta.resolve('tsx');
const child = spawn(
  process.execPath,
  ['--import', tsx, '--no-warnings=ExperimentalWarning', entry, ...process.argv.slice(2)],
  { stdio: 'inherit', env: withHugePages() },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
