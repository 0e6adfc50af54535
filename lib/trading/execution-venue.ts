import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import type { BarEvent, OrderEvent } from '../events/index.js';

/** One instrument's holding and its profit and loss, in account currency. */
export interface Position {
  readonly instrument: string;
  /** Units held; negative is short. */
  readonly quantity: number;
  readonly averagePrice: number;
  readonly lastPrice: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly commission: number;
}

/** The account as a venue reports it. */
export interface PositionsSnapshot {
  readonly positions: Position[];
  readonly capital: number;
  readonly cash: number;
  /** Cash plus every position at its last price. */
  readonly equity: number;
  /** Equity minus capital: realized plus unrealized P&L, after commission. */
  readonly pnl: number;
  readonly commission: number;
  readonly trades: number;
  /** Traded notional divided by capital. */
  readonly turnover: number;
}

/**
 * The place where orders are executed. The paper venue is the only implementation, and a
 * broker adapter would implement the same interface.
 */
export interface ExecutionVenue {
  readonly name: string;
  /** Follows bars and orders on the bus and publishes a `fill` for each execution. */
  attach(bus: EventBus): Subscription;
  onBar(bar: BarEvent): void;
  submit(order: OrderEvent): void;
  positions(): PositionsSnapshot;
}
