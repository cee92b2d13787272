import { runCli } from './run.ts';

// A reader that stops early (`shotcast datasets | head -1`) closes the pipe: the command still
// finishes its work, and what it would have printed goes nowhere, without a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
  });

process.exitCode = await runCli(process.argv.slice(2));
