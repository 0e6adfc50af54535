import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickflowError } from '../../lib/errors.js';
import { Forecaster } from '../../lib/model/forecaster.js';
import { loadModelFiles } from '../../lib/model/model-files.js';
import { ModelCache } from '../../lib/model/model-cache.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { useTestBackend } from './support/backend-hook.js';
import { copyShippedModel, fillWeightsWithNaN } from './support/nan-model.js';
import { garchDays } from './support/synthetic-days.js';
import { writeTinyModel } from './support/tiny-model.js';

async function rejection(promise: Promise<unknown>): Promise<TickflowError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: TickflowError) => error,
  );
}

describe('Forecaster', () => {
  let root: string;
  let cache: ModelCache;
  let forecaster: Forecaster;
  const bars = garchDays(30).map((day) => ({ time: day.time, open: day.open, high: day.high, low: day.low, close: day.close }));

  before(async () => {
    await useTestBackend();
    root = await mkdtemp(join(tmpdir(), 'tickflow-forecaster-'));
    await writeTinyModel(root, 'TINY');
    cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    forecaster = new Forecaster({ cache, clock: new VirtualClock(5), maxBatchSize: 64 });
  });

  after(async () => {
    cache.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('rejects with models-not-ready before preload', async () => {
    const error = await rejection(forecaster.forecast({ instrument: 'TINY', bars, source: 'api' }));

    expect(error.code).to.equal('models-not-ready');
  });

  it('forecasts from bars after preload', async () => {
    await cache.preload(['TINY']);
    const response = await forecaster.forecast({ instrument: 'TINY', bars, source: 'api', correlationId: 'req-1' });
    const { forecast } = response;

    expect(forecast.type).to.equal('forecast');
    expect(forecast.correlationId).to.equal('req-1');
    expect(forecast.time).to.equal(bars[bars.length - 1].time);
    expect(forecast.ingestTime).to.equal(5);
    expect(forecast.data.price).to.equal(bars[bars.length - 1].close);
    expect(forecast.data.modelHash).to.equal(cache.current('TINY')!.hash);
    expect(forecast.data.inputHash).to.match(/^[0-9a-f]{64}$/);
    expect(forecast.data.backend).to.equal(tf.getBackend());
    expect(forecast.data.volatility).to.be.greaterThan(0);
    expect(forecast.id).to.match(/^api:[0-9a-f]{16}>forecast$/);
    expect(response.timing.totalMs).to.be.at.least(response.timing.inferenceMs);
  });

  it('same input gives the same forecast id and hash', async () => {
    const first = await forecaster.forecast({ instrument: 'TINY', bars, source: 'api' });
    const second = await forecaster.forecast({ instrument: 'TINY', bars, source: 'api' });

    expect(second.forecast.id).to.equal(first.forecast.id);
    expect(second.forecast.data.volatility).to.equal(first.forecast.data.volatility);
  });

  it('rejects an unknown instrument with model-not-found', async () => {
    const error = await rejection(forecaster.forecast({ instrument: 'NOPE', bars, source: 'api' }));

    expect(error.code).to.equal('model-not-found');
    expect(error.details).to.deep.equal({ instrument: 'NOPE' });
  });

  it('rejects a short window with too-few-bars', async () => {
    const error = await rejection(forecaster.forecast({ instrument: 'TINY', bars: bars.slice(0, 5), source: 'api' }));

    expect(error.code).to.equal('too-few-bars');
    expect(error.details).to.deep.equal({ instrument: 'TINY', required: 12, received: 5 });
  });

  it('reports window length and model presence', () => {
    expect(forecaster.windowLength('TINY')).to.equal(12);
    expect(forecaster.windowLength('NOPE')).to.equal(undefined);
    expect(forecaster.hasModel('TINY')).to.equal(true);
    expect(forecaster.hasModel('NOPE')).to.equal(false);
  });

  it('batches concurrent forecasts into one predict call', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => forecaster.forecast({ instrument: 'TINY', bars, source: 'api' })));

    expect(results.every((result) => result.forecast.data.volatility === results[0].forecast.data.volatility)).to.equal(true);
  });

  it('leaks no tensors over 10,000 predictions', async () => {
    const days = garchDays(12);
    await forecaster.predict('TINY', days);
    const before = tf.memory().numTensors;

    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 1000 }, () => forecaster.predict('TINY', days)));
    }

    expect(tf.memory().numTensors).to.equal(before);
  });

  it('new model version changes the id', async () => {
    await writeTinyModel(root, 'VERSIONED', { seed: 1 });
    await cache.get('VERSIONED');
    const first = await forecaster.forecast({ instrument: 'VERSIONED', bars, source: 'api' });

    await writeTinyModel(root, 'VERSIONED', { seed: 2 });
    await cache.reload('VERSIONED');
    const second = await forecaster.forecast({ instrument: 'VERSIONED', bars, source: 'api' });
    const again = await forecaster.forecast({ instrument: 'VERSIONED', bars, source: 'api' });

    expect(second.forecast.data.modelHash).to.not.equal(first.forecast.data.modelHash);
    expect(second.forecast.data.volatility).to.not.equal(first.forecast.data.volatility);
    expect(second.forecast.id).to.not.equal(first.forecast.id);
    expect(second.forecast.id).to.match(/^api:[0-9a-f]{16}>forecast$/);
    expect(again.forecast.id).to.equal(second.forecast.id);
  });

  it('two models give two ids', async () => {
    await writeTinyModel(root, 'LONGER', { seed: 1, horizon: 3 });
    await writeTinyModel(root, 'VERSIONED', { seed: 1 });
    await cache.reload('VERSIONED');
    await cache.get('LONGER');

    const short = await forecaster.forecast({ instrument: 'VERSIONED', bars, source: 'api' });
    const long = await forecaster.forecast({ instrument: 'LONGER', bars, source: 'api' });

    expect(long.forecast.data.horizon).to.equal(3);
    expect(long.forecast.id).to.not.equal(short.forecast.id);
  });

  it('rejects a non-finite volatility', async () => {
    const nanRoot = await mkdtemp(join(tmpdir(), 'tickflow-forecaster-nan-'));
    const nanCache = new ModelCache({ modelsDir: nanRoot, logger: silentLogger() });
    const nanForecaster = new Forecaster({ cache: nanCache, clock: new VirtualClock(5) });
    const folder = await copyShippedModel(nanRoot);
    await nanCache.preload(['SPX']);

    // Damages the weights after the warm-up passed, so only the check at inference can catch them.
    await fillWeightsWithNaN(folder);
    const damaged = await loadModelFiles(folder, 'SPX');
    nanCache.current('SPX')!.network.setWeights(damaged.network.getWeights());
    damaged.network.dispose();

    const spxBars = garchDays(60).map((day) => ({ time: day.time, open: day.open, high: day.high, low: day.low, close: day.close }));
    const error = await rejection(nanForecaster.forecast({ instrument: 'SPX', bars: spxBars, source: 'api' }));

    expect(error).to.be.instanceOf(TickflowError);
    expect(error.code).to.equal('model-output-invalid');
    expect(error.message).to.contain('"SPX"');
    expect(error.details).to.include({ modelId: 'SPX', instrument: 'SPX', volatility: 'NaN' });
    nanCache.dispose();
    await rm(nanRoot, { recursive: true, force: true });
  });
});
