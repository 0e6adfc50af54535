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

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('unknown-field');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('body over the limit gets 413', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', ' '.repeat(1024 * 1024 + 10));

    expect(response.status).to.equal(413);
    expect(errorOf(response.body).code).to.equal('payload-too-large');
  });

  it('deeply nested body gets 400', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', deeplyNestedBody(100_000));

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.not.equal('internal-error');
  });

  it('negative close in predict bars gets 400', async () => {
    const bars = requestBars(6);

    bars[5] = { ...bars[5], low: -6, close: -5 };

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).message).to.contain('bars[5]');
    expect(harness.state.forecastCalls).to.have.length(0);
  });

  it('zero prices in predict bars get 400', async () => {
    const bars = requestBars(6).map((bar) => ({ ...bar, open: 0, high: 0, low: 0, close: 0 }));
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(harness.state.forecastCalls).to.have.length(0);
  });

  it('high below low in predict bars gets 400', async () => {
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

  it('indicator named __proto__ gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=__proto__');

    expect(response.status).to.equal(400);
    expect(errorOf(response.body).code).to.equal('invalid-request');
  });

  it('indicator named constructor gets 400', async () => {
    const response = await request(harness.base, 'GET', '/api/technical-analysis?instrument=SPX&indicators=constructor:5');

    expect(response.status).to.equal(400);
  });

  it('impossible calendar date gets 400', async () => {
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
  it('invalid cursor is a client error', () => {
    expect(statusOfCode('invalid-cursor')).to.equal(400);
  });

  it('bad model id is a client error', () => {
    expect(statusOfCode('model-id-invalid')).to.equal(400);
    expect(statusOfCode('model-file-missing')).to.equal(404);
  });
});
