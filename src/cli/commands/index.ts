import type { Command } from '../command.ts';
import { briefCommand } from './brief.ts';
import { datasetsCommand } from './datasets.ts';
import { evaluateCommand } from './evaluate.ts';
import { exportCommand } from './export.ts';
import { gridCommand } from './grid.ts';
import { importCommand } from './import.ts';
import { runsCommand } from './runs.ts';

/** Every shotcast command. One file per command; add yours here. A duplicate name fails at start-up. */
export const COMMANDS: readonly Command[] = [
  datasetsCommand,
  importCommand,
  gridCommand,
  evaluateCommand,
  runsCommand,
  briefCommand,
  exportCommand,
];
