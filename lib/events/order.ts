import * as t from 'io-ts';
import { FiniteNumber, PositiveNumber } from './numbers.js';

export const OrderSide = t.keyof({ buy: null, sell: null }, 'OrderSide');
export type OrderSide = t.TypeOf<typeof OrderSide>;

export const OrderKind = t.keyof({ market: null, limit: null }, 'OrderKind');
export type OrderKind = t.TypeOf<typeof OrderKind>;

/** An order that passed every risk limit. The envelope id is the order id. */
export const OrderData = t.intersection(
  [
    t.strict({
      side: OrderSide,
      orderType: OrderKind,
      /** Units of the instrument, always positive; `side` gives the direction. */
      quantity: PositiveNumber,
      /** Last price when the order was made. */
      referencePrice: FiniteNumber,
      /** quantity times referencePrice, in account currency. */
      notional: PositiveNumber,
      /** Target position (fraction of capital) the order moves to. */
      targetPosition: FiniteNumber,
    }),
    t.partial({
      limitPrice: FiniteNumber,
    }),
  ],
  'OrderData',
);
export type OrderData = t.TypeOf<typeof OrderData>;
