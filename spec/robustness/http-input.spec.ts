import { expect } from 'chai';
import { statusOfCode } from '../../lib/server/http/error-status.js';
import { makeBar } from '../server/support/fake-ports.js';
import { request, startServer, type Harness } from '../server/support/server-harness.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

type RequestBar = { t: number; open: number; high: number; low: number; close: number; volume: number };

function requestBars(count: number): RequestBar[] {
  return Array.from({ length: count }, (_, day) => {
    const bar = makeBar('SPX', day, 200 + day);

    return { t: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close, volume: bar.data.volume };
  });
}

function errorOf(body: Record<string, unknown>): ErrorBody['error'] {
  return (body as unknown as ErrorBody).error;
}

/** JSON text of a predict body whose extra field nests `depth` arrays. */
function deeplyNestedBody(depth: number): string {
  return `{"instrument":"SPX","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

describe('HTTP API under bad input', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(() => harness.close());

  it('truncated JSON gets 400 invalid-json', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', '{"instrument":');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('invalid-json');
  });

  it('string body gets 400 naming the root', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', '"SPX"');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('invalid-request');
    expect(errorOf(response.body).message).to.contain('"SPX"');
  });

  it('1e400 gets 400 naming the path', async () => {
    const bars = requestBars(6);
    const text = JSON.stringify({ instrument: 'SPX', bars }).replace(`"open":${bars[2].open}`, '"open":1e400');
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', text);

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('non-finite-number');
    expect(errorOf(response.body).details).to.deep.equal({ path: 'bars[2].open' });
  });

  it('__proto__ in a body pollutes nothing', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', '{"instrument":"SPX","__proto__":{"polluted":1}}');

    expect(response.status).to.equal(200);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('body over the limit gets 413', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', ' '.repeat(1024 * 1024 + 10));

    expect(response.status).to.equal(413);
    expect(errorOf(response.body).code).to.equal('payload-too-large');
  });

  // Fails now: findNonFiniteNumber in lib/server/http/non-finite-number.ts recurses once per level and overflows the stack, so the route returns 500.
  it.skip('deeply nested body gets 400', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', deeplyNestedBody(100_000));

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.not.equal('internal-error');
  });

  // Fails now: lib/server/http/routes/request-bars.ts checks only the order of bar times, so a close of -5 reaches the model and the forecast volatility comes back null.
  it.skip('negative close in predict bars gets 400', async () => {
    const bars = requestBars(6);

    bars[5] = { ...bars[5], low: -6, close: -5 };

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).message).to.contain('bars[5]');
    expect(harness.state.forecastCalls).to.have.length(0);
  });

  // Fails now: the same check lets a price of zero through, and log returns of zero prices are not finite.
  it.skip('zero prices in predict bars get 400', async () => {
    const bars = requestBars(6).map((bar) => ({ ...bar, open: 0, high: 0, low: 0, close: 0 }));
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(harness.state.forecastCalls).to.have.length(0);
  });

  // Fails now: predict bars are not checked for high below low, although the CSV source dead-letters such rows.
  it.skip('high below low in predict bars gets 400', async () => {
    const bars = requestBars(6);

    bars[3] = { ...bars[3], high: 1, low: 500 };

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).message).to.contain('bars[3]');
  });

  it('duplicate bar times get 400 naming the bar', async () => {
    const bars = requestBars(6);

    bars[4] = { ...bars[4], t: bars[3].t };

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('invalid-bars');
    expect(errorOf(response.body).message).to.contain('bars[4].t');
  });

  it('unknown instrument gets 404 listing known ones', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: '💩\u0000' });

    expect(response.status).to.equal(404);
    expect(errorOf(response.body).message).to.contain('SPX');
  });

  // Fails now: parseIndicator in lib/server/http/indicators.ts looks names up on a plain object, so "__proto__" finds Object.prototype and the route returns 500.
  it.skip('indicator named __proto__ gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=__proto__');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('invalid-request');
  });

  // Fails now: the same lookup finds Object.prototype.constructor for "constructor:5".
  it.skip('indicator named constructor gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=constructor:5');

    expect(response.status).to.equal(400);
  });

  // Fails now: parseTimeParam in lib/server/http/query-params.ts passes 2005-02-30 to Date.parse, which rolls it over to 2 March.
  it.skip('impossible calendar date gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&from=2005-02-30');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).message).to.contain('2005-02-30');
  });

  it('repeated query parameter gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/ohlc?instrument=SPX&instrument=SPX');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).message).to.contain('a single value');
  });
});

describe('HTTP status of engine error codes', () => {
  // Fails now: lib/server/http/error-status.ts does not list invalid-cursor, so GET /api/events?cursor=abc returns 503 as if the log had failed.
  it.skip('invalid cursor is a client error', () => {
    expect(statusOfCode('invalid-cursor')).to.equal(400);
  });

  // Fails now: POST /api/models/reload with {"modelId":"../../etc"} or an absent model returns 503 for the same reason.
  it.skip('bad model id is a client error', () => {
    expect(statusOfCode('model-id-invalid')).to.equal(400);
    expect(statusOfCode('model-file-missing')).to.equal(404);
  });
});
