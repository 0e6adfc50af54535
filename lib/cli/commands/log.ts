import type { Command } from 'commander';
import { TickflowError } from '../../errors.js';
import { verifyEventLog } from '../../store/verify-log.js';
import { ExitCode } from '../exit-codes.js';

/** Registers `tickflow log verify FILE [--head HASH]`. */
export function registerLogCommand(program: Command): void {
  const log = program.command('log').description('inspect the event log');

  log
    .command('verify')
    .description('check the hash chain of an event log file: exit 0 when intact, 1 when a row was changed or removed')
    .argument('<file>', 'event log file, such as data/events.sqlite')
    .option('--head <hash>', 'head hash from a run report: also detects rows cut from the end')
    .action((file: string, options: { head?: string }) => {
      process.exitCode = verifyCommand(file, options.head);
    });
}

/** A head hash is the SHA-256 of a row: 64 hex digits. */
const HEAD_HASH = /^[0-9a-f]{64}$/i;

function verifyCommand(file: string, head: string | undefined): number {
  if (head !== undefined && !HEAD_HASH.test(head)) {
    process.stderr.write(`tickflow log verify: invalid --head "${head}": expected the 64 hex digit head hash a run report prints\n`);
    return ExitCode.usage;
  }

  try {
    const result = verifyEventLog(file, head === undefined ? {} : { head: head.toLowerCase() });

    if (result.ok) {
      process.stdout.write(`${file}: intact, ${result.rows} rows, head ${result.headHash || '(empty log)'}\n`);
      return ExitCode.ok;
    }

    process.stdout.write(`${file}: tampered at row ${result.problem?.seq}: ${result.problem?.message}\n`);
    return ExitCode.failure;
  } catch (error) {
    const message = error instanceof TickflowError ? error.message : `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`tickflow log verify: ${message}\n`);
    return ExitCode.failure;
  }
}
