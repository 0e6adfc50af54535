import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { CsvTrainingSource } from './training-data.js';

/** Tickers of the close-only Dow Jones 30 file, one column each. */
export const DOW_COLUMNS = ['AA', 'AXP', 'T', 'BA', 'CAT', 'C', 'KO', 'DD', 'EK', 'XOM', 'GE', 'GM', 'HWP', 'HD', 'HON', 'INTC', 'IBM', 'IP', 'JPM', 'JNJ', 'MCD', 'MRK', 'MSFT', 'MMM', 'MO', 'PG', 'SBC', 'UTX', 'WMT', 'DIS'];

/** Returns the shared real-data folder beside the checkout. */
export function sharedDataFolder(): string {
  return join(packageRoot(), '..', 'shared', 'data');
}

/**
 * Returns the training data source of a known instrument, used when no CSV file is given. The S&P 500
 * comes from the vega-datasets package, so it works without the shared data folder.
 */
export function bundledSource(instrument: string): CsvTrainingSource | undefined {
  const shared = sharedDataFolder();

  switch (instrument) {
    case 'SPX':
      return { file: vegaSp500() ?? join(shared, 'sp500_daily_2000-2020.vega-datasets.csv'), format: 'ohlcv' };
    case 'GOOG':
      return { file: join(shared, 'goog_daily_2004-2008.matplotlib.csv'), format: 'ohlcv' };
    case 'USDCHF':
      return { file: join(shared, 'usdchf_30min_1996-2001.R-timeSeries.csv'), format: 'intraday', column: 'usdchf' };
    default:
      return DOW_COLUMNS.includes(instrument) ? { file: join(shared, 'dowjones30_daily_close_1990-2001.R-fBasics.csv'), format: 'close-only', column: instrument } : undefined;
  }
}

function vegaSp500(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = join(dirname(require.resolve('vega-datasets/package.json')), 'data', 'sp500-2000.csv');

    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}
