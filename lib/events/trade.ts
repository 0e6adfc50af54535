import * as t from 'io-ts';
import { DecimalString, NonEmptyString } from './numbers.js';

/** One exchange trade, with price and quantity kept as the exchange's decimal strings. */
export const TradeData = t.strict(
  {
    price: DecimalString,
    quantity: DecimalString,
    tradeId: NonEmptyString,
    /** The taker's side: `buy` when the buyer lifted the offer. */
    side: t.keyof({ buy: null, sell: null }),
  },
  'TradeData',
);
export type TradeData = t.TypeOf<typeof TradeData>;
