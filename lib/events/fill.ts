import * as t from 'io-ts';
import { FiniteNumber, NonEmptyString, NonNegativeNumber, PositiveNumber } from './numbers.js';
import { OrderSide } from './order.js';

/** An execution of an order by a venue. */
export const FillData = t.strict(
  {
    orderId: NonEmptyString,
    side: OrderSide,
    quantity: PositiveNumber,
    /** Execution price including slippage. */
    price: FiniteNumber,
    commission: NonNegativeNumber,
    /** Position in units after the fill. */
    position: FiniteNumber,
    venue: NonEmptyString,
  },
  'FillData',
);
export type FillData = t.TypeOf<typeof FillData>;
