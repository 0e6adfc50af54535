import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { InProcessBus } from '../../lib/bus/index.js';
import type { AnyEvent, BarEvent } from '../../lib/events/index.js';
import { Forecaster, FORECASTER } from '../../lib/model/forecaster.js';
import { lstmStageKind, modelIdsOfPipelines, modelUsersOfPipelines } from '../../lib/model/lstm-stage.js';
import { MODEL_CACHE, ModelCache } from '../../lib/model/model-cache.js';
import { loadModelFiles } from '../../lib/model/model-files.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { createMetricsRegistry } from '../../lib/observability/metrics.js';
import type { StageContext } from '../../lib/pipeline/stage-context.js';
import { Services } from '../../lib/services.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { useTestBackend } from './support/backend-hook.js';
import { copyShippedModel, fillWeightsWithNaN } from './support/nan-model.js';
import { garchDays } from './support/synthetic-days.js';
import { writeTinyModel } from './support/tiny-model.js';

function barsOf(instrument: string, count: number, seed: number): BarEvent[] {
  return garchDays(count, seed).map((day, i) => ({
    id: `csv:${instrument}:${i}`,
    type: 'bar',
    time: day.time,
    ingestTime: day.time,
    source: `csv:${instrument}`,
    correlationId: `csv:${instrument}:${i}`,
    instrument,
    data: { open: day.open!, high: day.high!, low: day.low!, close: day.close, volume: 0, interval: 86_400_000 },
  }));
}

