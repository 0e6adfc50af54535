import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledSource, sharedDataFolder } from '../../lib/model/bundled-data.js';
import { parseTime, readTrainingCsv } from '../../lib/model/training-data.js';

const shared = sharedDataFolder();

describe('readTrainingCsv', () => {
  let folder: string;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tickflow-csv-'));
  });

  after(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads the S&P 500 OHLC file', async () => {
    const series = await readTrainingCsv({ file: join(shared, 'sp500_daily_2000-2020.vega-datasets.csv'), format: 'ohlcv' });

    expect(series.observations).to.have.length(5105);
    expect(series.observations[0]).to.deep.include({ time: Date.UTC(2000, 0, 3), high: 1478, close: 1455.219971 });
  });

  it('reads one column of the close-only Dow file', async () => {
    const series = await readTrainingCsv({ file: join(shared, 'dowjones30_daily_close_1990-2001.R-fBasics.csv'), format: 'close-only', column: 'IBM' });

    expect(series.observations.length).to.be.greaterThan(2500);
    expect(series.observations[0].open).to.equal(undefined);
  });

  it('builds days from the USD/CHF 30-minute file', async () => {
    const series = await readTrainingCsv({ file: join(shared, 'usdchf_30min_1996-2001.R-timeSeries.csv'), format: 'intraday', dayBoundaryMinutes: 22 * 60 });

    // 1,193 full days of 48 bars, plus 109 two-bar days where the Zurich grid crosses 22:00 UTC in winter.
    expect(series.observations).to.have.length(1411);
    expect(series.observations[0].realizedVariance).to.be.greaterThan(0);
  });

  it('requires a column for close-only files', async () => {
    const error = await readTrainingCsv({ file: join(shared, 'dowjones30_daily_close_1990-2001.R-fBasics.csv'), format: 'close-only' }).catch((caught: Error) => caught);

    expect((error as Error).message).to.contain('name its price column with --column');
  });

  it('names a missing column', async () => {
    const error = await readTrainingCsv({ file: join(shared, 'dowjones30_daily_close_1990-2001.R-fBasics.csv'), format: 'ohlcv' }).catch((caught: Error) => caught);

    expect((error as Error).message).to.contain('has no open column');
  });

  it('names a missing file', async () => {
    const error = await readTrainingCsv({ file: join(folder, 'absent.csv'), format: 'ohlcv' }).catch((caught: Error) => caught);

    expect((error as Error).message).to.contain(`cannot read training data ${join(folder, 'absent.csv')}`);
  });

  it('skips bad rows with the reason', async () => {
    const file = join(folder, 'bad.csv');
    await writeFile(file, 'date,open,high,low,close\n2000-01-03,1,2,0.5,1.5\nnot-a-date,1,2,0.5,1.5\n2000-01-04,1,2,0.5,-1\n2000-01-03,1,2,0.5,1.5\n');
    const series = await readTrainingCsv({ file, format: 'ohlcv' });

    expect(series.observations).to.have.length(1);
    expect(series.skipped.map((row) => row.line)).to.deep.equal([3, 4, 5]);
    expect(series.skipped[0].reason).to.equal('invalid time "not-a-date"');
  });

  it('rejects a file without a header', async () => {
    const file = join(folder, 'empty.csv');
    await writeFile(file, 'x\n');

    const error = await readTrainingCsv({ file, format: 'ohlcv' }).catch((caught: Error) => caught);

    expect((error as Error).message).to.contain('no CSV header');
  });

  it('parseTime reads dates and timestamps', () => {
    expect(parseTime('2000-01-03')).to.equal(Date.UTC(2000, 0, 3));
    expect(parseTime('1996-03-31T22:00:00Z')).to.equal(Date.UTC(1996, 2, 31, 22));
    expect(parseTime('soon')).to.equal(undefined);
    expect(parseTime(undefined)).to.equal(undefined);
  });

  it('bundledSource knows the shipped instruments', () => {
    expect(bundledSource('SPX')?.format).to.equal('ohlcv');
    expect(bundledSource('USDCHF')?.format).to.equal('intraday');
    expect(bundledSource('KO')).to.deep.include({ format: 'close-only', column: 'KO' });
    expect(bundledSource('NOPE')).to.equal(undefined);
  });
});
