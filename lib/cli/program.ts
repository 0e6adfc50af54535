import { Command } from 'commander';
import { registerBenchCommand } from './commands/bench.js';
import { registerLogCommand } from './commands/log.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerRunCommand } from './commands/run.js';
import { registerTrainCommand } from './commands/train.js';
import { registerValidateCommand } from './commands/validate.js';
import { ExitCode } from './exit-codes.js';

/** Builds the `tickflow` command with every subcommand registered. */
export function buildProgram(): Command {
  const program = new Command('tickflow')
    .description('Reactive stream-processing engine for real-time ML trading signals')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((error) => {
      const code = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      process.exit(code);
    });

  registerRunCommand(program);
  registerValidateCommand(program);
  registerTrainCommand(program);
  registerReplayCommand(program);
  registerLogCommand(program);
  registerBenchCommand(program);

  return program;
}
