import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './command.ts';
import { COMMANDS, type CommandEntry } from './commands/index.ts';
import { terminalProgress } from './progress.ts';
import { ShotcastError, UsageError } from '../main/util/errors.ts';

function registry(): Map<string, CommandEntry> {
  const map = new Map<string, CommandEntry>();
  for (const c of COMMANDS) {
    if (map.has(c.name)) throw new Error(`duplicate command name: ${c.name}`);
    map.set(c.name, c);
  }
  return map;
}

async function help(commands: Map<string, CommandEntry>): Promise<string> {
  const lines = ['usage: shotcast <command> [options]', '', 'commands:'];
  for (const entry of commands.values())
    lines.push(`  ${entry.name.padEnd(10)} ${(await entry.load()).summary}`);
  lines.push(
    '',
    'Every command takes --json (one JSON object on stdout). `shotcast <command> --help` shows its options.',
  );
  return lines.join('\n');
}

/**
 * Parses a command's arguments and runs it. The demo reuses this to run the pipeline as a sequence of
 * ordinary commands, so it exercises exactly what an analyst's script would.
 */
export async function invokeCommand(
  command: Command,
  args: string[],
  io: Pick<CommandContext, 'json' | 'log' | 'progress'>,
): Promise<unknown> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (usage: ${command.usage})`);
  }
  return command.run({
    values: parsed.values as Record<string, string | boolean | string[] | undefined>,
    positionals: parsed.positionals,
    ...io,
  });
}

/** Runs the CLI; returns the exit code (0 ok, 1 data error, 2 usage error). */
export async function runCli(argv: string[]): Promise<number> {
  const commands = registry();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write((await help(commands)) + '\n');
    return name ? 0 : 2;
  }
  const entry = commands.get(name);
  const json = rest.includes('--json');
  const progress = terminalProgress(!json && process.stderr.isTTY === true);
  try {
    if (!entry) throw new UsageError(`unknown command '${name}'; run 'shotcast --help' for the list`);
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`usage: ${command.usage}\n${command.help ? `\n${command.help}\n` : ''}`);
      return 0;
    }
    const result = await invokeCommand(command, rest, {
      json,
      log: (line) => {
        if (!json) process.stdout.write(line + '\n');
      },
      progress,
    });
    progress.done();
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } catch (e) {
    progress.done();
    if (e instanceof ShotcastError) {
      process.stderr.write(`shotcast ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    // An unexpected failure is still one line for the user; SHOTCAST_DEBUG=1 shows the stack.
    if (process.env.SHOTCAST_DEBUG) console.error(e);
    process.stderr.write(`shotcast ${name}: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}
