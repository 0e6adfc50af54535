import { expect } from 'chai';
import { request, startServer, type Harness } from '../support/server-harness.js';

describe('control routes', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(() => harness.close());

  it('returns positions', async () => {
    const response = await request(harness.base, 'GET', '/api/positions');

    expect(response.body).to.deep.equal({ positions: [{ instrument: 'SPX', quantity: 3, pnl: 12.5 }] });
  });

  it('halts with a reason and resumes', async () => {
    const halted = await request(harness.base, 'POST', '/api/risk/halt', { reason: 'fat finger' });

    expect(halted.body).to.deep.equal({ halted: true, reason: 'fat finger' });
    expect(harness.state.haltReason).to.equal('fat finger');

    const resumed = await request(harness.base, 'POST', '/api/risk/resume');

    expect(resumed.body).to.deep.equal({ halted: false });
  });

  it('halts without a body', async () => {
    const response = await request(harness.base, 'POST', '/api/risk/halt');

    expect(response.status).to.equal(200);
    expect(harness.state.halted).to.equal(true);
  });

  it('rejects a halt reason of the wrong type', async () => {
    const response = await request(harness.base, 'POST', '/api/risk/halt', { reason: 42 });

    expect(response.status).to.equal(400);
    expect(harness.state.halted).to.equal(false);
  });

  it('reloads one model or all', async () => {
    const one = await request(harness.base, 'POST', '/api/models/reload', { modelId: 'SPX' });
    await request(harness.base, 'POST', '/api/models/reload');

    expect(harness.state.reloads).to.deep.equal(['SPX', undefined]);
    expect((one.body.models as unknown[]).length).to.equal(1);
  });

  it('answers health at once and ready only when all runs', async () => {
    harness.state.modelsLoaded = false;

    const health = await request(harness.base, 'GET', '/health');
    const notReady = await request(harness.base, 'GET', '/ready');

    harness.state.modelsLoaded = true;
    const ready = await request(harness.base, 'GET', '/ready');

    expect(health.status).to.equal(200);
    expect(notReady.status).to.equal(503);
    expect(notReady.body.checks).to.deep.equal({ modelsLoaded: false, logWritable: true, pipelinesRunning: true });
    expect(ready.status).to.equal(200);
  });

  for (const check of ['logWritable', 'pipelinesRunning'] as const) {
    it(`is not ready without ${check}`, async () => {
      harness.state[check] = false;

      const response = await request(harness.base, 'GET', '/ready');

      expect(response.status).to.equal(503);
    });
  }

  it('exports request, bus and session metrics', async () => {
    await request(harness.base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    const response = await fetch(`${harness.base}/metrics`);
    const text = await response.text();

    expect(response.headers.get('content-type')).to.include('text/plain');
    expect(text).to.include('tickflow_http_requests_total{method="POST",route="/api/ml/lstm/predict",status="200"} 1');
    expect(text).to.include('tickflow_bus_published_total{type="forecast"} 1');
    expect(text).to.include('tickflow_predict_duration_seconds_count{phase="total"} 1');
    expect(text).to.include('tickflow_ws_sessions 0');
    expect(text).to.include('tickflow_ws_dropped_frames_total');
  });

  it('labels unknown paths as unmatched', async () => {
    await request(harness.base, 'GET', '/random/path/123');

    const text = await (await fetch(`${harness.base}/metrics`)).text();

    expect(text).to.include('route="unmatched",status="404"');
    expect(text).not.to.include('/random/path/123');
  });
});
