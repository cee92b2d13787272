import type { Command } from '../command.ts';
import { briefCommand } from './brief.ts';
import { datasetsCommand } from './datasets.ts';
import { evaluateCommand } from './evaluate.ts';
import { exportCommand } from './export.ts';
import { gridCommand } from './grid.ts';
import { importCommand } from './import.ts';
import { runsCommand } from './runs.ts';
import { trainCommand } from './train.ts';
import { forecastCommand } from './forecast.ts';
import { updateCommand } from './update.ts';
import { tuneCommand } from './tune.ts';
import { demoCommand } from './demo.ts';

/** Every shotcast command. One file per command; add yours here. A duplicate name fails at start-up. */
export const COMMANDS: readonly Command[] = [
  datasetsCommand,
  importCommand,
  gridCommand,
  evaluateCommand,
  runsCommand,
  briefCommand,
  exportCommand,
  trainCommand,
  forecastCommand,
  updateCommand,
  tuneCommand,
  demoCommand,
];
