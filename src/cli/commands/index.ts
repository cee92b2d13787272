import type { Command } from '../command.ts';

/**
 * Every shotcast command: its name and how to load it. A command's module (and the core it pulls in:
 * the engine, pdfkit, exceljs…) is loaded only when that command runs, so `shotcast datasets` does not
 * pay for training code at start-up. One file per command; add yours here. A duplicate name fails at
 * start-up.
 */
export interface CommandEntry {
  name: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'datasets', load: async () => (await import('./datasets.ts')).datasetsCommand },
  { name: 'import', load: async () => (await import('./import.ts')).importCommand },
  { name: 'grid', load: async () => (await import('./grid.ts')).gridCommand },
  { name: 'evaluate', load: async () => (await import('./evaluate.ts')).evaluateCommand },
  { name: 'runs', load: async () => (await import('./runs.ts')).runsCommand },
  { name: 'train', load: async () => (await import('./train.ts')).trainCommand },
  { name: 'forecast', load: async () => (await import('./forecast.ts')).forecastCommand },
  { name: 'update', load: async () => (await import('./update.ts')).updateCommand },
  { name: 'tune', load: async () => (await import('./tune.ts')).tuneCommand },
  { name: 'brief', load: async () => (await import('./brief.ts')).briefCommand },
  { name: 'export', load: async () => (await import('./export.ts')).exportCommand },
  { name: 'demo', load: async () => (await import('./demo.ts')).demoCommand },
];
