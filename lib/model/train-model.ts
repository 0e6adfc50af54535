import * as tf from '@tensorflow/tfjs';
import { TickflowError } from '../errors.js';
import { ewmaForecasts, fitHar, harForecast, rollingForecast } from './baselines.js';
import type { DailyObservation } from './daily-series.js';
import { FEATURE_NAMES, PERIODS_PER_YEAR, type FeatureSettings } from './features.js';
import { scoreForecasts, type ForecastScore } from './forecast-metrics.js';
import { buildNetwork, macsPerForecast } from './lstm-network.js';
import type { ModelInput, ModelMeta } from './model-meta.js';
import { fitNormalization, type Normalization } from './normalization.js';
import { buildSamples, encodeWindows, range, splitSamples, type SampleSet, type SampleSplit } from './samples.js';
import { seededRandom, shuffledIndexes } from './seeded-random.js';

/** Settings of one training run. */
export interface TrainingOptions extends FeatureSettings {
  readonly units: number;
  readonly maxEpochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs without a better validation loss before training stops. */
  readonly patience: number;
  readonly seed: number;
  readonly heldOutFraction: number;
  readonly validationFraction: number;
}

export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = {
  window: 30,
  horizon: 5,
  rollingWindow: 10,
  units: 16,
  maxEpochs: 30,
  batchSize: 64,
  learningRate: 0.005,
  patience: 5,
  seed: 42,
  heldOutFraction: 0.2,
  validationFraction: 0.15,
};

/** Identity and provenance of the model being trained. */
export interface TrainingSubject {
  readonly modelId: string;
  readonly instrument: string;
  readonly input: ModelInput;
  /** The command line that produced the model, recorded in meta.json. */
  readonly command: string;
  readonly backend: string;
}

/** Progress after one epoch; losses are mean squared errors of the normalized log variance. */
export interface EpochReport {
  readonly epoch: number;
  readonly maxEpochs: number;
  readonly loss: number;
  readonly validationLoss: number;
}

export interface TrainingResult {
  readonly network: tf.LayersModel;
  readonly meta: Omit<ModelMeta, 'modelHash'>;
  readonly scores: ForecastScore[];
}

/** Fits one model on a daily series and compares it with the baselines on the held-out part. */
export async function trainModel(
  observations: readonly DailyObservation[],
  subject: TrainingSubject,
  options: TrainingOptions,
  onEpoch: (report: EpochReport) => void = () => undefined,
): Promise<TrainingResult> {
  const set = buildSamples(observations, options);
  const split = splitSamples(set.days.length, options.heldOutFraction, options.validationFraction, options.horizon);

  checkEnoughSamples(split, subject.modelId, observations.length);

  const normalization = normalizationOf(set, split, options.window);
  const network = buildNetwork({ window: options.window, featureCount: FEATURE_NAMES.length, units: options.units, learningRate: options.learningRate, seed: options.seed });
  const fitting = await fitWithEarlyStopping(network, set, split, normalization, options, onEpoch);

  // The optimizer's moment tensors are not part of the saved model and would otherwise leak.
  network.optimizer.dispose();
  const predicted = predictVariances(network, set, normalization, options.window);
  const varianceScale = calibrationScale(set.targets.slice(0, split.validation[1]), predicted.slice(0, split.validation[1]));
  const scores = compareOnHeldOut(set, split, predicted.map((value) => value * varianceScale), options.window);

  return { network, scores, meta: describeModel(observations, set, split, subject, options, normalization, varianceScale, fitting, scores) };
}

function checkEnoughSamples(split: SampleSplit, modelId: string, observations: number): void {
  const fitCount = split.fit[1] - split.fit[0];
  const validationCount = split.validation[1] - split.validation[0];
  const heldOutCount = split.heldOut[1] - split.heldOut[0];

  if (fitCount < 8 || validationCount < 2 || heldOutCount < 2) {
    throw new TickflowError('too-little-data', `too few days to train model "${modelId}": ${observations} observations give ${fitCount} training, ${validationCount} validation and ${heldOutCount} held-out samples; use a longer series or a shorter window`, { modelId, observations, fitCount, validationCount, heldOutCount });
  }
}

