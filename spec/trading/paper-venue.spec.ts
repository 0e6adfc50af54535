import { expect } from 'chai';
import { InProcessBus } from '../../lib/bus/index.js';
import type { FillEvent, OrderEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { buildRunReport, formatRunReport, OrderPlanner, PaperVenue, RunTally } from '../../lib/trading/index.js';
import { barAt, signalAt } from './support/trading-events.js';

function orderAt(index: number, target: number, price: number, planner: OrderPlanner): OrderEvent {
  return planner.plan(signalAt(index, target, price)) as OrderEvent;
}

describe('PaperVenue', () => {
  const clock = new VirtualClock(5);
  let planner: OrderPlanner;

  beforeEach(() => {
    planner = new OrderPlanner({ capital: 100_000 }, { source: 'test', now: () => 0 });
  });

  it('fills at the next bar open with costs', () => {
    const bus = new InProcessBus(silentLogger());
    const venue = new PaperVenue({ capital: 100_000, slippageBps: 10, commissionBps: 1 }, { clock });
    const fills: FillEvent[] = [];
    venue.attach(bus);
    bus.subscribe('fill', 'test', (fill) => fills.push(fill));

    bus.publish('bar', barAt(0, 100));
    bus.publish('order', orderAt(0, 0.5, 100, planner));
    bus.publish('bar', barAt(1, 200, 210));

    expect(fills).to.have.length(1);
    expect(fills[0].data).to.include({ side: 'buy', quantity: 500, price: 200.2, position: 500, venue: 'paper' });
    expect(fills[0].data.commission).to.be.closeTo(10.01, 1e-9);
    expect(fills[0]).to.include({ time: barAt(1, 0).time, id: 'csv:SPX:0>forecast>signal>order>fill', correlationId: 'csv:SPX:0' });
  });

  it('uses a bar seen before the order', () => {
    const venue = new PaperVenue({ slippageBps: 0, commissionBps: 0 }, { clock });
    venue.onBar(barAt(0, 100));
    venue.onBar(barAt(1, 101));
    venue.onBar(barAt(2, 102));
    venue.submit(orderAt(0, 0.5, 100, planner));

    expect(venue.fills()[0]).to.include({ time: barAt(1, 0).time, price: 101 });
  });

  it('waits for a limit price', () => {
    const limitPlanner = new OrderPlanner({ capital: 100_000, orderType: 'limit', limitOffset: 0.05 }, { source: 'test', now: () => 0 });
    const venue = new PaperVenue({ slippageBps: 0, commissionBps: 0 }, { clock });
    venue.submit(limitPlanner.plan(signalAt(0, 0.5, 100)) as OrderEvent);
    venue.onBar(barAt(1, 100));
    const pendingAfterHighBar = venue.pendingOrders();
    venue.onBar(barAt(2, 94));

    expect(pendingAfterHighBar).to.equal(1);
    expect(venue.fills()[0]).to.include({ price: 94, time: barAt(2, 0).time });
  });

  it('keeps positions and P&L', () => {
    const venue = new PaperVenue({ capital: 100_000, slippageBps: 0, commissionBps: 0 }, { clock });
    venue.submit(orderAt(0, 0.5, 100, planner));
    venue.onBar(barAt(1, 100, 110));
    venue.submit(orderAt(1, 0.25, 110, planner));
    venue.onBar(barAt(2, 120, 130));
    const snapshot = venue.positions();
    const spx = snapshot.positions[0];

    expect(spx).to.include({ quantity: 227, averagePrice: 100, lastPrice: 130, realizedPnl: 273 * 20 });
    expect(spx.unrealizedPnl).to.equal(227 * 30);
    expect(snapshot.pnl).to.be.closeTo(273 * 20 + 227 * 30, 1e-6);
    expect(snapshot.trades).to.equal(2);
    expect(snapshot.turnover).to.be.closeTo((500 * 100 + 273 * 120) / 100_000, 1e-9);
  });

  it('builds the same report whatever the arrival order', () => {
    const early = new PaperVenue({ slippageBps: 0, commissionBps: 0 }, { clock });
    const late = new PaperVenue({ slippageBps: 0, commissionBps: 0 }, { clock });
    const order = orderAt(0, 0.5, 100, planner);
    const bars = [barAt(0, 100), barAt(1, 101, 103), barAt(2, 99, 97), barAt(3, 104, 105)];

    early.onBar(bars[0]);
    early.submit(order);
    bars.slice(1).forEach((bar) => early.onBar(bar));
    bars.forEach((bar) => late.onBar(bar));
    late.submit(order);

    expect(buildRunReport({ venue: late })).to.deep.equal(buildRunReport({ venue: early }));
  });
});

describe('buildRunReport', () => {
  it('reports P&L, Sharpe, drawdown and rejections', () => {
    const clock = new VirtualClock();
    const bus = new InProcessBus(silentLogger());
    const venue = new PaperVenue({ capital: 100_000, slippageBps: 0, commissionBps: 0 }, { clock });
    const planner = new OrderPlanner({ capital: 100_000, limits: { maxOrderNotional: 60_000 } }, { source: 'test', now: () => 0 });
    const tally = new RunTally();
    venue.attach(bus);
    tally.attach(bus);

    const closes = [100, 100, 110, 99, 120];
    bus.publish('bar', barAt(0, 100));
    bus.publish('order', planner.plan(signalAt(0, 0.5, 100)) as OrderEvent);
    for (let i = 1; i < closes.length; i++) bus.publish('bar', barAt(i, closes[i - 1], closes[i]));
    bus.publish('order.rejected', planner.plan(signalAt(4, 1.5, 120)) as never);

    const report = buildRunReport({ venue, counts: tally.counts, log: { headHash: 'abc', rowCount: 9 } });

    expect(report).to.include({ trades: 1, pnl: 10_000, turnover: 0.5, headHash: 'abc', rowCount: 9, bars: 5 });
    expect(report.maxDrawdown).to.be.closeTo(5.5 / 105, 1e-6);
    expect(report.sharpe).to.be.greaterThan(0);
    expect(report.rejectionsByRule).to.deep.equal({ 'max-order-notional': 1 });
    expect(formatRunReport(report)).to.match(/max drawdown\s+5\.24%/);
    expect(formatRunReport(report)).to.include('max-order-notional 1');
  });
});
