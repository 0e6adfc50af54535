import { expect } from 'chai';
import { join } from 'node:path';
import { InProcessBus } from '../../lib/bus/index.js';
import type { ForecastEvent } from '../../lib/events/index.js';
import { Forecaster, ModelCache } from '../../lib/model/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';
import { packageRoot } from '../../lib/paths.js';
import { createHttpServer, type HttpServer, type ServerPorts } from '../../lib/server/index.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { useTestBackend } from '../model/support/backend-hook.js';
import { fakePorts } from '../server/support/fake-ports.js';
import { request } from '../server/support/server-harness.js';
import { readSp500Bars } from '../server/support/sp500-bars.js';
import { TestClient } from '../server/support/ws-client.js';

describe('REST forecasts to WebSocket clients', () => {
  const bus = new InProcessBus(silentLogger());
  let cache: ModelCache;
  let server: HttpServer;
  let base: string;
  let port: number;

  before(async function () {
    this.timeout(60_000);
    await useTestBackend();

    const clock = new VirtualClock(Date.UTC(2024, 0, 1));
    const bars = readSp500Bars();

    cache = new ModelCache({ modelsDir: join(packageRoot(), 'models'), logger: silentLogger() });

    const forecaster = new Forecaster({ cache, clock });
    const fake = fakePorts({ bars: new Map([['SPX', bars]]) });
    const ports: ServerPorts = {
      ...fake.ports,
      forecaster: {
        forecast: (input) => forecaster.forecast({ ...input, bars: input.bars.map((bar) => ({ time: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close })) }),
        windowLength: (instrument) => forecaster.windowLength(instrument) ?? 0,
        hasModel: (instrument) => forecaster.hasModel(instrument),
      },
      readiness: { ...fake.ports.readiness, modelsLoaded: () => cache.ready },
    };

    server = createHttpServer({ bus, logger: silentLogger(), metrics: createMetricsRegistry(), clock, ports });
    port = (await server.listen(0, '127.0.0.1')).port;
    base = `http://127.0.0.1:${port}`;

    const early = await request(base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });

    expect(early.status).to.equal(503);
    await cache.preload(['SPX']);
  });

  after(async () => {
    await server.close();
    cache.dispose();
    bus.close();
  });

  it('sends a REST forecast and its signal to subscribers', async function () {
    this.timeout(30_000);

    const client = await TestClient.open(port);

    await client.subscribe({ id: 'api', types: ['forecast', 'signal'], filter: { source: 'api', instrument: 'SPX' } });

    const response = await request(base, 'POST', '/api/ml/lstm/predict', { instrument: 'SPX' });
    const forecast = response.body.forecast as ForecastEvent;

    await client.next(() => client.events('api').length === 2);

    expect(response.status).to.equal(200);
    expect(forecast.data.modelId).to.equal('SPX');
    expect(forecast.data.volatility).to.be.greaterThan(0);
    expect(client.events('api')[0]).to.deep.equal(forecast);
    expect(client.events('api')[1]).to.deep.include({ type: 'signal', source: 'api' });
    await client.close();
  });
});
