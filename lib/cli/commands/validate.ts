import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { defaultStageRegistry } from '../../engine/stage-kinds.js';
import { formatProblem, loadPipelineFile } from '../../pipeline/index.js';
import { ExitCode } from '../exit-codes.js';
import { findMissingModels } from './missing-models.js';

/** The engine's default `models.dir`, relative to the working directory. */
const DEFAULT_MODELS_DIR = 'models';

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
 * received Y)`, including `lstm` stages whose model is missing from the models folder. Returns 0
 * when every file is valid, 1 when any has problems, 2 for bad usage (no files, or a file that
 * does not exist).
 */
export async function validateFiles(files: readonly string[], output: ValidateOutput = processOutput, modelsDir = DEFAULT_MODELS_DIR): Promise<number> {
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
    const problems = result.ok ? findMissingModels(result.spec, modelsDir) : result.problems;

    if (result.ok && problems.length === 0) {
      output.out(`${file}: valid (${result.spec.stages.length} stages, source ${result.spec.source.type})`);
    } else {
      invalid++;
      problems.forEach((problem) => output.out(formatProblem(problem)));
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
    .option('--models-dir <dir>', 'folder of trained models that lstm stages must find', DEFAULT_MODELS_DIR)
    .action(async (files: string[], options: { modelsDir: string }) => {
      process.exitCode = await validateFiles(files, processOutput, options.modelsDir);
    });
}
