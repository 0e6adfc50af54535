import * as t from 'io-ts';
import { FiniteNumber, NonEmptyString, PositiveInteger, PositiveNumber } from './numbers.js';

/** A volatility forecast made by a model from a window of bars. */
export const ForecastData = t.strict(
  {
    /** Forecast volatility, annualized, as a fraction (0.2 is 20%). */
    volatility: PositiveNumber,
    /** How many bars ahead the forecast looks. */
    horizon: PositiveInteger,
    modelId: NonEmptyString,
    /** SHA-256 of the model's weights file. */
    modelHash: NonEmptyString,
    /** SHA-256 of the input window, so two forecasts can be compared input for input. */
    inputHash: NonEmptyString,
    /** The TensorFlow.js backend that computed it (`tensorflow`, `wasm`, `cpu`): backends can differ in the last bits. */
    backend: NonEmptyString,
    /** Close of the last bar in the window, carried along so signals and orders need no side lookup. */
    price: FiniteNumber,
  },
  'ForecastData',
);
export type ForecastData = t.TypeOf<typeof ForecastData>;
