import { expect } from 'chai';
import { TickflowError } from '../../../lib/errors.js';
import type { AnyEvent } from '../../../lib/events/index.js';
import { makeBar, WINDOW } from '../support/fake-ports.js';
import { request, startServer, type Harness } from '../support/server-harness.js';

function requestBars(count: number): { t: number; open: number; high: number; low: number; close: number; volume: number }[] {
  return Array.from({ length: count }, (_, day) => {
    const bar = makeBar('SPX', day, 200 + day);
    return { t: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close, volume: bar.data.volume };
  });
}

describe('POST /api/ml/lstm/predict', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(() => harness.close());

  it('forecasts from the latest stored window', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });
    const call = harness.state.forecastCalls[0];

    expect(response.status).to.equal(200);
    expect(call.bars).to.have.length(WINDOW);
    expect(call.bars[WINDOW - 1].id).to.equal(harness.state.bars.get('SPX')?.at(-1)?.id);
    expect(call.source).to.equal('api');
    expect(response.body.timing).to.deep.equal({ queueMs: 0.1, inferenceMs: 1, totalMs: 1.1 });
    expect((response.body.forecast as AnyEvent).type).to.equal('forecast');
    expect((response.body.signal as AnyEvent).type).to.equal('signal');
  });

  it('uses the latest window of the bars given', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars: requestBars(8) });
    const bars = harness.state.forecastCalls[0].bars;

    expect(response.status).to.equal(200);
    expect(bars.map((bar) => bar.data.close)).to.deep.equal([203, 204, 205, 206, 207]);
    expect(bars[0].source).to.equal('api');
    expect(bars[0].data.interval).to.equal(86_400_000);
  });

  it('publishes forecast and signal with source api', async () => {
    const published: AnyEvent[] = [];
    harness.bus.subscribe(['forecast', 'signal'], 'test', (event) => published.push(event));

    await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(published.map((event) => event.type)).to.deep.equal(['forecast', 'signal']);
    expect(published.every((event) => event.source === 'api')).to.equal(true);
  });

  it('answers 422 for fewer bars than the window', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars: requestBars(3) });

    expect(response.status).to.equal(422);
    expect(response.body.error).to.deep.include({ code: 'too-few-bars' });
    expect((response.body.error as { details: unknown }).details).to.deep.include({ required: WINDOW, received: 3 });
  });

  it('answers 422 when too few bars are stored', async () => {
    harness.state.bars.set('SPX', [makeBar('SPX', 0)]);

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(response.status).to.equal(422);
  });

  it('answers 404 for an unknown instrument', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'NOPE' });

    expect(response.status).to.equal(404);
    expect(response.body.error).to.deep.include({ code: 'unknown-instrument' });
  });

  it('answers 503 with Retry-After while models load', async () => {
    harness.state.modelsLoaded = false;

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('5');
    expect(response.body.error).to.deep.include({ code: 'models-not-ready' });
  });

  it('maps a models-not-ready error to 503', async () => {
    harness.state.forecastError = new TickflowError('models-not-ready', 'loading');

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(response.status).to.equal(503);
    expect(response.headers.get('retry-after')).to.equal('5');
  });

  it('answers 503 with the code of a failing port', async () => {
    harness.state.forecastError = new TickflowError('inference-failed', 'backend lost', { modelId: 'SPX' });

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(response.status).to.equal(503);
    expect(response.body).to.deep.equal({ error: { code: 'inference-failed', message: 'backend lost', details: { modelId: 'SPX' } } });
  });

  it('answers 500 without a stack for a bug', async () => {
    harness.state.forecastError = new TypeError("Cannot read properties of undefined (reading 'x')");

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });
    const text = JSON.stringify(response.body);

    expect(response.status).to.equal(500);
    expect((response.body.error as { code: string }).code).to.equal('internal-error');
    expect(text).not.to.include('TypeError');
    expect(text).not.to.include('reading');
    expect(text).not.to.include('.ts:');
    expect(text).to.include(response.headers.get('x-request-id') as string);
  });

  it('answers 400 for bars out of order', async () => {
    const bars = requestBars(6);
    [bars[2], bars[3]] = [bars[3], bars[2]];

    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars });

    expect(response.status).to.equal(400);
    expect(response.body.error).to.deep.include({ code: 'invalid-bars' });
    expect(JSON.stringify(response.body)).to.include('bars[3].t');
  });
});

describe('request validation', () => {
  let harness: Harness;

  before(async () => {
    harness = await startServer({ bodyLimitBytes: 2048 });
  });

  after(() => harness.close());

  const cases: { name: string; body: string; code: string }[] = [
    { name: 'malformed JSON', body: '{"instrument": SPX}', code: 'invalid-json' },
    { name: 'truncated JSON', body: '{"instrument": "SPX", "bars": [', code: 'invalid-json' },
    { name: 'empty body', body: '', code: 'empty-body' },
    { name: 'white space body', body: '  \n', code: 'empty-body' },
    { name: 'string for object', body: '"SPX"', code: 'invalid-request' },
    { name: 'array for object', body: '[1, 2]', code: 'invalid-request' },
    { name: 'number overflow', body: '{"instrument": "SPX", "bars": [{"t": 1, "open": 1e400, "high": 1, "low": 1, "close": 1, "volume": 1}]}', code: 'non-finite-number' },
    { name: 'negative overflow', body: '{"instrument": "SPX", "x": -1e999}', code: 'non-finite-number' },
    { name: 'missing instrument', body: '{}', code: 'invalid-request' },
    { name: 'wrong field type', body: '{"instrument": "SPX", "bars": [{"t": "yesterday", "open": 1, "high": 1, "low": 1, "close": 1, "volume": 1}]}', code: 'invalid-request' },
  ];

  for (const testCase of cases) {
    it(`answers 400 for ${testCase.name}`, async () => {
      const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', testCase.body, { 'content-type': 'application/json' });

      expect(response.status).to.equal(400);
      expect((response.body.error as { code: string }).code).to.equal(testCase.code);
      expect(JSON.stringify(response.body)).not.to.match(/at .*\.ts/);
    });
  }

  it('lists path, expected and received', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', bars: [{ t: 1, open: 1, high: 1, low: 1, close: 'x', volume: 1 }] });
    const details = (response.body.error as { details: { issues: unknown[] } }).details;

    expect(details.issues).to.deep.include({ path: 'bars[0].close', expected: 'FiniteNumber', received: '"x"' });
  });

  it('names the path of a non-finite number', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', '{"instrument": "SPX", "bars": [{"t": 1, "open": 1e400}]}');

    expect((response.body.error as { details: unknown }).details).to.deep.equal({ path: 'bars[0].open' });
  });

  it('answers 415 for a form body', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', 'instrument=SPX', { 'content-type': 'application/x-www-form-urlencoded' });

    expect(response.status).to.equal(415);
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX', padding: 'x'.repeat(4096) });

    expect(response.status).to.equal(413);
    expect((response.body.error as { code: string }).code).to.equal('payload-too-large');
  });

  it('answers 404 in JSON for an unknown path', async () => {
    const response = await request(harness.base, 'GET', '/api/nothing');

    expect(response.status).to.equal(404);
    expect((response.body.error as { code: string }).code).to.equal('not-found');
  });

  it('answers 405 for a wrong method', async () => {
    const response = await request(harness.base, 'GET', '/api/ml/lstm/predict');

    expect(response.status).to.equal(405);
    expect((response.body.error as { code: string }).code).to.equal('method-not-allowed');
  });
});
