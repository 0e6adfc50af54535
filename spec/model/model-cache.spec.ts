import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sinon from 'sinon';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { loadModelFiles } from '../../lib/model/model-files.js';
import { ModelCache } from '../../lib/model/model-cache.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { useTestBackend } from './support/backend-hook.js';
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
});
