import { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import { derivedEventId, type BarEvent, type FillEvent, type OrderEvent } from '../events/index.js';
import type { Logger } from '../observability/logger.js';
import { ServiceKey } from '../services.js';
import type { Clock } from '../time/clock.js';
import type { ExecutionVenue, Position, PositionsSnapshot } from './execution-venue.js';
import { paperVenueDefaults, type PaperVenueOptions, type PaperVenueSettings } from './paper-venue-settings.js';
import type { EquityPoint } from './performance.js';

export const PAPER_VENUE_SOURCE = 'venue:paper';

interface StoredBar {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

/** An execution, kept to value the account over time. */
export interface FillRecord {
  readonly time: number;
  readonly instrument: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  readonly price: number;
  readonly commission: number;
}

interface Holding {
  quantity: number;
  averagePrice: number;
  realizedPnl: number;
  commission: number;
}

/**
 * A simulated venue. An order fills at the open of the first bar of its instrument whose time
 * is after the order's time, with slippage against the order and commission; a limit order
 * fills at the first such bar that trades through its price. When a fast replay has already
 * delivered that bar before the order arrives, the stored bar is used, so the fill depends
 * only on the data and is the same in every run.
 */
export class PaperVenue implements ExecutionVenue {
  readonly name = 'paper';
  private readonly options: PaperVenueOptions;
  private readonly bars = new Map<string, StoredBar[]>();
  private readonly pending = new Map<string, OrderEvent[]>();
  private readonly fillRecords: FillRecord[] = [];
  private readonly holdings = new Map<string, Holding>();
  private bus: EventBus | undefined;
  private barInterval = 86_400_000;
  private cash: number;
  private traded = 0;

  constructor(
    settings: PaperVenueSettings,
    private readonly deps: { readonly clock: Clock; readonly logger?: Logger },
  ) {
    this.options = paperVenueDefaults(settings);
    this.cash = this.options.capital;
  }

  get capital(): number {
    return this.options.capital;
  }

  /** Length of the bars seen, in milliseconds, for annualizing. */
  get interval(): number {
    return this.barInterval;
  }

  attach(bus: EventBus): Subscription {
    this.bus = bus;

    const subscription = new Subscription();
    subscription.add(bus.subscribe('bar', 'paper-venue', (bar) => this.onBar(bar)));
    subscription.add(bus.subscribe('order', 'paper-venue', (order) => this.submit(order)));
    subscription.add(() => (this.bus = undefined));
    return subscription;
  }

  onBar(bar: BarEvent): void {
    const stored = this.storeBar(bar);
    const waiting = this.pending.get(bar.instrument);

    if (waiting === undefined || waiting.length === 0) {
      return;
    }

    const still = waiting.filter((order) => order.time >= bar.time || !this.tryFill(order, stored));
    this.pending.set(bar.instrument, still);
  }

  submit(order: OrderEvent): void {
    for (const bar of this.barsAfter(order.instrument, order.time)) {
      if (this.tryFill(order, bar)) {
        return;
      }
    }

    const waiting = this.pending.get(order.instrument) ?? [];
    waiting.push(order);
    this.pending.set(order.instrument, waiting);
  }

  /** Orders not filled yet. */
  pendingOrders(): number {
    let count = 0;

    for (const orders of this.pending.values()) {
      count += orders.length;
    }

    return count;
  }

  fills(): readonly FillRecord[] {
    return this.fillRecords;
  }

  positions(): PositionsSnapshot {
    const positions: Position[] = [];
    let marked = 0;
    let commission = 0;

    for (const [instrument, holding] of this.holdings) {
      const lastPrice = this.lastClose(instrument) ?? holding.averagePrice;

      marked += holding.quantity * lastPrice;
      commission += holding.commission;
      positions.push({
        instrument,
        quantity: holding.quantity,
        averagePrice: holding.averagePrice,
        lastPrice,
        realizedPnl: holding.realizedPnl,
        unrealizedPnl: holding.quantity * (lastPrice - holding.averagePrice),
        commission: holding.commission,
      });
    }

    const equity = this.cash + marked;
    return {
      positions,
      capital: this.options.capital,
      cash: this.cash,
      equity,
      pnl: equity - this.options.capital,
      commission,
      trades: this.fillRecords.length,
      turnover: this.traded / this.options.capital,
    };
  }

  /**
   * Values the account at every bar time from the stored bars and fills, in time order. It is
   * rebuilt from data instead of being sampled as bars arrive, because in a fast replay a fill
   * can arrive after later bars did.
   */
  equityCurve(): EquityPoint[] {
    const timeline = [...this.bars.entries()].flatMap(([instrument, bars]) => bars.map((bar) => ({ instrument, time: bar.time, close: bar.close })));
    const fills = [...this.fillRecords].sort((a, b) => a.time - b.time);
    const quantities = new Map<string, number>();
    const closes = new Map<string, number>();
    const curve: EquityPoint[] = [];
    let cash = this.options.capital;
    let nextFill = 0;

    timeline.sort((a, b) => a.time - b.time);

    for (let i = 0; i < timeline.length; i++) {
      const point = timeline[i];

      while (nextFill < fills.length && fills[nextFill].time <= point.time) {
        const fill = fills[nextFill++];
        const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;

        quantities.set(fill.instrument, (quantities.get(fill.instrument) ?? 0) + signed);
        cash -= signed * fill.price + fill.commission;
      }

      closes.set(point.instrument, point.close);

      if (i + 1 < timeline.length && timeline[i + 1].time === point.time) {
        continue;
      }

      let equity = cash;
      for (const [instrument, quantity] of quantities) equity += quantity * (closes.get(instrument) ?? 0);
      curve.push({ time: point.time, equity });
    }

    return curve;
  }

  private storeBar(bar: BarEvent): StoredBar {
    const stored: StoredBar = { time: bar.time, open: bar.data.open, high: bar.data.high, low: bar.data.low, close: bar.data.close };
    const bars = this.bars.get(bar.instrument) ?? [];
    const last = bars[bars.length - 1];

    this.barInterval = bar.data.interval;

    if (last !== undefined && bar.time <= last.time) {
      // A repeated or late bar: keep the first bar of each time.
      return last.time === bar.time ? last : stored;
    }

    bars.push(stored);

    if (bars.length > this.options.barHistory) {
      bars.splice(0, bars.length - this.options.barHistory);
    }

    this.bars.set(bar.instrument, bars);
    return stored;
  }

  /** Stored bars of an instrument after a time, oldest first. */
  private barsAfter(instrument: string, time: number): StoredBar[] {
    const bars = this.bars.get(instrument) ?? [];
    let low = 0;
    let high = bars.length;

    while (low < high) {
      const middle = (low + high) >> 1;

      if (bars[middle].time <= time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }

    return bars.slice(low);
  }

  private lastClose(instrument: string): number | undefined {
    const bars = this.bars.get(instrument);
    return bars === undefined || bars.length === 0 ? undefined : bars[bars.length - 1].close;
  }

  /** Fills the order at a bar when its price allows; returns false for a limit the bar did not reach. */
  private tryFill(order: OrderEvent, bar: StoredBar): boolean {
    const price = this.fillPrice(order, bar);

    if (price === undefined) {
      return false;
    }

    const notional = order.data.quantity * price;
    const commission = (notional * this.options.commissionBps) / 10_000 + this.options.commissionPerFill;
    const position = this.book(order, price, commission);
    const record: FillRecord = { time: bar.time, instrument: order.instrument, side: order.data.side, quantity: order.data.quantity, price, commission };

    this.fillRecords.push(record);
    this.traded += notional;
    this.cash -= (order.data.side === 'buy' ? notional : -notional) + commission;
    this.publishFill(order, record, position);
    return true;
  }

  private fillPrice(order: OrderEvent, bar: StoredBar): number | undefined {
    const buy = order.data.side === 'buy';
    const limit = order.data.limitPrice;

    if (order.data.orderType === 'limit' && limit !== undefined) {
      if (buy) {
        return bar.low <= limit ? Math.min(bar.open, limit) : undefined;
      }

      return bar.high >= limit ? Math.max(bar.open, limit) : undefined;
    }

    const slippage = (bar.open * this.options.slippageBps) / 10_000;
    return buy ? bar.open + slippage : bar.open - slippage;
  }

  /** Updates the holding with a fill and returns the position after it. */
  private book(order: OrderEvent, price: number, commission: number): number {
    const holding = this.holdings.get(order.instrument) ?? { quantity: 0, averagePrice: 0, realizedPnl: 0, commission: 0 };
    const signed = order.data.side === 'buy' ? order.data.quantity : -order.data.quantity;
    const after = holding.quantity + signed;

    if (holding.quantity === 0 || Math.sign(holding.quantity) === Math.sign(signed)) {
      holding.averagePrice = (holding.averagePrice * Math.abs(holding.quantity) + price * Math.abs(signed)) / Math.abs(after);
    } else {
      const closed = Math.min(Math.abs(signed), Math.abs(holding.quantity));
      holding.realizedPnl += closed * (price - holding.averagePrice) * Math.sign(holding.quantity);

      if (Math.sign(after) !== Math.sign(holding.quantity)) {
        holding.averagePrice = after === 0 ? 0 : price;
      }
    }

    holding.quantity = after;
    holding.commission += commission;
    this.holdings.set(order.instrument, holding);
    return after;
  }

  private publishFill(order: OrderEvent, record: FillRecord, position: number): void {
    const fill: FillEvent = {
      id: derivedEventId(order.id, 'fill'),
      type: 'fill',
      time: record.time,
      ingestTime: this.deps.clock.now(),
      source: PAPER_VENUE_SOURCE,
      correlationId: order.correlationId,
      instrument: order.instrument,
      data: { orderId: order.id, side: record.side, quantity: record.quantity, price: record.price, commission: record.commission, position, venue: this.name },
    };

    this.deps.logger?.debug({ orderId: order.id, fillId: fill.id, price: record.price }, 'paper venue filled an order');
    this.bus?.publish('fill', fill);
  }
}

export const PAPER_VENUE = new ServiceKey<PaperVenue>('paper-venue');
