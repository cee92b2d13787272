// `npm run web [-- --port N --db PATH --tiles FILE.mbtiles]`: the workstation in a browser, on 127.0.0.1 only.
import { register } from 'tsx/esm/api';

register();
const { parseWebArgs, runWebHost } = await import('../src/main/web/main.ts');
const { ensureRendererBuilt } = await import('./build-renderer.ts');

let opts;
try {
  opts = parseWebArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(
    `shotcast web: ${e.message.split('\n')[0]} (usage: npm run web -- [--port N] [--db PATH] [--tiles FILE.mbtiles])\n`,
  );
  process.exit(2);
}
try {
  const staticDir = await ensureRendererBuilt({ quiet: true });
  const host = await runWebHost({ ...opts, staticDir });
  process.stdout.write(`shotcast web: ${host.url}\n`);
  process.stdout.write(`database: ${opts.db}\n`);
  const stop = () => host.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`shotcast web: ${String(e?.message ?? e).split('\n')[0]}\n`);
  process.exit(1);
}
