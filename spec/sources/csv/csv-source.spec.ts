import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, NEVER, Subject, toArray, VirtualTimeScheduler } from 'rxjs';
import type { AnyEvent, DeadLetterEvent } from '../../../lib/events/index.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { packageRoot } from '../../../lib/paths.js';
import { CsvSource, type CsvSourceSettings, type SourceContext } from '../../../lib/sources/index.js';
import { VirtualClock } from '../../../lib/time/clock.js';

const DATA = join(packageRoot(), '..', 'shared', 'data');

function contextFor(ids: readonly string[], extra: Partial<SourceContext> = {}): SourceContext {
  return { instruments: ids.map((id) => ({ id, allowNegativePrices: false })), baseDir: DATA, logger: silentLogger(), clock: new VirtualClock(5), ...extra };
}

function readAll(settings: CsvSourceSettings, ids: readonly string[], extra: Partial<SourceContext> = {}): Promise<AnyEvent[]> {
  return lastValueFrom(new CsvSource(settings, contextFor(ids, extra)).open(NEVER).pipe(toArray()));
}

function deadLetters(events: readonly AnyEvent[]): DeadLetterEvent[] {
  return events.filter((event): event is DeadLetterEvent => event.type === 'deadletter');
}

const THB: CsvSourceSettings = { type: 'csv', file: 'ticks/usdthb_ticks_1997-06.R-fBasics.csv', layout: 'quotes', columns: { time: 'XDATE' }, dateFormat: 'yyyyMMddHHmm', interval: 3_600_000 };

