import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { join } from 'node:path';
import { toError } from '../../errors.js';
import { DEFAULT_TRAINING_OPTIONS, selectBackend, type BackendName, type EpochReport, type ForecastScore } from '../../model/index.js';
import { comparisonText, instrumentsOfPipeline, runTraining, type TrainProgress } from '../../model/train-run.js';
import { createLogger, type Logger } from '../../observability/logger.js';
import { packageRoot } from '../../paths.js';
import { ExitCode } from '../exit-codes.js';

interface TrainFlags {
  instrument: string[];
  out: string;
  epochs: number;
  seed: number;
  csv?: string;
  format?: 'ohlcv' | 'close-only' | 'intraday';
  column?: string;
  dayBoundary: string;
  window: number;
  horizon: number;
  units: number;
  backend?: BackendName;
}

/** Registers `tickflow train`. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('fit one LSTM volatility model per instrument and write it to models/<instrument>/')
    .argument('[pipeline]', 'pipeline file whose instruments are trained')
    .option('--instrument <id>', 'instrument to train (repeatable); SPX, GOOG, USDCHF and the Dow Jones 30 tickers have bundled data', collect, [])
    .option('--out <dir>', 'folder that receives one model folder per instrument', join(packageRoot(), 'models'))
    .option('--epochs <n>', 'maximum epochs (early stopping may end sooner)', positiveInteger, DEFAULT_TRAINING_OPTIONS.maxEpochs)
    .option('--seed <n>', 'seed of the initializers and of the sample order', integer, DEFAULT_TRAINING_OPTIONS.seed)
    .option('--csv <file>', 'train on this CSV file instead of the bundled data')
    .addOption(new Option('--format <format>', 'layout of the --csv file').choices(['ohlcv', 'close-only', 'intraday']))
    .option('--column <name>', 'price column of a close-only or intraday file (close-only: the instrument id unless set)')
    .option('--day-boundary <HH:MM>', 'UTC time where an intraday day starts', '00:00')
    .option('--window <n>', 'days in each input window', positiveInteger, DEFAULT_TRAINING_OPTIONS.window)
    .option('--horizon <n>', 'days ahead the forecast covers', positiveInteger, DEFAULT_TRAINING_OPTIONS.horizon)
    .option('--units <n>', 'LSTM units', positiveInteger, DEFAULT_TRAINING_OPTIONS.units)
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend to train on (best available unless set)').choices(['tensorflow', 'wasm', 'cpu']))
    .action(async (pipeline: string | undefined, flags: TrainFlags) => {
      process.exitCode = await trainCommand(pipeline, flags, createLogger());
    });
}

async function trainCommand(pipeline: string | undefined, flags: TrainFlags, logger: Logger): Promise<number> {
  try {
    const instruments = await instrumentsToTrain(pipeline, flags);
    const backend = await selectBackend(logger, flags.backend === undefined ? {} : { candidates: [flags.backend] });
    const progress = process.stderr.isTTY ? barProgress() : lineProgress(logger);

    await runTraining(
      {
        instruments,
        outDir: flags.out,
        options: { ...DEFAULT_TRAINING_OPTIONS, maxEpochs: flags.epochs, seed: flags.seed, window: flags.window, horizon: flags.horizon, units: flags.units },
        csv: flags.csv === undefined ? undefined : { file: flags.csv, format: flags.format ?? 'ohlcv', column: flags.column },
        dayBoundary: flags.dayBoundary,
        backend: backend.name,
        command: ['tickflow', ...process.argv.slice(3)].join(' ').replace(/^tickflow/, 'tickflow train'),
      },
      progress,
      logger,
    );

    return ExitCode.ok;
  } catch (error) {
    process.stderr.write(`tickflow train: ${toError(error).message}\n`);

    return ExitCode.failure;
  }
}

async function instrumentsToTrain(pipeline: string | undefined, flags: TrainFlags): Promise<string[]> {
  if (flags.instrument.length > 0) {
    return flags.instrument;
  }

  return instrumentsOfPipeline(pipeline ?? join(packageRoot(), 'pipelines', 'default.yaml'));
}

function barProgress(): TrainProgress {
  let bar: SingleBar | undefined;

  return {
    start(modelId, maxEpochs) {
      bar = new SingleBar({ format: `${modelId} [{bar}] epoch {value}/{total} | loss {loss} | val loss {valLoss} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true });
      bar.start(maxEpochs, 0, { loss: '-', valLoss: '-' });
    },
    epoch(_modelId, report: EpochReport) {
      bar?.update(report.epoch, { loss: report.loss.toFixed(4), valLoss: report.validationLoss.toFixed(4) });
    },
    finish(modelId, scores: readonly ForecastScore[], folder) {
      bar?.stop();
      process.stdout.write(`${comparisonText(modelId, scores)}wrote ${folder}\n`);
    },
  };
}

function lineProgress(logger: Logger): TrainProgress {
  return {
    start(modelId, maxEpochs) {
      logger.info({ modelId, maxEpochs }, `training ${modelId}`);
    },
    epoch(modelId, report: EpochReport) {
      logger.info({ modelId, ...report }, `${modelId} epoch ${report.epoch}/${report.maxEpochs} loss ${report.loss.toFixed(4)} val loss ${report.validationLoss.toFixed(4)}`);
    },
    finish(modelId, scores: readonly ForecastScore[], folder) {
      process.stdout.write(`${comparisonText(modelId, scores)}wrote ${folder}\n`);
    },
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInteger(value: string): number {
  const parsed = Number(value);

  if (!Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number of 1 or more, received "${value}"`);
  }

  return parsed;
}

function integer(value: string): number {
  const parsed = Number(value);

  if (!Number.isSafeInteger(parsed)) {
    throw new InvalidArgumentError(`expected a whole number, received "${value}"`);
  }

  return parsed;
}
