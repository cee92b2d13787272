import type { ProgressFn } from '../shared/types.ts';

/** What every command receives: parsed options, positionals and the output channels. */
export interface CommandContext {
  /** Options as parsed by node:util parseArgs with the command's own option table. */
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  json: boolean;
  /** Human output (stdout); silent under --json. */
  log: (line: string) => void;
  /** Progress drawn as a bar on a terminal (stderr), silent elsewhere. */
  progress: ProgressFn;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  default?: string | boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** More for `--help` after the usage line (e.g. evaluate's model catalogue). */
  help?: string;
  options: Record<string, OptionSpec>;
  allowPositionals?: boolean;
  /** Returns the JSON object printed under --json (and may log a human summary). */
  run: (ctx: CommandContext) => Promise<unknown>;
}