describe('CsvSource', () => {
  it('reads the S&P 500 dataset as UTC days', async () => {
    const events = await readAll({ type: 'csv', dataset: 'sp500' }, ['SPX']);
    const first = events[0];

    expect(first).to.deep.include({ id: 'csv:sp500:2', type: 'bar', time: 946857600000, instrument: 'SPX', ingestTime: 5 });
    expect(first.data).to.deep.equal({ open: 1469.25, high: 1478, low: 1438.359985, close: 1455.219971, volume: 931800000, interval: 86_400_000 });
    expect(deadLetters(events)).to.have.length(0);
    expect(events.length).to.equal(5105);
  });

  it('reads the package file named with its package', async () => {
    const events = await readAll({ type: 'csv', file: 'vega-datasets:data/sp500-2000.csv', timeZone: 'UTC' }, ['SPX']);

    expect(events[0].time).to.equal(946857600000);
  });

  it('dead-letters the USD/THB zero ask and the quote that goes back', async () => {
    const letters = deadLetters(await readAll(THB, ['USDTHB']));

    expect(letters).to.have.length(2);
    expect(letters[0].data).to.include({ code: 'time-went-backwards', field: 'time', raw: '199706200236,48,WLDB,24.9,25.4,0', location: 'usdthb_ticks_1997-06.R-fBasics.csv:2363' });
    expect(letters[1].data).to.include({ code: 'non-positive-price', field: 'ask', location: 'usdthb_ticks_1997-06.R-fBasics.csv:2788' });
    expect(letters[1].data.raw).to.match(/^199706260058,.*GBNP,25\.3,0,/);
  });

  it('aggregates quotes into mid-price bars', async () => {
    const bars = (await readAll(THB, ['USDTHB'])).filter((event) => event.type === 'bar');
    const quotes = bars.reduce((sum, event) => sum + (event.type === 'bar' ? event.data.volume : 0), 0);

    // 2,984 quotes less the two dead letters; quotes that share a minute are all kept.
    expect(quotes).to.equal(2982);
    expect(bars[0].data).to.include({ open: 24.9, close: 24.92, volume: 2 });
    expect(bars[0].time).to.equal(Date.UTC(1997, 5, 1, 19));
    expect(new Set(bars.map((event) => event.time)).size).to.equal(bars.length);
  });

  it('reads close-only columns per instrument', async () => {
    const events = await readAll({ type: 'csv', file: 'dowjones30_daily_close_1990-2001.R-fBasics.csv', layout: 'close', instrumentColumns: { BLUE: 'IBM' } }, ['AA', 'BLUE']);
    const first = events.slice(0, 2);

    expect(first.map((event) => event.instrument)).to.deep.equal(['AA', 'BLUE']);
    expect(first[1].data).to.include({ open: 27.86, close: 27.86, volume: 0 });
    expect(events.length).to.equal(2 * 2529);
  });

  it('maps columns and reads the USD/CHF file', async () => {
    const events = await readAll({ type: 'csv', file: 'usdchf_30min_1996-2001.R-timeSeries.csv', layout: 'close', columns: { time: 'timestamp_utc', close: 'usdchf' }, interval: 1_800_000 }, ['USDCHF']);

    expect(events.length).to.equal(62_496);
    expect(events[0].time).to.equal(Date.UTC(1996, 2, 31, 22));
    expect(deadLetters(events)).to.have.length(0);
  });

  it('reads a date-only file in the stated zone', async () => {
    const events = await readAll({ type: 'csv', file: 'goog_daily_2004-2008.matplotlib.csv', timeZone: 'America/New_York', speed: 'max' }, ['GOOG']);

    expect(events[0].time).to.equal(Date.UTC(2004, 7, 19, 4));
  });

  it('dead-letters each kind of bad row', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tickflow-csv-'));
    const rows = [
      'date,open,high,low,close,volume',
      '2020-01-01,10,12,9,11,100',
      '2020-01-02,10,,9,11,100',
      '2020-01-03,10,12,9,abc,100',
      '2020-01-04,0,12,0,11,100',
      '2020-01-05,10,8,9,9,100',
      '2020-01-06,10,12,9,13,100',
      '2020-01-01,10,12,9,11,100',
      'not-a-date,10,12,9,11,100',
      '2020-01-09,10,12,9,11,-1',
      '2020-01-10,10,12,9,11,100',
    ];
    writeFileSync(join(folder, 'bars.csv'), rows.join('\r\n') + '\r\n');
    const events = await readAll({ type: 'csv', file: 'bars.csv' }, ['X'], { baseDir: folder });
    const codes = deadLetters(events).map((event) => event.data.code);

    expect(codes).to.deep.equal(['empty-field', 'not-a-number', 'non-positive-price', 'high-below-low', 'close-outside-range', 'time-not-increasing', 'invalid-date', 'negative-volume']);
    expect(events.filter((event) => event.type === 'bar').map((event) => event.time)).to.deep.equal([Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 10)]);
  });

  it('accepts negative prices where the instrument allows them', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tickflow-csv-'));
    writeFileSync(join(folder, 'oil.csv'), 'date,open,high,low,close\n2020-04-20,-10,1,-40,-37.63\n');
    const context = { instruments: [{ id: 'CL', allowNegativePrices: true }], baseDir: folder, logger: silentLogger(), clock: new VirtualClock(0) };
    const events = await lastValueFrom(new CsvSource({ type: 'csv', file: 'oil.csv' }, context).open(NEVER).pipe(toArray()));

    expect(events.map((event) => event.type)).to.deep.equal(['bar']);
  });

  it('fails with the header when a column is missing', async () => {
    try {
      await readAll({ type: 'csv', file: 'vix_daily_1990-2026.datasets-finance-vix.csv', columns: { close: 'last' } }, ['VIX']);
      expect.fail('expected an error');
    } catch (error) {
      expect((error as Error).message).to.contain('column "last" not found').and.to.contain('DATE, OPEN');
    }
  });

  it('replays at a factor of real time', () => {
    const scheduler = new VirtualTimeScheduler();
    const times: number[] = [];

    new CsvSource({ type: 'csv', dataset: 'sp500', speed: 86_400 }, contextFor(['SPX'], { scheduler })).open(NEVER).subscribe(() => times.push(scheduler.now()));
    scheduler.maxFrames = 10_000;
    scheduler.flush();

    // A day of bars at 86,400 times real time is one second; the weekend after 2000-01-07 is three.
    expect(times.slice(0, 6)).to.deep.equal([0, 1000, 2000, 3000, 4000, 7000]);
  });

  it('emits the partial quote bar on stop', async () => {
    const stop = new Subject<void>();
    const scheduler = new VirtualTimeScheduler();
    const events: AnyEvent[] = [];
    let completed = false;

    new CsvSource({ ...THB, speed: 60 }, contextFor(['USDTHB'], { scheduler })).open(stop).subscribe({ next: (event) => events.push(event), complete: () => (completed = true) });
    // Bars are paced by their own times: at 60 times real time the next hourly bar is a minute away.
    scheduler.maxFrames = 1_000;
    scheduler.flush();
    const before = events.length;
    stop.next();
    scheduler.flush();

    expect(before).to.equal(1);
    expect(completed).to.equal(true);
    // The bar already read ahead, then the partial bar of the quotes read after it.
    expect(events).to.have.length(3);
    expect(events[0].time).to.equal(Date.UTC(1997, 5, 1, 19));
    expect(events[2].time).to.be.greaterThan(events[1].time);
  });
});
