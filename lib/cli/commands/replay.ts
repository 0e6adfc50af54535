import type { Command } from 'commander';

/** Registers `tickflow replay`. */
export function registerReplayCommand(program: Command): void {
  program.command('replay').description('not built yet');
}
