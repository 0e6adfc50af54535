import { expect } from 'chai';
import { TickflowError } from '../../../lib/errors.js';
import { statusOfCode } from '../../../lib/server/http/error-status.js';
import { makeBar } from '../support/fake-ports.js';
import { request, startServer, type Harness } from '../support/server-harness.js';

interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
}

function requestBars(count: number): Record<string, number>[] {
  return Array.from({ length: count }, (_, day) => {
    const bar = makeBar('SPX', day, 200 + day);

    return { t: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close, volume: bar.data.volume };
  });
}

function errorOf(body: Record<string, unknown>): ErrorBody {
  return body.error as ErrorBody;
}

describe('REST input checks', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(() => harness.close());

  describe('predict body', () => {
    it('rejects an extra field', async () => {
      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', extra: 1 });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).code).to.equal('unknown-field');
      expect(errorOf(response.body).message).to.contain('"extra"');
      expect(harness.state.forecastCalls).to.have.length(0);
    });

    it('suggests the nearest bar field', async () => {
      const bars = requestBars(5);

      bars[1] = { ...bars[1], clsoe: 3 };

      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).details).to.deep.equal({ field: 'bars[1].clsoe', suggestion: 'close' });
      expect(errorOf(response.body).message).to.contain('did you mean "close"');
    });

    it('names the field of a bad price', async () => {
      const bars = requestBars(5);

      bars[2] = { ...bars[2], open: bars[2].high + 1 };

      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).code).to.equal('invalid-bars');
      expect(errorOf(response.body).message).to.contain('bars[2].open');
    });

    it('names the first bad price field', async () => {
      const bars = requestBars(5);

      bars[4] = { ...bars[4], low: -6, close: -5 };

      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

      expect(errorOf(response.body).message).to.contain('bars[4].low');
    });

    it('rejects a body nested too deep', async () => {
      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', `{"instrument":"SPX","bars":${'['.repeat(40)}${']'.repeat(40)}}`);

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).code).to.equal('body-too-deep');
      expect(errorOf(response.body).details).to.deep.equal({ maxDepth: 32 });
    });

    it('rejects a bar time past the Date range', async () => {
      const bars = requestBars(5);

      bars[4] = { ...bars[4], t: 8.64e15 + 1 };

      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).message).to.contain('bars[4].t');
    });

    for (const volatility of [Number.NaN, 0, -0.1, Number.POSITIVE_INFINITY]) {
      it(`publishes no forecast of volatility ${volatility}`, async () => {
        const published: unknown[] = [];

        harness.state.forecastVolatility = volatility;
        harness.bus.subscribe(['forecast', 'signal'], 'test', (event) => published.push(event));

        const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

        expect(response.status).to.equal(502);
        expect(errorOf(response.body).code).to.equal('model-output-invalid');
        expect(published).to.have.length(0);
      });
    }
  });

  describe('control bodies', () => {
    it('rejects a misspelt halt reason', async () => {
      const response = await request(harness.base, 'POST', '/api/risk/halt', { reson: 'x' });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).details).to.deep.equal({ field: 'reson', suggestion: 'reason' });
      expect(harness.state.halted).to.equal(false);
    });

    it('rejects a misspelt model id', async () => {
      const response = await request(harness.base, 'POST', '/api/models/reload', { modelid: 'SPX' });

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).details).to.deep.equal({ field: 'modelid', suggestion: 'modelId' });
      expect(harness.state.reloads).to.have.length(0);
    });

    it('answers a missing model with 404 and no path', async () => {
      harness.state.reloadError = new TickflowError('model-file-missing', '/srv/models/NOPE/model.json is missing: train it', { modelId: 'NOPE', file: '/srv/models/NOPE/model.json' });

      const response = await request(harness.base, 'POST', '/api/models/reload', { modelId: 'NOPE' });

      expect(response.status).to.equal(404);
      expect(errorOf(response.body).message).to.contain('"NOPE"');
      expect(errorOf(response.body).message).to.not.contain('/srv');
      expect(errorOf(response.body).details).to.deep.equal({ modelId: 'NOPE' });
    });

    it('answers a broken model with 502 and no path', async () => {
      harness.state.reloadError = new TickflowError('model-output-invalid', 'model "SPX" gave volatility NaN on the warm-up window (weights /srv/models/SPX/weights.bin)', { modelId: 'SPX', file: '/srv/models/SPX/weights.bin' });

      const response = await request(harness.base, 'POST', '/api/models/reload', { modelId: 'SPX' });

      expect(response.status).to.equal(502);
      expect(errorOf(response.body).code).to.equal('model-output-invalid');
      expect(errorOf(response.body).message).to.not.contain('/srv');
    });

    it('answers an invalid model id with 400', async () => {
      harness.state.reloadError = new TickflowError('model-id-invalid', 'invalid model id "../../etc"', { modelId: '../../etc' });

      const response = await request(harness.base, 'POST', '/api/models/reload', { modelId: '../../etc' });

      expect(response.status).to.equal(400);
    });

    it('answers an invalid cursor with 400', async () => {
      harness.state.queryError = new TickflowError('invalid-cursor', 'invalid cursor "abc"', { cursor: 'abc' });

      const response = await request(harness.base, 'GET', '/api/events?cursor=abc');

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).code).to.equal('invalid-cursor');
    });
  });

  describe('market queries', () => {
    for (const date of ['2005-02-29', '2005-13-01', '2005-04-31', '2005-00-10', '1900-02-29']) {
      it(`rejects the date ${date}`, async () => {
        const response = await request(harness.base, 'GET', `/api/ohlc?instrument=SPX&from=${date}`);

        expect(response.status).to.equal(400);
        expect(errorOf(response.body).message).to.contain(date);
      });
    }

    it('accepts a leap day', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&from=2000-02-29');

      expect(response.status).to.equal(200);
    });

    it('rejects epoch milliseconds past the Date range', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&to=8640000000000001');

      expect(response.status).to.equal(400);
    });

    it('rejects an interval shorter than the bars', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&interval=1m');

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).message).to.contain('60000 ms');
      expect(errorOf(response.body).message).to.contain('86400000 ms');
    });

    it('returns the latest bars up to limit', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&limit=3');
      const bars = response.body.bars as { t: number }[];

      expect(bars).to.have.length(3);
      expect(bars[2].t).to.equal(harness.state.bars.get('SPX')?.at(-1)?.time);
    });

    it('rejects a limit of zero', async () => {
      const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&limit=0');

      expect(response.status).to.equal(400);
    });

    for (const indicators of ['macd:26:12:9', 'macd:12:12']) {
      it(`rejects ${indicators}`, async () => {
        const response = await request(harness.base, 'GET', `/api/technical-analysis?instrument=SPX&indicators=${indicators}`);

        expect(response.status).to.equal(400);
        expect(errorOf(response.body).message).to.contain('short period below the long one');
      });
    }

    it('lists valid indicators for constructor', async () => {
      const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=constructor:5');

      expect(response.status).to.equal(400);
      expect(errorOf(response.body).message).to.contain('sma, ema, rsi, macd, bbands, atr');
    });
  });
});

describe('statusOfCode', () => {
  it('maps prototype member names to 503', () => {
    expect(statusOfCode('constructor')).to.equal(503);
    expect(statusOfCode('__proto__')).to.equal(503);
  });

  it('maps a body too deep to 400', () => {
    expect(statusOfCode('body-too-deep')).to.equal(400);
  });
});
