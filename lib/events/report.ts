import * as t from 'io-ts';
import { FiniteNumber, NonNegativeInteger } from './numbers.js';

/** Summary of a run or a replay. */
export const ReportData = t.intersection(
  [
    t.strict({
      trades: NonNegativeInteger,
      pnl: FiniteNumber,
      sharpe: FiniteNumber,
      maxDrawdown: FiniteNumber,
      turnover: FiniteNumber,
      rejectionsByRule: t.record(t.string, NonNegativeInteger),
    }),
    t.partial({
      headHash: t.string,
      rowCount: NonNegativeInteger,
      bars: NonNegativeInteger,
      forecasts: NonNegativeInteger,
      signals: NonNegativeInteger,
      orders: NonNegativeInteger,
      deadLetters: NonNegativeInteger,
    }),
  ],
  'ReportData',
);
export type ReportData = t.TypeOf<typeof ReportData>;
