import { expect } from 'chai';
import type { OrderEvent, OrderRejectedEvent } from '../../lib/events/index.js';
import { OrderPlanner, RiskControl, type OrdersSettings } from '../../lib/trading/index.js';
import { signalAt } from './support/trading-events.js';

const stamp = { source: 'pipeline:test/orders', now: () => 7 };

function planner(settings: Partial<OrdersSettings> = {}, riskControl?: RiskControl): OrderPlanner {
  return new OrderPlanner({ capital: 100_000, ...settings }, stamp, riskControl);
}

function asRejection(event: unknown): OrderRejectedEvent['data'] {
  expect(event).to.have.property('type', 'order.rejected');
  return (event as OrderRejectedEvent).data;
}

describe('OrderPlanner', () => {
  describe('#plan', () => {
    it('orders the change of target position', () => {
      const orders = planner();
      const first = orders.plan(signalAt(0, 0.5, 100)) as OrderEvent;
      const second = orders.plan(signalAt(1, 0.2, 100)) as OrderEvent;

      expect(first.data).to.include({ side: 'buy', quantity: 500, orderType: 'market', referencePrice: 100, notional: 50_000, targetPosition: 0.5 });
      expect(second.data).to.include({ side: 'sell', quantity: 300 });
      expect(first).to.include({ id: 'csv:SPX:0>forecast>signal>order', correlationId: 'csv:SPX:0', ingestTime: 7 });
    });

    it('prices limit orders off the signal', () => {
      const orders = planner({ orderType: 'limit', limitOffset: 0.01 });
      const buy = orders.plan(signalAt(0, 0.5, 100)) as OrderEvent;
      const sell = orders.plan(signalAt(1, 0, 100)) as OrderEvent;

      expect(buy.data).to.include({ orderType: 'limit', limitPrice: 99 });
      expect(sell.data).to.include({ orderType: 'limit', limitPrice: 101 });
    });

    it('rounds to lots and skips tiny changes', () => {
      const orders = planner({ lotSize: 100 });
      const first = orders.plan(signalAt(0, 0.555, 100)) as OrderEvent;
      const none = orders.plan(signalAt(1, 0.56, 100));

      expect(first.data.quantity).to.equal(500);
      expect(none).to.equal(null);
    });

    it('ignores informational signals', () => {
      expect(planner().plan(signalAt(0, 0.5, 100, { informational: true }))).to.equal(null);
    });
  });

  describe('risk limits', () => {
    it('rejects above max order notional', () => {
      const rejected = asRejection(planner({ limits: { maxOrderNotional: 40_000 } }).plan(signalAt(0, 0.5, 100)));

      expect(rejected).to.include({ rule: 'max-order-notional', limit: 40_000, value: 50_000, side: 'buy', quantity: 500 });
    });

    it('rejects above max position', () => {
      const orders = planner({ limits: { maxPositionNotional: 60_000, maxOrderNotional: 40_000 } });
      orders.plan(signalAt(0, 0.3, 100));
      const rejected = asRejection(orders.plan(signalAt(1, 0.65, 100)));

      expect(rejected).to.include({ rule: 'max-position', limit: 60_000, value: 65_000 });
      expect(orders.unitsOf('SPX')).to.equal(300);
    });

    it('rejects above max gross exposure', () => {
      const orders = planner({ limits: { maxGrossExposure: 80_000 } });
      orders.plan(signalAt(0, 0.5, 100, { instrument: 'SPX' }));
      const rejected = asRejection(orders.plan(signalAt(0, 0.4, 50, { instrument: 'NDX' })));

      expect(rejected).to.include({ rule: 'max-gross-exposure', limit: 80_000, value: 90_000 });
    });

    it('counts orders per second in event time', () => {
      const orders = planner({ limits: { maxOrdersPerSecond: 2 } });
      const at = (ms: number, target: number) => orders.plan(signalAt(ms, target, 100, { time: 1_000_000 + ms }));

      expect(at(0, 0.1)?.type).to.equal('order');
      expect(at(300, 0.2)?.type).to.equal('order');
      expect(asRejection(at(900, 0.3))).to.include({ rule: 'max-orders-per-second', limit: 2, value: 3 });
      expect(at(1001, 0.4)?.type).to.equal('order');
    });

    it('rejects outside the price band', () => {
      const orders = planner({ limits: { priceBand: 0.05 } });
      orders.plan(signalAt(0, 0.1, 100));
      const rejected = asRejection(orders.plan(signalAt(1, 0.3, 110)));

      expect(rejected.rule).to.equal('price-band');
      expect(rejected.limit).to.equal(0.05);
      expect(rejected.value).to.be.closeTo(0.1, 1e-9);
      expect(orders.plan(signalAt(2, 0.3, 112))?.type).to.equal('order');
    });

    it('rejects a limit price outside the band', () => {
      const orders = planner({ orderType: 'limit', limitOffset: 0.1, limits: { priceBand: 0.05 } });
      orders.plan(signalAt(0, 0.1, 100));

      expect(asRejection(orders.plan(signalAt(1, 0.3, 100))).rule).to.equal('price-band');
    });

    it('rejects everything with the kill switch set', () => {
      const rejected = asRejection(planner({ limits: { killSwitch: true } }).plan(signalAt(0, 0.5, 100)));

      expect(rejected).to.include({ rule: 'kill-switch', limit: 0, value: 1 });
    });

    it('follows halt and resume while running', () => {
      const control = new RiskControl();
      const orders = planner({}, control);

      control.halt('manual stop');
      const halted = asRejection(orders.plan(signalAt(0, 0.5, 100)));
      control.resume();
      const resumed = orders.plan(signalAt(1, 0.5, 100));

      expect(halted.message).to.include('manual stop');
      expect(resumed?.type).to.equal('order');
      expect(control.halted).to.equal(false);
    });
  });
});
