import { expect } from 'chai';
import { mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickflowError } from '../../lib/errors.js';
import { sha256 } from '../../lib/events/index.js';
import { loadModelFiles } from '../../lib/model/model-files.js';
import { useTestBackend } from './support/backend-hook.js';
import { writeTinyModel } from './support/tiny-model.js';

async function loadError(folder: string): Promise<TickflowError> {
  try {
    await loadModelFiles(folder, 'TINY');
  } catch (error) {
    return error as TickflowError;
  }

  throw new Error('expected the load to fail');
}

describe('model files', () => {
  let root: string;
  let folder: string;

  before(async () => {
    await useTestBackend();
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tickflow-model-files-'));
    folder = join(root, 'TINY');
    await writeTinyModel(root, 'TINY');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trips a model with its hash', async () => {
    const loaded = await loadModelFiles(folder, 'TINY');

    expect(loaded.hash).to.equal(sha256(await readFile(join(folder, 'weights.bin'))));
    expect(loaded.meta.modelHash).to.equal(loaded.hash);
    expect(loaded.meta.features).to.deep.equal(['logReturn', 'logRangeVariance', 'logRealizedVolatility']);
    expect(loaded.network.inputs[0].shape).to.deep.equal([null, 8, 3]);
    loaded.network.dispose();
  });

  it('writes the standard layers-model manifest', async () => {
    const topology = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as { format: string; weightsManifest: { paths: string[] }[] };

    expect(topology.format).to.equal('layers-model');
    expect(topology.weightsManifest[0].paths).to.deep.equal(['weights.bin']);
  });

  for (const file of ['model.json', 'weights.bin', 'meta.json']) {
    it(`names a missing ${file}`, async () => {
      await unlink(join(folder, file));
      const error = await loadError(folder);

      expect(error.code).to.equal('model-file-missing');
      expect(error.message).to.contain(join(folder, file));
      expect(error.message).to.contain('is missing');
    });
  }

  for (const file of ['model.json', 'meta.json']) {
    it(`names invalid JSON in ${file}`, async () => {
      await writeFile(join(folder, file), '{"modelTopology": ');
      const error = await loadError(folder);

      expect(error.code).to.equal('model-file-invalid');
      expect(error.message).to.contain(`${join(folder, file)} is not valid JSON`);
    });
  }

  it('names a meta.json field that fails its codec', async () => {
    const meta = JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(folder, 'meta.json'), JSON.stringify({ ...meta, window: -3 }));
    const error = await loadError(folder);

    expect(error.code).to.equal('model-file-invalid');
    expect(error.message).to.contain('window: expected PositiveInteger, received -3');
  });

  it('names a model.json without a manifest', async () => {
    await writeFile(join(folder, 'model.json'), JSON.stringify({ modelTopology: {} }));
    const error = await loadError(folder);

    expect(error.code).to.equal('model-file-invalid');
    expect(error.message).to.contain('weightsManifest');
  });

  it('names a model.json without a topology', async () => {
    await writeFile(join(folder, 'model.json'), JSON.stringify({ weightsManifest: [] }));

    expect((await loadError(folder)).message).to.contain('no modelTopology object');
  });

  it('names weights shorter than the manifest', async () => {
    const size = (await readFile(join(folder, 'weights.bin'))).byteLength;
    await truncate(join(folder, 'weights.bin'), size - 4);
    const error = await loadError(folder);

    expect(error.code).to.equal('model-weights-size-mismatch');
    expect(error.message).to.contain(`${join(folder, 'weights.bin')} holds ${size - 4} bytes but model.json's weightsManifest lists ${size} bytes`);
    expect(error.details).to.include({ expectedBytes: size, actualBytes: size - 4 });
  });

  it('names weights that do not match the recorded hash', async () => {
    const weights = await readFile(join(folder, 'weights.bin'));
    weights[0] ^= 0xff;
    await writeFile(join(folder, 'weights.bin'), weights);
    const error = await loadError(folder);

    expect(error.code).to.equal('model-hash-mismatch');
    expect(error.message).to.contain('mixes two model versions');
  });
});
