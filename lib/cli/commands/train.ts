import type { Command } from 'commander';

/** Registers `tickflow train`. */
export function registerTrainCommand(program: Command): void {
  program.command('train').description('not built yet');
}