function normalizationOf(set: SampleSet, split: SampleSplit, window: number): Normalization {
  const trainingEnd = split.validation[1];
  const firstDay = set.days[0] - window + 1;
  const lastDay = set.days[trainingEnd - 1];
  const rows = range(firstDay, lastDay + 1).map((day) => set.features.rows[day]!);
  const logTargets = set.targets.slice(0, trainingEnd).map(Math.log);

  return fitNormalization(rows, logTargets, FEATURE_NAMES.length);
}

interface FittingOutcome {
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly validationLoss: number;
}

/**
 * Trains one epoch at a time on a sample order drawn from the seeded generator, and keeps the
 * weights of the epoch with the lowest validation loss.
 */
async function fitWithEarlyStopping(
  network: tf.LayersModel,
  set: SampleSet,
  split: SampleSplit,
  normalization: Normalization,
  options: TrainingOptions,
  onEpoch: (report: EpochReport) => void,
): Promise<FittingOutcome> {
  const random = seededRandom(options.seed);
  const fitIndexes = range(split.fit[0], split.fit[1]);
  const validationX = windowsTensor(set, range(split.validation[0], split.validation[1]), options.window, normalization);
  const validationY = targetsTensor(set, range(split.validation[0], split.validation[1]), normalization);
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: [] as tf.Tensor[] };
  let epoch = 0;

  try {
    while (epoch < options.maxEpochs && epoch - best.epoch < options.patience) {
      epoch += 1;

      const order = shuffledIndexes(fitIndexes.length, random).map((i) => fitIndexes[i]);
      const loss = await fitOneEpoch(network, set, order, normalization, options);
      const validationLoss = evaluateLoss(network, validationX, validationY);

      if (validationLoss < best.loss) {
        tf.dispose(best.weights);
        best = { loss: validationLoss, epoch, weights: network.getWeights().map((weight) => weight.clone()) };
      }

      onEpoch({ epoch, maxEpochs: options.maxEpochs, loss, validationLoss });
    }

    network.setWeights(best.weights);
  } finally {
    tf.dispose([validationX, validationY, ...best.weights]);
  }

  return { epochsRun: epoch, bestEpoch: best.epoch, validationLoss: best.loss };
}

async function fitOneEpoch(network: tf.LayersModel, set: SampleSet, order: readonly number[], normalization: Normalization, options: TrainingOptions): Promise<number> {
  const x = windowsTensor(set, order, options.window, normalization);
  const y = targetsTensor(set, order, normalization);

  try {
    const history = await network.fit(x, y, { epochs: 1, batchSize: options.batchSize, shuffle: false, verbose: 0 });
    return Number(history.history.loss[0]);
  } finally {
    tf.dispose([x, y]);
  }
}

function evaluateLoss(network: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): number {
  return tf.tidy(() => (network.evaluate(x, y, { batchSize: 256 }) as tf.Scalar).dataSync()[0]);
}

function windowsTensor(set: SampleSet, indexes: readonly number[], window: number, normalization: Normalization): tf.Tensor3D {
  return tf.tensor3d(encodeWindows(set, indexes, window, normalization), [indexes.length, window, FEATURE_NAMES.length]);
}

function targetsTensor(set: SampleSet, indexes: readonly number[], normalization: Normalization): tf.Tensor2D {
  const values = indexes.map((i) => (Math.log(set.targets[i]) - normalization.targetMean) / normalization.targetStd);
  return tf.tensor2d(values, [indexes.length, 1]);
}

/** Predicts the variance of every sample, before calibration. */
function predictVariances(network: tf.LayersModel, set: SampleSet, normalization: Normalization, window: number): number[] {
  const x = windowsTensor(set, range(0, set.days.length), window, normalization);

  try {
    const output = tf.tidy(() => (network.predict(x, { batchSize: 512 }) as tf.Tensor).dataSync());
    return Array.from(output, (value) => Math.exp(value * normalization.targetStd + normalization.targetMean));
  } finally {
    x.dispose();
  }
}