describe('lstm stage', () => {
  let root: string;
  let cache: ModelCache;
  let context: StageContext;

  before(async () => {
    await useTestBackend();
    root = await mkdtemp(join(tmpdir(), 'tickflow-stage-'));
    await writeTinyModel(root, 'AAA', { seed: 1 });
    await writeTinyModel(root, 'BBB', { seed: 2 });
    cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    const services = new Services().set(MODEL_CACHE, cache).set(FORECASTER, new Forecaster({ cache, clock: new VirtualClock(7) }));
    context = {
      pipelineId: 'test',
      stageIndex: 0,
      stageName: 'lstm',
      instruments: ['AAA', 'BBB'],
      bus: new InProcessBus(silentLogger()),
      logger: silentLogger(),
      metrics: createMetricsRegistry(),
      clock: new VirtualClock(7),
      services,
    };
  });

  after(async () => {
    cache.dispose();
    await rm(root, { recursive: true, force: true });
  });

  async function run(events: AnyEvent[], settings = {}): Promise<AnyEvent[]> {
    return lastValueFrom(from(events).pipe(lstmStageKind.create(settings, context), toArray()));
  }

  it('emits one forecast per bar once the window is full', async () => {
    const bars = barsOf('AAA', 20, 3);
    const out = await run(bars);

    expect(out).to.have.length(20 - 12 + 1);
    expect(out.every((event) => event.type === 'forecast')).to.equal(true);
  });

  it('derives ids and keeps correlation ids', async () => {
    const bars = barsOf('AAA', 12, 3);
    const [forecast] = await run(bars);
    const last = bars[11];

    expect(forecast.id).to.equal(`${last.id}>forecast`);
    expect(forecast.correlationId).to.equal(last.correlationId);
    expect(forecast.source).to.equal('pipeline:test/lstm');
    expect(forecast.time).to.equal(last.time);
    expect(forecast.type === 'forecast' && forecast.data.price).to.equal(last.data.close);
    expect(forecast.type === 'forecast' && forecast.data.modelHash).to.equal(cache.current('AAA')!.hash);
  });

  it('keeps per-instrument order across models', async () => {
    const a = barsOf('AAA', 60, 3);
    const b = barsOf('BBB', 60, 4);
    const interleaved = a.flatMap((bar, i) => [bar, b[i]]);
    const out = await run(interleaved);

    for (const instrument of ['AAA', 'BBB']) {
      const ids = out.filter((event) => event.instrument === instrument).map((event) => event.id);
      const expected = (instrument === 'AAA' ? a : b).slice(11).map((bar) => `${bar.id}>forecast`);

      expect(ids).to.deep.equal(expected);
    }
  });

  it('uses the named model for every instrument', async () => {
    const out = await run(barsOf('CCC', 12, 3), { model: 'BBB' });

    expect(out[0].type === 'forecast' && out[0].data.modelId).to.equal('BBB');
  });

  it('dead-letters bars of an instrument without a model', async () => {
    const out = await run(barsOf('ZZZ', 2, 3));

    expect(out.map((event) => event.type)).to.deep.equal(['deadletter', 'deadletter']);
    expect(out[0].type === 'deadletter' && out[0].data.code).to.equal('model-not-found');
  });

  it('ignores events that are not bars', async () => {
    const [forecast] = await run(barsOf('AAA', 12, 3));
    const out = await run([forecast]);

    expect(out).to.deep.equal([]);
  });

  it('decodes its settings', () => {
    expect(lstmStageKind.settings.is({ model: 'SPX', batch: { maxSize: 64 } })).to.equal(true);
    expect(lstmStageKind.settings.decode({ batch: { maxSize: 0 } })._tag).to.equal('Left');
  });

  it('modelIdsOfPipelines lists the models the stages name', () => {
    const ids = modelIdsOfPipelines([
      { instruments: [{ id: 'SPX' }, { id: 'GOOG' }], stages: [{ kind: 'lstm', settings: {} }, { kind: 'signal', settings: {} }] },
      { instruments: [{ id: 'X' }], stages: [{ kind: 'lstm', settings: { model: 'SPX' } }] },
    ]);

    expect(ids).to.deep.equal(['SPX', 'GOOG']);
  });

  it('modelUsersOfPipelines names the stages that ask for each model', () => {
    const users = modelUsersOfPipelines([
      { id: 'vol', instruments: [{ id: 'SPX' }], stages: [{ kind: 'lstm', name: 'forecast', settings: {} }] },
      { id: 'other', instruments: [{ id: 'X' }], stages: [{ kind: 'lstm', settings: { model: 'SPX' } }, { kind: 'signal', settings: {} }] },
    ]);

    expect([...users]).to.deep.equal([['SPX', ['stage "forecast" of pipeline "vol"', 'stage "lstm" of pipeline "other"']]]);
  });

  it('dead-letters a non-finite volatility', async () => {
    const nanRoot = await mkdtemp(join(tmpdir(), 'tickflow-stage-nan-'));
    const folder = await copyShippedModel(nanRoot);
    const nanCache = new ModelCache({ modelsDir: nanRoot, logger: silentLogger() });
    const services = new Services().set(MODEL_CACHE, nanCache).set(FORECASTER, new Forecaster({ cache: nanCache, clock: new VirtualClock(7) }));
    await nanCache.preload(['SPX']);

    // Damages the weights after the warm-up passed, so only the check at inference can catch them.
    await fillWeightsWithNaN(folder);
    const damaged = await loadModelFiles(folder, 'SPX');
    nanCache.current('SPX')!.network.setWeights(damaged.network.getWeights());
    damaged.network.dispose();

    const bars = barsOf('SPX', 60, 3);
    const out = await lastValueFrom(from(bars).pipe(lstmStageKind.create({}, { ...context, instruments: ['SPX'], services }), toArray()));
    const last = out[out.length - 1];

    expect(out.length).to.be.greaterThan(0);
    expect(out.every((event) => event.type === 'deadletter')).to.equal(true);
    expect(last.id).to.equal(`${bars[bars.length - 1].id}>deadletter`);
    expect(last.type === 'deadletter' && last.data.code).to.equal('model-output-invalid');
    expect(last.type === 'deadletter' && last.data.reason).to.contain('model "SPX"').and.to.contain('NaN');
    nanCache.dispose();
    await rm(nanRoot, { recursive: true, force: true });
  });
});
