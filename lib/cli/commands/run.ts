import type { Command } from 'commander';

/** Registers `tickflow run`. */
export function registerRunCommand(program: Command): void {
  program.command('run').description('not built yet');
}
