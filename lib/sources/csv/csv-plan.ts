import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { TickflowError } from '../../errors.js';
import type { SourceInstrument } from '../market-source.js';
import { resolveSourceFile } from '../package-file.js';
import type { SettingProblem } from '../setting-problem.js';
import type { CsvColumns, CsvSourceSettings, DatasetName, ReplaySpeed } from '../source-settings.js';

export type CsvLayout = 'ohlcv' | 'close' | 'quotes';

/** Everything a CSV source needs, with defaults filled in and the file resolved. */
export interface CsvPlan {
  readonly name: string;
  readonly path: string;
  readonly layout: CsvLayout;
  readonly columns: Required<Pick<CsvColumns, 'time'>> & CsvColumns;
  /** The column of each instrument's prices (close layout), or the one instrument of the file. */
  readonly instrumentColumns: readonly { readonly instrument: string; readonly column: string }[];
  readonly dateFormat: string;
  readonly timeZone: string;
  readonly interval: number;
  readonly speed: ReplaySpeed;
  readonly delimiter: string;
}

interface DatasetPreset {
  readonly file: string;
  readonly timeZone: string;
}

/** Datasets known by name: the file and its time zone. Columns are the OHLCV defaults. */
export const DATASETS: Readonly<Record<DatasetName, DatasetPreset>> = {
  // Daily S&P 500 bars, 2000-01-03 to 2020-04-17; dates only, read as UTC midnights.
  sp500: { file: 'vega-datasets:data/sp500-2000.csv', timeZone: 'UTC' },
};

const DEFAULT_COLUMNS: Readonly<Record<CsvLayout, CsvColumns & { time: string }>> = {
  ohlcv: { time: 'date', open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
  close: { time: 'date' },
  quotes: { time: 'date', bid: 'bid', ask: 'ask' },
};

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** Lists what is wrong with CSV settings beyond their types: a missing file, an unknown instrument. */
export function checkCsvSettings(settings: CsvSourceSettings, instruments: readonly SourceInstrument[], baseDir: string): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const ids = instruments.map((instrument) => instrument.id);

  if ((settings.file === undefined) === (settings.dataset === undefined)) {
    problems.push({ path: settings.file === undefined ? '' : 'dataset', message: 'set exactly one of file or dataset', expected: 'file or dataset', received: settings.file === undefined ? 'neither' : 'both' });
  }

  if (settings.file !== undefined) {
    const path = resolveSourceFile(settings.file, baseDir);

    if (path === undefined || !existsSync(path)) {
      problems.push({ path: 'file', message: `file not found${path === undefined ? ' (package not installed)' : ` at ${path}`}`, expected: 'an existing CSV file', received: JSON.stringify(settings.file) });
    }
  }

  if (settings.instrument !== undefined && !ids.includes(settings.instrument)) {
    problems.push({ path: 'instrument', message: 'not one of the pipeline instruments', expected: ids.join(' | '), received: JSON.stringify(settings.instrument) });
  }

  for (const id of Object.keys(settings.instrumentColumns ?? {})) {
    if (!ids.includes(id)) {
      problems.push({ path: `instrumentColumns.${id}`, message: 'not one of the pipeline instruments', expected: ids.join(' | '), received: JSON.stringify(id) });
    }
  }

  if ((settings.layout ?? 'ohlcv') !== 'close' && settings.instrument === undefined && ids.length > 1) {
    problems.push({ path: 'instrument', message: `the file contains one instrument but the pipeline lists ${ids.length}; set source.instrument`, expected: ids.join(' | '), received: 'undefined' });
  }

  return problems;
}

/** Fills in defaults and resolves the file. Throws `source-invalid` for settings that `checkCsvSettings` rejects. */
export function planCsvSource(settings: CsvSourceSettings, instruments: readonly SourceInstrument[], baseDir: string): CsvPlan {
  const problems = checkCsvSettings(settings, instruments, baseDir);

  if (problems.length > 0) {
    throw new TickflowError('source-invalid', `invalid CSV source: ${problems.map((problem) => `${problem.path || 'source'}: ${problem.message}`).join('; ')}`, { problems });
  }

  const preset = settings.dataset === undefined ? undefined : DATASETS[settings.dataset];
  const file = settings.file ?? (preset as DatasetPreset).file;
  const layout = settings.layout ?? 'ohlcv';

  return {
    name: `csv:${settings.dataset ?? basename(file, extname(file))}`,
    path: resolveSourceFile(file, baseDir) as string,
    layout,
    columns: { ...DEFAULT_COLUMNS[layout], ...settings.columns },
    instrumentColumns: instrumentColumnsOf(settings, layout, instruments),
    dateFormat: settings.dateFormat ?? 'auto',
    timeZone: settings.timeZone ?? preset?.timeZone ?? 'UTC',
    interval: settings.interval ?? (layout === 'quotes' ? MINUTE_MS : DAY_MS),
    speed: settings.speed ?? 'max',
    delimiter: settings.delimiter ?? ',',
  };
}

function instrumentColumnsOf(settings: CsvSourceSettings, layout: CsvLayout, instruments: readonly SourceInstrument[]): CsvPlan['instrumentColumns'] {
  if (layout !== 'close' || settings.instrument !== undefined || (instruments.length === 1 && settings.columns?.close !== undefined)) {
    const instrument = settings.instrument ?? instruments[0].id;
    return [{ instrument, column: settings.columns?.close ?? 'close' }];
  }

  return instruments.map((instrument) => ({ instrument: instrument.id, column: settings.instrumentColumns?.[instrument.id] ?? instrument.id }));
}
