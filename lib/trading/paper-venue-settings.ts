import * as t from 'io-ts';
import { NonNegativeNumber, PositiveInteger, PositiveNumber } from '../events/index.js';

/** Settings of the paper venue. */
export const PaperVenueSettings = t.exact(
  t.partial({
    /** Starting cash in account currency. Default 1,000,000. */
    capital: PositiveNumber,
    /** Price moved against the order, in basis points of the fill price. Default 1. */
    slippageBps: NonNegativeNumber,
    /** Commission in basis points of the fill's notional. Default 0.5. */
    commissionBps: NonNegativeNumber,
    /** Fixed commission per fill. Default 0. */
    commissionPerFill: NonNegativeNumber,
    /** Bars kept per instrument to fill late orders and value the account. Default 100,000. */
    barHistory: PositiveInteger,
  }),
  'PaperVenueSettings',
);
export type PaperVenueSettings = t.TypeOf<typeof PaperVenueSettings>;

export type PaperVenueOptions = Required<PaperVenueSettings>;

export function paperVenueDefaults(settings: PaperVenueSettings = {}): PaperVenueOptions {
  return {
    capital: settings.capital ?? 1_000_000,
    slippageBps: settings.slippageBps ?? 1,
    commissionBps: settings.commissionBps ?? 0.5,
    commissionPerFill: settings.commissionPerFill ?? 0,
    barHistory: settings.barHistory ?? 100_000,
  };
}
