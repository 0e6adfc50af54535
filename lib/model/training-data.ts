import { readFile } from 'node:fs/promises';
import { TickflowError } from '../errors.js';
import { dailyFromIntraday, type DailyObservation, type IntradayPrice } from './daily-series.js';

/** Layout of the prices in a CSV file. */
export type CsvFormat = 'ohlcv' | 'close-only' | 'intraday';

export interface CsvTrainingSource {
  readonly file: string;
  readonly format: CsvFormat;
  /** Price column for close-only and intraday files; for intraday files the last column unless set. */
  readonly column?: string;
  /** Minutes after midnight UTC where an intraday day starts. */
  readonly dayBoundaryMinutes?: number;
}

/** The days read from a file, and the rows that were skipped with the reason. */
export interface TrainingSeries {
  readonly observations: DailyObservation[];
  readonly skipped: { line: number; reason: string }[];
}

interface Table {
  readonly header: string[];
  readonly rows: { line: number; cells: string[] }[];
}

/**
 * Reads a price history for training. This small reader covers the three layouts of the
 * bundled data files. Rows with a missing or non-positive price, or a time that does not move
 * forward, are skipped and reported rather than failing the whole file.
 */
export async function readTrainingCsv(source: CsvTrainingSource): Promise<TrainingSeries> {
  const table = parseTable(await readSourceFile(source.file), source.file);

  if (source.format === 'intraday') {
    return readIntraday(table, source);
  }

  return source.format === 'ohlcv' ? readOhlcv(table, source.file) : readCloseOnly(table, source);
}

async function readSourceFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TickflowError('training-data-missing', `cannot read training data ${file}: ${(error as Error).message}`, { file });
  }
}

function parseTable(text: string, file: string): Table {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((name) => name.trim().replace(/^"|"$/g, ''));

  if (header.length < 2) {
    throw new TickflowError('training-data-invalid', `${file} has no CSV header with a time column and a price column`, { file });
  }

  const rows = lines
    .slice(1)
    .map((line, i) => ({ line: i + 2, cells: line.split(',').map((cell) => cell.trim()) }))
    .filter((row) => row.cells.some((cell) => cell !== ''));

  return { header, rows };
}

function columnIndex(table: Table, names: readonly string[], file: string, what: string): number {
  const lower = table.header.map((name) => name.toLowerCase());
  const index = lower.findIndex((name) => names.includes(name));

  if (index < 0) {
    throw new TickflowError('training-data-invalid', `${file} has no ${what} column (looked for ${names.join(', ')}; found ${table.header.join(', ')})`, { file, column: what });
  }

  return index;
}

function readOhlcv(table: Table, file: string): TrainingSeries {
  const time = columnIndex(table, ['date', 'time', 'timestamp'], file, 'time');
  const [open, high, low, close] = ['open', 'high', 'low', 'close'].map((name) => columnIndex(table, [name], file, name));

  return collect(table, time, (cells) => {
    const values = [open, high, low, close].map((index) => Number(cells[index]));
    return values.every((value) => Number.isFinite(value) && value > 0) ? { open: values[0], high: values[1], low: values[2], close: values[3] } : undefined;
  });
}

function readCloseOnly(table: Table, source: CsvTrainingSource): TrainingSeries {
  if (source.column === undefined) {
    throw new TickflowError('training-data-invalid', `${source.file} is close-only: name its price column with --column (one of ${table.header.slice(1).join(', ')})`, { file: source.file });
  }

  const time = columnIndex(table, ['date', 'time', 'timestamp'], source.file, 'time');
  const price = columnIndex(table, [source.column.toLowerCase()], source.file, source.column);

  return collect(table, time, (cells) => positive(cells[price]));
}

function readIntraday(table: Table, source: CsvTrainingSource): TrainingSeries {
  const time = 0;
  const price = source.column === undefined ? table.header.length - 1 : columnIndex(table, [source.column.toLowerCase()], source.file, source.column);
  const points: IntradayPrice[] = [];
  const series = collect(table, time, (cells) => positive(cells[price]));

  for (const observation of series.observations) {
    points.push({ time: observation.time, price: observation.close });
  }

  return { observations: dailyFromIntraday(points, source.dayBoundaryMinutes ?? 0), skipped: series.skipped };
}

function positive(cell: string | undefined): { close: number } | undefined {
  const value = Number(cell);
  return cell !== undefined && cell !== '' && Number.isFinite(value) && value > 0 ? { close: value } : undefined;
}

function collect(table: Table, timeColumn: number, read: (cells: string[]) => Omit<DailyObservation, 'time'> | undefined): TrainingSeries {
  const observations: DailyObservation[] = [];
  const skipped: { line: number; reason: string }[] = [];

  for (const row of table.rows) {
    const time = parseTime(row.cells[timeColumn]);
    const values = read(row.cells);
    const previous = observations[observations.length - 1];

    if (time === undefined || values === undefined) {
      skipped.push({ line: row.line, reason: time === undefined ? `invalid time "${row.cells[timeColumn]}"` : 'missing or non-positive price' });
    } else if (previous !== undefined && time <= previous.time) {
      skipped.push({ line: row.line, reason: `time ${row.cells[timeColumn]} does not move forward` });
    } else {
      observations.push({ time, ...values });
    }
  }

  return { observations, skipped };
}

/** Parses `YYYY-MM-DD` as midnight UTC and ISO timestamps as written; undefined when neither. */
export function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;

  const clean = text.replace(/^"|"$/g, '');
  const value = /^\d{4}-\d{2}-\d{2}$/.test(clean) ? Date.parse(`${clean}T00:00:00Z`) : Date.parse(clean);

  return Number.isFinite(value) ? value : undefined;
}
