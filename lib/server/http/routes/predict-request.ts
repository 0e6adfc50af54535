import * as t from 'io-ts';
import { EpochMillis, FiniteNumber, NonEmptyString, NonNegativeNumber } from '../../../events/index.js';

/** One bar of a predict request; `t` is the bar's open time in UTC epoch milliseconds. */
export const PredictBar = t.strict(
  {
    t: EpochMillis,
    open: FiniteNumber,
    high: FiniteNumber,
    low: FiniteNumber,
    close: FiniteNumber,
    volume: NonNegativeNumber,
  },
  'PredictBar',
);
export type PredictBar = t.TypeOf<typeof PredictBar>;

/** Body of `POST /api/ml/lstm/predict`: without bars, the latest stored window is used. */
export const PredictRequest = t.intersection(
  [t.strict({ instrument: NonEmptyString }), t.partial({ bars: t.array(PredictBar) })],
  'PredictRequest',
);
export type PredictRequest = t.TypeOf<typeof PredictRequest>;
