import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultStageRegistry } from '../../engine/stage-kinds.js';
import { hasErrorCode, TickflowError } from '../../errors.js';
import { FORECASTER, Forecaster, MODEL_CACHE, ModelCache, modelIdsOfPipelines, modelUsersOfPipelines, selectBackend } from '../../model/index.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { formatProblem, loadPipelineFile, type PipelineSpec } from '../../pipeline/index.js';
import { packageRoot } from '../../paths.js';
import { Services } from '../../services.js';
import { formatReplay, logHead, replayLog, verifyEventLog } from '../../store/index.js';
import { systemClock } from '../../time/clock.js';
import { ExitCode } from '../exit-codes.js';

interface ReplayFlags {
  log: string;
  model?: string;
  from?: string;
  to?: string;
  check?: boolean;
  /** False with `--no-verify`: replay a log whose hash chain is broken. */
  verify?: boolean;
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

/** Registers `tickflow replay PIPELINE --log FILE [--model DIR] [--from T] [--to T] [--check] [--no-verify]`. */
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
    .option('--no-verify', 'replay even when the hash chain of the log is broken (changed or removed rows)')
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
    if (flags.verify !== false && !chainIntact(flags.log, output)) {
      return ExitCode.failure;
    }

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

/** Checks the hash chain first: replaying a changed log would compare against events no run produced. */
function chainIntact(file: string, output: ReplayOutput): boolean {
  const result = verifyEventLog(file);

  if (!result.ok) {
    output.err(`tickflow replay: event log ${file} was tampered with at row ${result.problem?.seq}: ${result.problem?.message}; pass --no-verify to replay it anyway`);
  }

  return result.ok;
}

/**
 * Sets up the model cache and forecaster when the pipeline has an `lstm` stage, and loads every
 * model up front, so a missing or broken model stops the replay before any bar runs.
 */
async function modelServices(spec: PipelineSpec, modelsDir: string | undefined, logger: Logger): Promise<Services> {
  const services = new Services();

  if (!spec.stages.some((stage) => stage.kind === 'lstm')) {
    return services;
  }

  const folder = resolve(modelsDir ?? join(packageRoot(), 'models'));

  if (statSync(folder, { throwIfNoEntry: false })?.isDirectory() !== true) {
    throw new TickflowError('model-folder-invalid', `model folder ${folder} does not exist or is a file: pass --model a folder with one subfolder per model id`, { file: folder });
  }

  await selectBackend(logger);

  const cache = new ModelCache({ modelsDir: folder, logger });
  await preload(cache, spec, folder);
  services.set(MODEL_CACHE, cache);
  services.set(FORECASTER, new Forecaster({ cache, clock: systemClock }));
  return services;
}

async function preload(cache: ModelCache, spec: PipelineSpec, folder: string): Promise<void> {
  const modelIds = modelIdsOfPipelines([spec]);

  try {
    await cache.preload(modelIds, modelUsersOfPipelines([spec]));
  } catch (error) {
    cache.dispose();

    if (hasErrorCode(error, 'model-not-found')) {
      throw error;
    }

    const reason = error instanceof Error ? error.message : String(error);
    throw new TickflowError('model-load-failed', `cannot load model ${modelIds.join(', ')} from ${folder}: ${reason}`, { file: folder, modelIds }, { cause: error });
  }
}

function parseRange(flags: ReplayFlags, output: ReplayOutput): { from?: number; to?: number } | undefined {
  const from = parseTime(flags.from, '--from', output);
  const to = parseTime(flags.to, '--to', output);

  if (from === null || to === null) {
    return undefined;
  }

  if (from !== undefined && to !== undefined && from > to) {
    output.err(`tickflow replay: --from ${flags.from} is after --to ${flags.to}: pass an earlier --from or a later --to`);
    return undefined;
  }

  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function parseTime(text: string | undefined, flag: string, output: ReplayOutput): number | undefined | null {
  if (text === undefined) {
    return undefined;
  }

  const time = /^\d+$/.test(text) ? Number(text) : isoTime(text);

  if (time === undefined || !Number.isSafeInteger(time) || Math.abs(time) > MAX_DATE_MS) {
    output.err(`tickflow replay: invalid ${flag} "${text}": expected an ISO date such as 2008-01-31 or epoch milliseconds`);
    return null;
  }

  return time;
}

/** The largest epoch milliseconds a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** `YYYY-MM-DD`, optionally followed by an ISO time and zone. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Parses an ISO date, rejecting days a calendar lacks (Date.parse rolls 2005-02-30 over to March). */
function isoTime(text: string): number | undefined {
  const match = ISO_DATE.exec(text);

  if (match === null) {
    return undefined;
  }

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));

  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }

  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}
