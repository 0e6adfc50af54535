import * as t from 'io-ts';
import { NonNegativeNumber, PositiveNumber } from '../events/index.js';
import { RiskLimits } from './risk-limits.js';

/** Settings of the `orders` stage. */
export const OrdersSettings = t.intersection(
  [
    t.strict({
      /** Account capital in account currency; target positions are fractions of it. */
      capital: PositiveNumber,
    }),
    t.exact(
      t.partial({
        /** `market` (default) or `limit`. */
        orderType: t.keyof({ market: null, limit: null }),
        /** Distance of a limit price from the signal's price, as a fraction, on the side that needs a better price. Default 0.001. */
        limitOffset: NonNegativeNumber,
        /** Quantities are rounded down to whole lots of this many units. Default 1. */
        lotSize: PositiveNumber,
        limits: RiskLimits,
      }),
    ),
  ],
  'OrdersSettings',
);
export type OrdersSettings = t.TypeOf<typeof OrdersSettings>;
