import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TickflowError } from '../../lib/errors.js';
import { trainModel } from '../../lib/model/train-model.js';
import { useTestBackend } from './support/backend-hook.js';
import { garchDays } from './support/synthetic-days.js';
import { TINY_OPTIONS, writeTinyModel } from './support/tiny-model.js';

const SUBJECT = { modelId: 'TINY', instrument: 'TINY', input: { kind: 'daily' as const, format: 'ohlcv' as const }, command: 'test', backend: 'test' };

describe('trainModel', () => {
  let root: string;

  before(async () => {
    await useTestBackend();
    root = await mkdtemp(join(tmpdir(), 'tickflow-train-'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('trains end to end and describes the model', async () => {
    const epochs: number[] = [];
    const result = await trainModel(garchDays(240), SUBJECT, TINY_OPTIONS, (report) => epochs.push(report.epoch));

    expect(epochs).to.deep.equal([1, 2]);
    expect(result.meta.window).to.equal(8);
    expect(result.meta.horizon).to.equal(2);
    expect(result.meta.annualization.periodsPerYear).to.equal(252);
    expect(result.meta.dataRange.observations).to.equal(240);
    expect(result.meta.dataRange.heldOutSamples).to.be.greaterThan(0);
    expect(result.meta.network.macsPerForecast).to.equal(8 * 4 * 4 * (3 + 4) + 4);
    expect(result.scores.map((score) => score.model)).to.deep.equal(['lstm', 'ewma (lambda 0.94)', 'har (1, 5, 22 days)', 'rolling historical (8 days)']);
    expect(result.meta.metrics.heldOut).to.deep.equal(result.scores);
    result.network.dispose();
  });

  it('same seed gives identical weight bytes', async () => {
    await writeTinyModel(root, 'A', { seed: 11 });
    await writeTinyModel(root, 'B', { seed: 11 });

    const first = await readFile(join(root, 'A', 'weights.bin'));
    const second = await readFile(join(root, 'B', 'weights.bin'));

    expect(first.equals(second)).to.equal(true);
  });

  it('another seed gives other weights', async () => {
    await writeTinyModel(root, 'C', { seed: 12 });

    const first = await readFile(join(root, 'A', 'weights.bin'));
    const other = await readFile(join(root, 'C', 'weights.bin'));

    expect(first.equals(other)).to.equal(false);
  });

  it('stops early when validation loss stops improving', async () => {
    const result = await trainModel(garchDays(240), SUBJECT, { ...TINY_OPTIONS, maxEpochs: 50, patience: 1, learningRate: 0.05 });

    expect(result.meta.training.epochsRun).to.be.lessThan(50);
    expect(result.meta.training.epochsRun - result.meta.training.bestEpoch).to.equal(1);
    result.network.dispose();
  });

  it('rejects a series too short to split', async () => {
    const error = await trainModel(garchDays(20), SUBJECT, TINY_OPTIONS).catch((caught: unknown) => caught);

    expect(error).to.be.instanceOf(TickflowError);
    expect((error as TickflowError).code).to.equal('too-little-data');
    expect((error as TickflowError).message).to.contain('20 observations');
  });

  it('leaves no tensors behind', async () => {
    // A first run fills TensorFlow.js's caches of constants, which stay for the process.
    (await trainModel(garchDays(240), SUBJECT, TINY_OPTIONS)).network.dispose();
    const before = tf.memory().numTensors;
    const result = await trainModel(garchDays(240), SUBJECT, TINY_OPTIONS);
    result.network.dispose();

    expect(tf.memory().numTensors).to.equal(before);
  });
});
