import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { TickflowError } from '../../lib/errors.js';
import { loadModelFiles, MODEL_FILES } from '../../lib/model/model-files.js';
import { ModelCache } from '../../lib/model/model-cache.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { useTestBackend } from './support/backend-hook.js';
import { copyShippedModel, fillWeightsWithNaN } from './support/nan-model.js';
import { garchDays } from './support/synthetic-days.js';
import { writeTinyModel } from './support/tiny-model.js';

function capturingLogger(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });

  return pino({ level: 'info' }, stream);
}

describe('ModelCache', () => {
  let root: string;

  before(async () => {
    await useTestBackend();
    root = await mkdtemp(join(tmpdir(), 'tickflow-cache-'));
    await writeTinyModel(root, 'TINY');
    await writeTinyModel(root, 'OTHER', { seed: 5 });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('loads once for twenty concurrent first requests', async () => {
    const load = sinon.spy(loadModelFiles);
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger(), load });
    const models = await Promise.all(Array.from({ length: 20 }, () => cache.get('TINY')));

    expect(load.callCount).to.equal(1);
    expect(new Set(models).size).to.equal(1);
    cache.dispose();
  });

  it('preload warms up every model before ready', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    expect(cache.ready).to.equal(false);

    const preloading = cache.preload(['TINY', 'OTHER', 'TINY']);
    expect(cache.ready).to.equal(false);
    await preloading;

    expect(cache.ready).to.equal(true);
    expect(cache.list().map((model) => model.modelId).sort()).to.deep.equal(['OTHER', 'TINY']);
    expect(cache.list()[0]).to.include.keys('modelHash', 'window', 'horizon', 'features');
    cache.dispose();
  });

  it('preload rejects when a model is missing', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    const error = await cache.preload(['TINY', 'NOPE']).catch((caught: Error) => caught);

    expect((error as Error).message).to.contain(join(root, 'NOPE', 'meta.json'));
    expect(cache.ready).to.equal(false);
    cache.dispose();
  });

  it('rejects an id that is not a folder name', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    const error = await cache.get('../etc').catch((caught: Error) => caught);

    expect((error as Error).message).to.contain('invalid model id "../etc"');
    expect(cache.exists('../etc')).to.equal(false);
    expect(cache.exists('TINY')).to.equal(true);
  });

  it('hot swap keeps in-flight requests and logs both hashes', async () => {
    const lines: Record<string, unknown>[] = [];
    const swapRoot = await mkdtemp(join(tmpdir(), 'tickflow-swap-'));
    const oldMeta = await writeTinyModel(swapRoot, 'SWAP', { seed: 1 });
    const cache = new ModelCache({ modelsDir: swapRoot, logger: capturingLogger(lines) });
    const oldVersion = await cache.get('SWAP');
    const window = garchDays(40).slice(0, 12);

    const inFlight = Array.from({ length: 50 }, () => oldVersion.predictVariances([window]));
    const newMeta = await writeTinyModel(swapRoot, 'SWAP', { seed: 2 });
    const swapping = cache.reload('SWAP');
    const during = Array.from({ length: 50 }, () => cache.get('SWAP').then((model) => model.predictVariances([window])));
    const results = await Promise.all([...inFlight, ...during, swapping]);

    expect(results).to.have.length(101);
    expect(cache.current('SWAP')!.hash).to.equal(newMeta.modelHash);
    expect(oldVersion.isDisposed).to.equal(true);

    const swapLine = lines.find((line) => line.newHash === newMeta.modelHash);
    expect(swapLine).to.include({ modelId: 'SWAP', oldHash: oldMeta.modelHash });
    cache.dispose();
    await rm(swapRoot, { recursive: true, force: true });
  });

  it('failed reload keeps the old version serving', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    const before = await cache.get('TINY');
    const failing = new ModelCache({ modelsDir: join(root, 'missing'), logger: silentLogger() });

    await failing.reload('TINY').catch(() => undefined);
    expect(failing.current('TINY')).to.equal(undefined);

    const error = await cache.reload('NOPE').catch((caught: Error) => caught);
    expect(error).to.be.instanceOf(Error);
    expect(cache.current('TINY')).to.equal(before);
    expect(before.isDisposed).to.equal(false);
    cache.dispose();
  });

  it('reload without an id reloads every loaded model', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    await cache.preload(['TINY', 'OTHER']);
    const swapped = await cache.reload();

    expect(swapped.map((model) => model.modelId).sort()).to.deep.equal(['OTHER', 'TINY']);
    cache.dispose();
  });

  it('missing model names both fixes', async () => {
    const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
    const usedBy = new Map([['NOPE', ['stage "lstm" of pipeline "spx-vol"']]]);
    const error = await cache.preload(['TINY', 'NOPE'], usedBy).catch((caught: TickflowError) => caught);

    expect(error).to.be.instanceOf(TickflowError);
    expect((error as TickflowError).code).to.equal('model-not-found');
    expect((error as TickflowError).message).to.contain('`tickflow train --instrument NOPE`');
    expect((error as TickflowError).message).to.contain('the `model:` setting of stage "lstm" of pipeline "spx-vol"');
    expect((error as TickflowError).details).to.deep.include({ modelId: 'NOPE', usedBy: ['stage "lstm" of pipeline "spx-vol"'] });
    cache.dispose();
  });

  describe('with NaN weights', () => {
    let nanRoot: string;

    beforeEach(async () => {
      nanRoot = await mkdtemp(join(tmpdir(), 'tickflow-nan-'));
    });

    afterEach(async () => {
      await rm(nanRoot, { recursive: true, force: true });
    });

    it('preload rejects and frees the network', async () => {
      const folder = await copyShippedModel(nanRoot);
      await fillWeightsWithNaN(folder);
      const cache = new ModelCache({ modelsDir: nanRoot, logger: silentLogger() });
      const tensors = tf.memory().numTensors;

      const error = await cache.preload(['SPX']).catch((caught: TickflowError) => caught);

      expect(error).to.be.instanceOf(TickflowError);
      expect((error as TickflowError).code).to.equal('model-output-invalid');
      expect((error as TickflowError).message).to.contain('"SPX"').and.to.contain(join(folder, MODEL_FILES.weights));
      expect((error as TickflowError).details).to.include({ modelId: 'SPX', file: join(folder, MODEL_FILES.weights), volatility: 'NaN' });
      expect(cache.ready).to.equal(false);
      expect(tf.memory().numTensors).to.equal(tensors);
      cache.dispose();
    });

    it('reload keeps the old version serving', async () => {
      const folder = await copyShippedModel(nanRoot);
      const cache = new ModelCache({ modelsDir: nanRoot, logger: silentLogger() });
      const before = await cache.get('SPX');
      await fillWeightsWithNaN(folder);

      const error = await cache.reload('SPX').catch((caught: TickflowError) => caught);
      const [volatility] = await cache.current('SPX')!.predictVolatilities([garchDays(60)]);

      expect((error as TickflowError).code).to.equal('model-output-invalid');
      expect(cache.current('SPX')).to.equal(before);
      expect(before.isDisposed).to.equal(false);
      expect(volatility).to.be.greaterThan(0);
      cache.dispose();
    });
  });

  describe('tensor memory', () => {
    it('20 reloads leak no tensors', async () => {
      const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });
      const window = garchDays(40).slice(0, 12);
      await cache.get('TINY');
      const tensors = tf.memory().numTensors;

      for (let cycle = 0; cycle < 20; cycle++) {
        const model = cache.current('TINY')!;
        const inFlight = Array.from({ length: 5 }, () => model.predictVariances([window]));

        await Promise.all([...inFlight, cache.reload('TINY')]);
      }

      expect(tf.memory().numTensors).to.equal(tensors);
      cache.dispose();
    });

    it('reload racing first load frees both', async () => {
      const tensors = tf.memory().numTensors;
      const cache = new ModelCache({ modelsDir: root, logger: silentLogger() });

      await Promise.all([cache.get('TINY'), cache.reload('TINY'), cache.get('TINY')]);
      cache.dispose();

      expect(tf.memory().numTensors).to.equal(tensors);
    });
  });
});
