import * as t from 'io-ts';
import { FiniteNumber, NonEmptyString, PositiveNumber } from './numbers.js';

/** A target position derived from a forecast. */
export const SignalData = t.intersection(
  [
    t.strict({
      /** Target position as a fraction of account capital; negative is short. */
      targetPosition: FiniteNumber,
      /** The target position this signal replaces. */
      previousPosition: FiniteNumber,
      /** The rule that produced it, such as `vol-target` or `regime`. */
      rule: NonEmptyString,
      forecastVolatility: PositiveNumber,
      /** Price the target was computed at (the forecast's last close). */
      price: FiniteNumber,
      /** True for signals from REST forecasts: they are shown but never become orders. */
      informational: t.boolean,
    }),
    t.partial({
      /** Name of the volatility regime, when regimes are configured. */
      regime: t.string,
    }),
  ],
  'SignalData',
);
export type SignalData = t.TypeOf<typeof SignalData>;
