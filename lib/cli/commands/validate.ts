import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultStageRegistry } from '../../engine/stage-kinds.js';
import { formatProblem, loadPipelineFile } from '../../pipeline/index.js';
import { ExitCode } from '../exit-codes.js';

/** Where the command writes; tests pass their own. */
export interface ValidateOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: ValidateOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Checks pipeline files and prints every problem as `file:line:col: path: message (expected X,
 * received Y)`. Returns 0 when every file is valid, 1 when any has problems, 2 for bad usage
 * (no files, or a file that does not exist).
 */
export async function validateFiles(files: readonly string[], output: ValidateOutput = processOutput): Promise<number> {
  if (files.length === 0) {
    output.err('tickflow validate: name at least one pipeline file');
    return ExitCode.usage;
  }

  const missing = files.filter((file) => !existsSync(file));

  if (missing.length > 0) {
    missing.forEach((file) => output.err(`tickflow validate: ${file}: file not found`));
    return ExitCode.usage;
  }

  const registry = defaultStageRegistry();
  let invalid = 0;

  for (const file of files) {
    const result = await loadPipelineFile(file, registry);

    if (result.ok) {
      output.out(`${file}: valid (${result.spec.stages.length} stages, source ${result.spec.source.type})`);
    } else {
      invalid++;
      result.problems.forEach((problem) => output.out(formatProblem(problem)));
    }
  }

  return invalid === 0 ? ExitCode.ok : ExitCode.failure;
}

/** Registers `tickflow validate`. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check pipeline files and print every problem as file:line:col')
    .argument('<files...>', 'pipeline YAML files')
    .action(async (files: string[]) => {
      process.exitCode = await validateFiles(files);
    });
}
