import { parseArgs } from 'node:util';
import type { Command, CommandContext } from './command.ts';
import { COMMANDS, type CommandEntry } from './commands/index.ts';
import { terminalProgress } from './progress.ts';
import { checkCommonOptions } from './options.ts';
import { UsageError } from '../main/util/errors.ts';
import { logInternalError, userErrorOf } from '../main/util/failure.ts';

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
  checkCommonOptions(parsed.values as Record<string, string | boolean | string[] | undefined>);
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
    return reportFailure(name, e);
  }
}

/** Exit code of a bug (sysexits' EX_SOFTWARE), kept apart from the user's 1 and 2. */
export const EXIT_INTERNAL = 70;

/**
 * One line on stderr for any failure. A user's mistake (or the machine's: a missing folder, a file
 * that is not a database) exits 1 or 2 and says what to fix; only a bug says "internal error", exits
 * 70 and names the log file that holds its stack (SHOTCAST_DEBUG=1 also prints it).
 */
export function reportFailure(name: string, e: unknown): number {
  const user = userErrorOf(e);
  if (user) {
    process.stderr.write(`shotcast ${name}: ${user.message.split('\n')[0]}\n`);
    return user.exitCode;
  }
  if (process.env.SHOTCAST_DEBUG) console.error(e);
  const log = logInternalError(e, `shotcast ${name}`);
  const message = ((e as Error)?.message ?? String(e)).split('\n')[0];
  process.stderr.write(`shotcast ${name}: internal error: ${message} (a bug; the stack is in ${log})\n`);
  return EXIT_INTERNAL;
}
