import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../paths.js';

/** Registers `tickflow bench`: runs the compiled benchmarks in `dist/bench/`. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks in bench/ and print each figure beside its baseline')
    .argument('[names...]', 'run only benchmark files whose names contain one of these words')
    .option('--json', 'print every figure as one JSON array on the last line of standard output')
    .action(async (names: string[], options: { json?: boolean }) => {
      const runner = join(packageRoot(), 'dist', 'bench', 'run.js');

      if (!existsSync(runner)) {
        process.stderr.write(`tickflow bench: ${runner} is missing; run "npm run build" first\n`);
        process.exitCode = 1;
        return;
      }

      const args = [runner, ...names, ...(options.json === true ? ['--json'] : [])];
      process.exitCode = await new Promise<number>((resolveExit) => {
        spawn(process.execPath, ['--expose-gc', ...args], { stdio: 'inherit' }).on('exit', (code) => resolveExit(code ?? 1));
      });
    });
}