/**
 * The network predicts a log variance, and the exponential of a mean log is below the mean
 * (Jensen's inequality). The scale mean(y / f) over the training part minimizes QLIKE for a
 * forecast of the form c * f, so it corrects that bias without looking at held-out data.
 */
function calibrationScale(targets: readonly number[], predicted: readonly number[]): number {
  const ratios = targets.map((target, i) => target / predicted[i]);
  const scale = ratios.reduce((sum, ratio) => sum + ratio, 0) / Math.max(ratios.length, 1);

  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

function compareOnHeldOut(set: SampleSet, split: SampleSplit, lstm: readonly number[], window: number): ForecastScore[] {
  const heldOut = range(split.heldOut[0], split.heldOut[1]);
  const trainingIndexes = range(0, split.validation[1]);
  const realized = heldOut.map((i) => set.targets[i]);
  const ewma = ewmaForecasts(set.features.dayVariance);
  const har = fitHar(set.features.dayVariance, trainingIndexes.map((i) => set.days[i]), trainingIndexes.map((i) => set.targets[i]));

  return [
    scoreForecasts('lstm', realized, heldOut.map((i) => lstm[i])),
    scoreForecasts('ewma (lambda 0.94)', realized, heldOut.map((i) => ewma[set.days[i]])),
    scoreForecasts('har (1, 5, 22 days)', realized, heldOut.map((i) => harForecast(har, set.features.dayVariance, set.days[i]))),
    scoreForecasts(`rolling historical (${window} days)`, realized, heldOut.map((i) => rollingForecast(set.features.dayVariance, set.days[i], window))),
  ];
}

function describeModel(
  observations: readonly DailyObservation[],
  set: SampleSet,
  split: SampleSplit,
  subject: TrainingSubject,
  options: TrainingOptions,
  normalization: Normalization,
  varianceScale: number,
  fitting: FittingOutcome,
  scores: readonly ForecastScore[],
): Omit<ModelMeta, 'modelHash'> {
  const best = [...scores].sort((a, b) => a.qlike - b.qlike)[0];
  const units = options.units;
  const featureCount = FEATURE_NAMES.length;

  return {
    formatVersion: 1,
    modelId: subject.modelId,
    instrument: subject.instrument,
    features: [...FEATURE_NAMES],
    window: options.window,
    horizon: options.horizon,
    rollingWindow: options.rollingWindow,
    input: subject.input,
    target: {
      description: `log of the mean daily variance over the next ${options.horizon} days (squared close-to-close log returns, or intraday realized variance), times varianceScale`,
      varianceScale,
    },
    annualization: { periodsPerYear: PERIODS_PER_YEAR, formula: `volatility = sqrt(${PERIODS_PER_YEAR} * daily variance)` },
    normalization,
    dataRange: {
      from: isoDate(observations[0].time),
      to: isoDate(observations[observations.length - 1].time),
      observations: observations.length,
      fitSamples: split.fit[1] - split.fit[0],
      validationSamples: split.validation[1] - split.validation[0],
      heldOutSamples: split.heldOut[1] - split.heldOut[0],
      heldOutFrom: isoDate(observations[set.days[split.heldOut[0]]].time),
    },
    network: {
      layers: [`lstm(${units})`, 'dense(1)'],
      units,
      parameters: 4 * units * (featureCount + units + 1) + units + 1,
      macsPerForecast: macsPerForecast(options.window, featureCount, units),
    },
    training: {
      seed: options.seed,
      epochsRun: fitting.epochsRun,
      bestEpoch: fitting.bestEpoch,
      maxEpochs: options.maxEpochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      patience: options.patience,
      validationLoss: round(fitting.validationLoss),
      command: subject.command,
    },
    backend: subject.backend,
    tfjsVersion: tf.version.tfjs,
    metrics: { heldOut: [...scores], best: best.model },
  };
}

function isoDate(time: number): string {
  return new Date(time).toISOString();
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
