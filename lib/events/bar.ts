import * as t from 'io-ts';
import { FiniteNumber, NonNegativeNumber, PositiveInteger } from './numbers.js';

/**
 * OHLCV fields of a bar. Prices are only required to be finite here, because some
 * instruments trade at negative prices; sources check positivity and the high-low range
 * against the instrument's settings.
 */
export const BarData = t.strict(
  {
    open: FiniteNumber,
    high: FiniteNumber,
    low: FiniteNumber,
    close: FiniteNumber,
    volume: NonNegativeNumber,
    /** Length of the bar in milliseconds (86,400,000 for a daily bar). */
    interval: PositiveInteger,
  },
  'BarData',
);
export type BarData = t.TypeOf<typeof BarData>;
