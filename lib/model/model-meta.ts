import * as t from 'io-ts';
import { FiniteNumber, NonEmptyString, NonNegativeInteger, PositiveInteger, PositiveNumber } from '../events/index.js';

const ScoreCodec = t.strict({ model: NonEmptyString, qlike: FiniteNumber, rmse: FiniteNumber });

/** Source and layout of the training data. */
export const ModelInput = t.intersection([
  t.strict({
    /** `daily`: one bar per day; `intraday`: bars are aggregated into days at the day boundary. */
    kind: t.union([t.literal('daily'), t.literal('intraday')]),
    format: t.union([t.literal('ohlcv'), t.literal('close-only'), t.literal('intraday')]),
  }),
  t.partial({
    file: t.string,
    column: t.string,
    /** `HH:MM` in UTC where an intraday day starts. */
    dayBoundary: t.string,
  }),
]);
export type ModelInput = t.TypeOf<typeof ModelInput>;

/** Contents of `meta.json`, written beside a model's weights. */
export const ModelMeta = t.strict(
  {
    formatVersion: t.literal(1),
    modelId: NonEmptyString,
    instrument: NonEmptyString,
    features: t.array(NonEmptyString),
    window: PositiveInteger,
    horizon: PositiveInteger,
    rollingWindow: PositiveInteger,
    input: ModelInput,
    /** Definition of the predicted value and its conversion to an annualized volatility. */
    target: t.strict({ description: t.string, varianceScale: PositiveNumber }),
    annualization: t.strict({ periodsPerYear: PositiveInteger, formula: t.string }),
    normalization: t.strict({
      featureMean: t.array(FiniteNumber),
      featureStd: t.array(PositiveNumber),
      targetMean: FiniteNumber,
      targetStd: PositiveNumber,
    }),
    dataRange: t.strict({
      from: t.string,
      to: t.string,
      observations: PositiveInteger,
      fitSamples: NonNegativeInteger,
      validationSamples: NonNegativeInteger,
      heldOutSamples: NonNegativeInteger,
      heldOutFrom: t.string,
    }),
    network: t.strict({ layers: t.array(t.string), units: PositiveInteger, parameters: PositiveInteger, macsPerForecast: PositiveInteger }),
    training: t.strict({
      seed: t.number,
      epochsRun: NonNegativeInteger,
      bestEpoch: NonNegativeInteger,
      maxEpochs: PositiveInteger,
      batchSize: PositiveInteger,
      learningRate: PositiveNumber,
      patience: PositiveInteger,
      validationLoss: FiniteNumber,
      command: t.string,
    }),
    backend: NonEmptyString,
    tfjsVersion: NonEmptyString,
    metrics: t.strict({ heldOut: t.array(ScoreCodec), best: NonEmptyString }),
    /** SHA-256 of weights.bin. */
    modelHash: NonEmptyString,
  },
  'ModelMeta',
);
export type ModelMeta = t.TypeOf<typeof ModelMeta>;
