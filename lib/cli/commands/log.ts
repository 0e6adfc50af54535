import type { Command } from 'commander';

/** Registers `tickflow log`. */
export function registerLogCommand(program: Command): void {
  program.command('log').description('not built yet');
}
