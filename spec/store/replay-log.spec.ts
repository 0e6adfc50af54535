import { join } from 'node:path';
import { expect } from 'chai';
import { from } from 'rxjs';
import { InProcessBus } from '../../lib/bus/index.js';
import type { ForecastEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';
import { createPipeline, StageRegistry, type PipelineSpec } from '../../lib/pipeline/index.js';
import { Services } from '../../lib/services.js';
import { formatReplay, replayLog, SqliteEventLog } from '../../lib/store/index.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { ordersStageKind, PaperVenue, signalStageKind, SignalMapper } from '../../lib/trading/index.js';
import { fakeForecastStage } from './support/fake-forecast-stage.js';
import { tempFolder } from './support/events.js';
import { sp500Bars } from './support/sp500.js';

function testRegistry(): StageRegistry {
  return new StageRegistry().register(fakeForecastStage).register(signalStageKind).register(ordersStageKind);
}

function specWith(scale: number): PipelineSpec {
  return {
    id: 'replay-test',
    file: 'replay-test.yaml',
    baseDir: '.',
    instruments: [{ id: 'SPX', allowNegativePrices: false }],
    source: { type: 'synthetic' } as unknown as PipelineSpec['source'],
    stages: [
      { kind: 'fake-forecast', name: 'forecast', index: 0, settings: { scale }, line: 1 },
      { kind: 'signal', name: 'signal', index: 1, settings: { targetVolatility: 0.15, minChange: 0.05 }, line: 2 },
      { kind: 'orders', name: 'orders', index: 2, settings: { capital: 1_000_000, limits: { maxOrderNotional: 800_000, priceBand: 0.05 } }, line: 3 },
    ],
    outputs: { bus: true, log: true },
  };
}

/** Runs the pipeline live over real bars, recording every event, plus REST forecasts that replay must ignore. */
async function recordLiveRun(file: string): Promise<void> {
  const logger = silentLogger();
  const bus = new InProcessBus(logger);
  const clock = new VirtualClock();
  const log = await SqliteEventLog.open({ file }, logger);
  const venue = new PaperVenue({}, { clock });
  log.attach(bus);
  venue.attach(bus);

  const bars = sp500Bars(400);
  const run = createPipeline(specWith(1), { bus, logger, metrics: createMetricsRegistry(), clock, services: new Services(), registry: testRegistry(), source: from(bars) });
  run.start();
  await run.done();

  const apiForecast: ForecastEvent = {
    id: 'api:1', type: 'forecast', time: bars[100].time, ingestTime: 1, source: 'api', correlationId: 'api:1', instrument: 'SPX',
    data: { volatility: 0.3, horizon: 1, modelId: 'SPX', modelHash: 'x', inputHash: 'y', backend: 'cpu', price: 1400 },
  };
  const apiSignal = new SignalMapper({ targetVolatility: 0.15 }, { source: 'api', now: () => 1 }).signalFor(apiForecast);
  bus.publish('forecast', apiForecast);
  if (apiSignal !== null) bus.publish('signal', { ...apiSignal, source: 'api' });

  await log.close();
}

describe('replayLog', () => {
  let temp: ReturnType<typeof tempFolder>;
  let file: string;

  before(async function () {
    this.timeout(30_000);
    temp = tempFolder();
    file = join(temp.folder, 'events.sqlite');
    await recordLiveRun(file);
  });

  after(() => temp.remove());

  it('repeats the recorded run event for event', async () => {
    const result = await replayLog({ spec: specWith(1), logFile: file, registry: testRegistry(), services: new Services(), logger: silentLogger() });

    expect(result.comparison.differences).to.deep.equal([]);
    expect(result.comparison.identical).to.equal(true);
    expect(result.comparison.compared.forecast).to.deep.equal({ recorded: 380, replayed: 380, differing: 0 });
    expect(result.comparison.compared.order?.recorded).to.be.greaterThan(5);
    expect(result.comparison.compared.signal?.recorded).to.be.greaterThan(5);
    expect(result.replayed.trades).to.be.greaterThan(5);
    expect(result.replayed).to.deep.equal(result.recorded);
  });

  it('shows what another model changes', async () => {
    const result = await replayLog({ spec: specWith(1.5), logFile: file, registry: testRegistry(), services: new Services(), logger: silentLogger() });
    const text = formatReplay(result);

    expect(result.comparison.identical).to.equal(false);
    expect(result.comparison.differences.some((difference) => difference.type === 'signal' && difference.fields.includes('data.targetPosition'))).to.equal(true);
    expect(result.comparison.differences.some((difference) => difference.type === 'order')).to.equal(true);
    expect(result.replayed.pnl).to.not.equal(result.recorded.pnl);
    expect(text).to.include('signals and orders that differ:');
    expect(text).to.match(/P&L\s+-?\d+\.\d\d\s+-?\d+\.\d\d/);
  });

  it('replays a time range', async () => {
    const bars = sp500Bars(400);
    const result = await replayLog({ spec: specWith(1), logFile: file, registry: testRegistry(), services: new Services(), logger: silentLogger(), from: bars[0].time, to: bars[199].time });

    expect(result.marketEvents).to.equal(200);
    expect(result.comparison.identical).to.equal(true);
  });

  it('rejects an empty range', async () => {
    let error: unknown;
    await replayLog({ spec: specWith(1), logFile: file, registry: testRegistry(), services: new Services(), logger: silentLogger(), from: 0, to: 1 }).catch((caught: unknown) => (error = caught));

    expect(error).to.have.property('code', 'replay-empty');
  });
});
