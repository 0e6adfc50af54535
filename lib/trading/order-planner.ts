import { derivedEventId, type OrderEvent, type OrderRejectedEvent, type SignalEvent } from '../events/index.js';
import type { OrderKind, OrderSide } from '../events/order.js';
import type { OrdersSettings } from './orders-settings.js';
import type { RiskControl } from './risk-control.js';
import { firstBreach, type Breach, type OrderCheck } from './risk-limits.js';

const ONE_SECOND = 1000;
const DEFAULT_LIMIT_OFFSET = 0.001;

interface ProposedOrder {
  readonly side: OrderSide;
  readonly quantity: number;
  readonly targetUnits: number;
  readonly price: number;
  readonly limitPrice?: number;
}

/**
 * Turns signals into orders and checks each against the risk limits. The position it tracks
 * is the sum of the orders it emitted, not of the venue's fills, and every price comes from the
 * signal, so the same signals always give the same orders (a replay repeats a live run).
 */
export class OrderPlanner {
  private readonly units = new Map<string, number>();
  private readonly lastPrices = new Map<string, number>();
  private readonly recentOrderTimes = new Map<string, number[]>();

  constructor(
    private readonly settings: OrdersSettings,
    private readonly stamp: { readonly source: string; readonly now: () => number },
    private readonly riskControl?: RiskControl,
  ) {}

  /** Returns the order for a signal, its rejection, or null when nothing needs to trade. */
  plan(signal: SignalEvent): OrderEvent | OrderRejectedEvent | null {
    if (signal.data.informational) {
      return null;
    }

    const lastPrice = this.lastPrices.get(signal.instrument);
    this.lastPrices.set(signal.instrument, signal.data.price);

    const proposed = this.propose(signal);

    if (proposed === undefined) {
      return null;
    }

    const breach = firstBreach(this.settings.limits ?? {}, this.checkOf(signal, proposed, lastPrice));

    if (breach !== undefined) {
      return this.rejection(signal, proposed, breach);
    }

    this.units.set(signal.instrument, proposed.targetUnits);
    this.recentOrders(signal.instrument, signal.time).push(signal.time);
    return this.order(signal, proposed);
  }

  /** Units of an instrument held after the orders emitted so far. */
  unitsOf(instrument: string): number {
    return this.units.get(instrument) ?? 0;
  }

  private propose(signal: SignalEvent): ProposedOrder | undefined {
    const price = signal.data.price;

    if (!(price > 0)) {
      return undefined;
    }

    const lot = this.settings.lotSize ?? 1;
    const targetUnits = Math.trunc((signal.data.targetPosition * this.settings.capital) / price / lot) * lot;
    const delta = targetUnits - this.unitsOf(signal.instrument);

    if (Math.abs(delta) < lot / 2) {
      return undefined;
    }

    const side: OrderSide = delta > 0 ? 'buy' : 'sell';
    const quantity = Math.abs(delta);

    if (this.settings.orderType !== 'limit') {
      return { side, quantity, targetUnits, price };
    }

    const offset = this.settings.limitOffset ?? DEFAULT_LIMIT_OFFSET;
    const limitPrice = side === 'buy' ? price * (1 - offset) : price * (1 + offset);
    return { side, quantity, targetUnits, price, limitPrice };
  }

  private checkOf(signal: SignalEvent, proposed: ProposedOrder, lastPrice: number | undefined): OrderCheck {
    const orderPrice = proposed.limitPrice ?? proposed.price;
    const positionNotional = Math.abs(proposed.targetUnits * proposed.price);

    return {
      instrument: signal.instrument,
      halted: this.riskControl?.halted ?? false,
      ...(this.riskControl?.reason === undefined ? {} : { haltReason: this.riskControl.reason }),
      orderPrice,
      ...(lastPrice === undefined ? {} : { lastPrice }),
      orderNotional: proposed.quantity * orderPrice,
      positionNotional,
      grossExposure: this.grossExcluding(signal.instrument) + positionNotional,
      ordersInLastSecond: this.recentOrders(signal.instrument, signal.time).length,
    };
  }

  private grossExcluding(instrument: string): number {
    let gross = 0;

    for (const [other, units] of this.units) {
      if (other !== instrument) {
        gross += Math.abs(units * (this.lastPrices.get(other) ?? 0));
      }
    }

    return gross;
  }

  /** Order times of an instrument within the second of event time before `time`, oldest first. */
  private recentOrders(instrument: string, time: number): number[] {
    const times = this.recentOrderTimes.get(instrument) ?? [];
    const kept = times.filter((orderTime) => orderTime > time - ONE_SECOND);

    this.recentOrderTimes.set(instrument, kept);
    return kept;
  }

  private envelope(signal: SignalEvent) {
    return {
      time: signal.time,
      ingestTime: this.stamp.now(),
      source: this.stamp.source,
      correlationId: signal.correlationId,
      instrument: signal.instrument,
    };
  }

  private order(signal: SignalEvent, proposed: ProposedOrder): OrderEvent {
    const orderType: OrderKind = proposed.limitPrice === undefined ? 'market' : 'limit';

    return {
      id: derivedEventId(signal.id, 'order'),
      type: 'order',
      ...this.envelope(signal),
      data: {
        side: proposed.side,
        orderType,
        quantity: proposed.quantity,
        referencePrice: proposed.price,
        notional: proposed.quantity * proposed.price,
        targetPosition: signal.data.targetPosition,
        ...(proposed.limitPrice === undefined ? {} : { limitPrice: proposed.limitPrice }),
      },
    };
  }

  private rejection(signal: SignalEvent, proposed: ProposedOrder, breach: Breach): OrderRejectedEvent {
    return {
      id: derivedEventId(signal.id, 'order.rejected'),
      type: 'order.rejected',
      ...this.envelope(signal),
      data: {
        rule: breach.rule,
        limit: breach.limit,
        value: breach.value,
        side: proposed.side,
        orderType: proposed.limitPrice === undefined ? 'market' : 'limit',
        quantity: proposed.quantity,
        referencePrice: proposed.price,
        message: breach.message,
      },
    };
  }
}
