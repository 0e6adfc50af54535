import type { Command } from 'commander';

/** Registers `tickflow validate`. */
export function registerValidateCommand(program: Command): void {
  program.command('validate').description('not built yet');
}
