import { mkdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { TickflowError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { packageRoot } from '../paths.js';
import { bundledSource } from './bundled-data.js';
import { parseDayBoundary } from './daily-series.js';
import { formatScoreTable, type ForecastScore } from './forecast-metrics.js';
import type { ModelInput } from './model-meta.js';
import { saveModelFiles } from './model-files.js';
import { MODEL_ID } from './model-cache.js';
import { DEFAULT_TRAINING_OPTIONS, trainModel, type EpochReport, type TrainingOptions } from './train-model.js';
import { readTrainingCsv, type CsvFormat, type CsvTrainingSource } from './training-data.js';

/** Request of one `tickflow train` run. */
export interface TrainRequest {
  readonly instruments: readonly string[];
  readonly outDir: string;
  readonly options: TrainingOptions;
  readonly csv?: { readonly file: string; readonly format: CsvFormat; readonly column?: string };
  /** `HH:MM` UTC where an intraday day starts. */
  readonly dayBoundary: string;
  readonly backend: string;
  readonly command: string;
}

/** Receives progress; the command renders it as a bar in a terminal and as lines elsewhere. */
export interface TrainProgress {
  start(modelId: string, maxEpochs: number): void;
  epoch(modelId: string, report: EpochReport): void;
  finish(modelId: string, scores: readonly ForecastScore[], folder: string): void;
}

/** Trains and writes one model per instrument; returns the held-out scores of each. */
export async function runTraining(request: TrainRequest, progress: TrainProgress, logger: Logger): Promise<Map<string, ForecastScore[]>> {
  const results = new Map<string, ForecastScore[]>();

  checkInstrumentIds(request.instruments);
  prepareOutDir(request.outDir);

  for (const instrument of request.instruments) {
    const source = sourceFor(instrument, request);
    const series = await readTrainingCsv({ ...source, dayBoundaryMinutes: parseDayBoundary(request.dayBoundary) });

    if (series.skipped.length > 0) {
      logger.warn({ instrument, file: source.file, skipped: series.skipped.length, first: series.skipped.slice(0, 3) }, `skipped ${series.skipped.length} row(s) of ${source.file}`);
    }

    progress.start(instrument, request.options.maxEpochs);

    const result = await trainModel(
      series.observations,
      { modelId: instrument, instrument, input: inputOf(source, request.dayBoundary), command: request.command, backend: request.backend },
      request.options,
      (report) => progress.epoch(instrument, report),
    );

    const folder = join(request.outDir, instrument);
    await saveModelFiles(folder, result.network, result.meta);
    result.network.dispose();
    progress.finish(instrument, result.scores, folder);
    results.set(instrument, result.scores);
  }

  return results;
}

/** Rejects ids that could not be a model folder name, before any training: `../x` would write outside the output folder. */
function checkInstrumentIds(instruments: readonly string[]): void {
  const invalid = instruments.find((instrument) => !MODEL_ID.test(instrument));

  if (invalid !== undefined) {
    throw new TickflowError('model-id-invalid', `invalid instrument id "${invalid}": it names the model folder, so use letters, digits, ".", "_" and "-", starting with a letter or digit`, { instrument: invalid });
  }
}

/** Creates the output folder up front, so a bad --out fails before minutes of training. */
function prepareOutDir(outDir: string): void {
  try {
    if (statSync(outDir, { throwIfNoEntry: false })?.isDirectory() === false) {
      throw new TickflowError('train-out-invalid', `output folder ${outDir} is a file: pass --out a folder or a path to create`, { file: outDir });
    }

    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    if (error instanceof TickflowError) {
      throw error;
    }

    const reason = error instanceof Error ? error.message : String(error);
    throw new TickflowError('train-out-invalid', `cannot create output folder ${outDir} (${reason}): pass --out a writable folder`, { file: outDir }, { cause: error });
  }
}

/** Reads the instrument ids of a pipeline file: `instruments` as ids or as objects with an `id`. */
export async function instrumentsOfPipeline(file: string): Promise<string[]> {
  // NOTE: reads only the instruments list; the pipeline loader validates the whole file.
  const document = parse(await readFile(file, 'utf8')) as { instruments?: unknown } | null;
  const list = Array.isArray(document?.instruments) ? (document.instruments as unknown[]) : [];
  const ids = list.map((entry) => (typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined));

  if (ids.length === 0 || !ids.every((id): id is string => typeof id === 'string' && id !== '')) {
    throw new TickflowError('pipeline-invalid', `${file} has no instruments list of ids to train`, { file });
  }

  return ids;
}

/** Renders the comparison table of one model for the terminal and the docs. */
export function comparisonText(modelId: string, scores: readonly ForecastScore[]): string {
  return `\n${modelId}: held-out comparison (QLIKE on daily variance, RMSE on annualized volatility)\n${formatScoreTable(scores)}\n`;
}

function sourceFor(instrument: string, request: TrainRequest): CsvTrainingSource {
  if (request.csv !== undefined) {
    return { file: request.csv.file, format: request.csv.format, column: request.csv.column ?? (request.csv.format === 'close-only' ? instrument : undefined) };
  }

  const bundled = bundledSource(instrument);

  if (bundled === undefined) {
    throw new TickflowError('training-data-missing', `no bundled data for instrument "${instrument}": pass --csv FILE --format ohlcv|close-only|intraday`, { instrument });
  }

  return bundled;
}

function inputOf(source: CsvTrainingSource, dayBoundary: string): ModelInput {
  const file = relative(packageRoot(), source.file);
  const base = { format: source.format, file, ...(source.column === undefined ? {} : { column: source.column }) };

  return source.format === 'intraday' ? { kind: 'intraday', ...base, dayBoundary } : { kind: 'daily', ...base };
}

export { DEFAULT_TRAINING_OPTIONS };
