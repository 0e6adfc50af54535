import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultStageRegistry } from '../../engine/stage-kinds.js';
import { FORECASTER, Forecaster, MODEL_CACHE, ModelCache, selectBackend } from '../../model/index.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { formatProblem, loadPipelineFile, type PipelineSpec } from '../../pipeline/index.js';
import { packageRoot } from '../../paths.js';
import { Services } from '../../services.js';
import { formatReplay, logHead, replayLog } from '../../store/index.js';
import { systemClock } from '../../time/clock.js';
import { ExitCode } from '../exit-codes.js';

interface ReplayFlags {
  log: string;
  model?: string;
  from?: string;
  to?: string;
  check?: boolean;
}

/** Output streams of the command; tests pass their own. */
export interface ReplayOutput {
  out(line: string): void;
  err(line: string): void;
}

const processOutput: ReplayOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Registers `tickflow replay PIPELINE --log FILE [--model DIR] [--from T] [--to T] [--check]`. */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('rerun the bars and trades of an event log through a pipeline and print what changed')
    .argument('<pipeline>', 'pipeline file, such as pipelines/default.yaml')
    .requiredOption('--log <file>', 'event log file to replay, such as data/events.sqlite')
    .option('--model <dir>', 'folder of models (one subfolder per model id) to use instead of models/')
    .option('--from <time>', 'first event time to replay: ISO date or epoch milliseconds')
    .option('--to <time>', 'last event time to replay: ISO date or epoch milliseconds')
    .option('--check', 'exit with status 1 when any forecast, signal or order differs')
    .action(async (pipeline: string, flags: ReplayFlags) => {
      process.exitCode = await replayCommand(pipeline, flags);
    });
}

/** Runs a replay and prints it; returns the exit status. */
export async function replayCommand(pipeline: string, flags: ReplayFlags, output: ReplayOutput = processOutput, logger: Logger = createLogger({ level: 'warn' })): Promise<number> {
  const range = parseRange(flags, output);

  if (range === undefined) {
    return ExitCode.usage;
  }

  if (!existsSync(flags.log)) {
    output.err(`tickflow replay: event log ${flags.log} does not exist`);
    return ExitCode.failure;
  }

  const spec = await loadSpec(pipeline, output);

  if (spec === undefined) {
    return ExitCode.failure;
  }

  try {
    const services = await modelServices(spec, flags.model, logger);
    const result = await replayLog({ spec, logFile: flags.log, registry: defaultStageRegistry(), services, logger, ...range });
    const head = logHead(flags.log);

    output.out(formatReplay(result));
    output.out(`event log     ${head.rowCount} rows, head ${head.headHash || '(empty)'}`);
    return flags.check === true && !result.comparison.identical ? ExitCode.failure : ExitCode.ok;
  } catch (error) {
    output.err(`tickflow replay: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.failure;
  }
}

async function loadSpec(pipeline: string, output: ReplayOutput): Promise<PipelineSpec | undefined> {
  if (!existsSync(pipeline)) {
    output.err(`tickflow replay: pipeline file ${pipeline} does not exist`);
    return undefined;
  }

  const result = await loadPipelineFile(pipeline, defaultStageRegistry());

  if (!result.ok) {
    result.problems.forEach((problem) => output.err(formatProblem(problem)));
    return undefined;
  }

  return result.spec;
}

/** Sets up the model cache and forecaster when the pipeline has an `lstm` stage. */
async function modelServices(spec: PipelineSpec, modelsDir: string | undefined, logger: Logger): Promise<Services> {
  const services = new Services();

  if (!spec.stages.some((stage) => stage.kind === 'lstm')) {
    return services;
  }

  await selectBackend(logger);

  const cache = new ModelCache({ modelsDir: resolve(modelsDir ?? join(packageRoot(), 'models')), logger });
  services.set(MODEL_CACHE, cache);
  services.set(FORECASTER, new Forecaster({ cache, clock: systemClock }));
  return services;
}

function parseRange(flags: ReplayFlags, output: ReplayOutput): { from?: number; to?: number } | undefined {
  const from = parseTime(flags.from, '--from', output);
  const to = parseTime(flags.to, '--to', output);

  if (from === null || to === null) {
    return undefined;
  }

  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function parseTime(text: string | undefined, flag: string, output: ReplayOutput): number | undefined | null {
  if (text === undefined) {
    return undefined;
  }

  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);

  if (!Number.isFinite(time)) {
    output.err(`tickflow replay: invalid ${flag} "${text}": expected an ISO date such as 2008-01-31 or epoch milliseconds`);
    return null;
  }

  return time;
}
