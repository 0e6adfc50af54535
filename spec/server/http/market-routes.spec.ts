import { expect } from 'chai';
import { TickflowError } from '../../../lib/errors.js';
import type { AnyEvent } from '../../../lib/events/index.js';
import { makeBar } from '../support/fake-ports.js';
import { request, startServer, type Harness } from '../support/server-harness.js';

const DAY_MS = 86_400_000;
const MONDAY = Date.UTC(2000, 0, 3);

describe('market data routes', () => {
  let harness: Harness;

  before(async () => {
    harness = await startServer();
  });

  after(() => harness.close());

  describe('GET /api/ohlc', () => {
    it('resamples daily bars into weeks starting Monday', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&interval=1w&to=' + (MONDAY + 13 * DAY_MS));
      const bars = response.body.bars as { t: number; open: number; high: number; low: number; close: number; volume: number }[];

      expect(response.status).to.equal(200);
      expect(bars.map((bar) => bar.t)).to.deep.equal([MONDAY, MONDAY + 7 * DAY_MS]);
      expect(bars[0]).to.deep.equal({ t: MONDAY, open: 99, high: 108, low: 98, close: 106, volume: 7021 });
    });

    it('accepts ISO 8601 and epoch bounds', async () => {
      const iso = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&from=2000-01-05&to=2000-01-06T00:00:00Z');
      const epoch = await request(harness.base, 'GET', `/api/ohlc?instrument=SPX&from=${MONDAY + 2 * DAY_MS}&to=${MONDAY + 3 * DAY_MS}`);

      expect((iso.body.bars as unknown[]).length).to.equal(2);
      expect(epoch.body.bars).to.deep.equal(iso.body.bars);
    });

    const invalid: [string, string][] = [
      ['from', 'instrument=SPX&from=yesterday'],
      ['to', 'instrument=SPX&to=2000-13-45'],
      ['interval', 'instrument=SPX&interval=1y'],
      ['interval', 'instrument=SPX&interval=0d'],
      ['instrument', 'from=0'],
      ['from', 'instrument=SPX&from=2000-01-10&to=2000-01-05'],
    ];

    for (const [param, query] of invalid) {
      it(`answers 400 naming ${param} for ${query}`, async () => {
        const response = await request(harness.base, 'GET', `/api/ohlc?${query}`);
        const issues = (response.body.error as { details: { issues: { path: string }[] } }).details.issues;

        expect(response.status).to.equal(400);
        expect(issues[0].path).to.equal(param);
      });
    }

    it('answers 404 for an unknown instrument', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=XYZ');

      expect(response.status).to.equal(404);
    });
  });

  describe('GET /api/technical-analysis', () => {
    it('computes every indicator aligned with the bars', async () => {
      const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=sma:20,ema:5,rsi:14,macd,bbands:20,atr:14');
      const indicators = response.body.indicators as Record<string, unknown[]>;
      const times = response.body.times as number[];

      expect(response.status).to.equal(200);
      expect(times).to.have.length(30);
      expect(Object.keys(indicators)).to.deep.equal(['sma:20', 'ema:5', 'rsi:14', 'macd', 'bbands:20', 'atr:14']);
      expect(indicators['sma:20'][18]).to.equal(null);
      expect(indicators['sma:20'][19]).to.be.closeTo(109.5, 1e-9);
      expect(indicators['ema:5'][3]).to.equal(null);
      expect(indicators['ema:5'][4]).to.be.a('number');
      expect(indicators['rsi:14'][29]).to.equal(100);
      expect(indicators.macd[29]).to.have.keys(['macd', 'signal', 'histogram']);
      expect(indicators['bbands:20'][29]).to.have.keys(['upper', 'middle', 'lower']);
      expect(indicators['atr:14'][29]).to.be.closeTo(4, 1e-9);
    });

    for (const indicators of ['foo:3', 'sma:0', 'sma:x', 'macd:1:2:3:4', ',']) {
      it(`answers 400 for indicators=${indicators}`, async () => {
        const response = await request(harness.base, 'GET', `/api/technical-analysis?instrument=SPX&indicators=${indicators}`);

        expect(response.status).to.equal(400);
        expect((response.body.error as { message: string }).message).to.include('indicator');
      });
    }
  });

  describe('GET /api/events', () => {
    before(() => {
      harness.state.log.push(...Array.from({ length: 5 }, (_, day) => makeBar('SPX', day) as AnyEvent), makeBar('EUR', 1));
    });

    it('pages with the next cursor, newest last', async () => {
      const first = await request(harness.base, 'GET', '/api/events?type=bar&instrument=SPX&limit=3');
      const second = await request(harness.base, 'GET', `/api/events?type=bar&instrument=SPX&limit=3&cursor=${String(first.body.nextCursor)}`);
      const times = [...(first.body.events as AnyEvent[]), ...(second.body.events as AnyEvent[])].map((event) => event.time);

      expect(first.body.nextCursor).to.equal('3');
      expect(first.body.more).to.equal(true);
      expect(second.body.nextCursor).to.equal(null);
      expect(second.body.more).to.equal(false);
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(times).to.have.length(5);
    });

    it('passes on more and the cursor of the last page', async () => {
      harness.state.pagesWithMore = true;

      const last = await request(harness.base, 'GET', '/api/events?type=bar&instrument=SPX&limit=10');

      harness.state.pagesWithMore = false;
      expect(last.body.nextCursor).to.equal('5');
      expect(last.body.more).to.equal(false);
    });

    it('rejects an unknown type', async () => {
      const response = await request(harness.base, 'GET', '/api/events?type=bar,quote');

      expect(response.status).to.equal(400);
      expect((response.body.error as { message: string }).message).to.include('quote');
    });

    it('rejects a limit out of range', async () => {
      const response = await request(harness.base, 'GET', '/api/events?limit=100000');

      expect(response.status).to.equal(400);
    });

    it('rejects a repeated parameter', async () => {
      const response = await request(harness.base, 'GET', '/api/events?limit=1&limit=2');

      expect(response.status).to.equal(400);
    });

    it('answers 503 when the log fails', async () => {
      harness.state.queryError = new TickflowError('log-unavailable', 'database is locked');

      const response = await request(harness.base, 'GET', '/api/events');
      harness.state.queryError = undefined;

      expect(response.status).to.equal(503);
      expect((response.body.error as { code: string }).code).to.equal('log-unavailable');
    });
  });
});
