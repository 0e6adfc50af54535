import * as t from 'io-ts';
import { FiniteNumber, NonEmptyString, PositiveNumber } from './numbers.js';
import { OrderKind, OrderSide } from './order.js';

/** An order that a risk limit stopped, with the rule, its limit and the value that breached it. */
export const OrderRejectedData = t.strict(
  {
    rule: NonEmptyString,
    limit: FiniteNumber,
    value: FiniteNumber,
    side: OrderSide,
    orderType: OrderKind,
    quantity: PositiveNumber,
    referencePrice: FiniteNumber,
    message: t.string,
  },
  'OrderRejectedData',
);
export type OrderRejectedData = t.TypeOf<typeof OrderRejectedData>;
