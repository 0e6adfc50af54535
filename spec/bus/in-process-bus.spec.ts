import { expect } from 'chai';
import { Registry } from 'prom-client';
import { map, take, toArray } from 'rxjs';
import { hasErrorCode } from '../../lib/errors.js';
import { InProcessBus, installUnhandledErrorHook, registerBusMetrics } from '../../lib/bus/index.js';
import type { AnyEvent, BarEvent, SignalEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { captureLogger } from '../support/capture-logger.js';
import { makeBar } from '../support/events.js';

function makeSignal(index: number): SignalEvent {
  return {
    id: `signal:${index}`,
    type: 'signal',
    time: index,
    ingestTime: index,
    source: 'test',
    correlationId: `test:${index}`,
    instrument: 'SPX',
    data: { targetPosition: 0.5, previousPosition: 0, rule: 'vol-target', forecastVolatility: 0.2, price: 100, informational: false },
  };
}

describe('InProcessBus', () => {
  describe('#publish', () => {
    it('delivers to every subscriber of the type only', () => {
      const bus = new InProcessBus(silentLogger());
      const bars: BarEvent[] = [];
      const signals: SignalEvent[] = [];
      bus.subscribe('bar', 'bars', (event) => bars.push(event));
      bus.subscribe('signal', 'signals', (event) => signals.push(event));

      bus.publish('bar', makeBar(1));
      bus.publish('signal', makeSignal(1));

      expect(bars.map((event) => event.id)).to.deep.equal(['test:1']);
      expect(signals.map((event) => event.id)).to.deep.equal(['signal:1']);
    });

    it('rejects an event of another type at compile time', () => {
      const bus = new InProcessBus(silentLogger());

      // @ts-expect-error a bar is not a signal
      expect(() => bus.publish('signal', makeBar(1))).to.not.throw();
    });

    it('throws bus-closed after close', () => {
      const bus = new InProcessBus(silentLogger());
      bus.close();

      let thrown: unknown;
      try {
        bus.publish('bar', makeBar(7));
      } catch (error) {
        thrown = error;
      }

      expect(hasErrorCode(thrown, 'bus-closed')).to.equal(true);
      expect((thrown as Error).message).to.contain('test:7');
    });
  });

  describe('subscriber errors', () => {
    it('keeps other subscribers receiving all 100 events when one throws', () => {
      const { logger, lines } = captureLogger();
      const bus = new InProcessBus(logger);
      const first: string[] = [];
      const second: string[] = [];
      const third: string[] = [];

      bus.subscribe('bar', 'first', (event) => first.push(event.id));
      bus.subscribe('bar', 'second', (event) => {
        second.push(event.id);
        if (second.length === 3) throw new Error('boom');
      });
      bus.subscribe('bar', 'third', (event) => third.push(event.id));

      for (let i = 0; i < 100; i++) bus.publish('bar', makeBar(i));

      expect(first).to.have.length(100);
      expect(third).to.have.length(100);
      expect(second).to.have.length(3);
      expect(bus.counters().bar.subscriberErrors).to.equal(1);
      expect(bus.liveSubscriptions()).to.equal(2);

      const errorLine = lines.find((line) => line.msg === 'bus subscriber failed and was detached');
      expect(errorLine).to.include({ eventId: 'test:2', subscriber: 'second', eventType: 'bar' });
    });

    it('leaves the stream usable after an operator chain errors', () => {
      const bus = new InProcessBus(silentLogger());
      const received: string[] = [];
      let chainError: unknown;

      bus
        .stream('bar')
        .pipe(
          map(() => {
            throw new Error('bad stage');
          }),
        )
        .subscribe({ error: (error: unknown) => (chainError = error) });
      bus.stream('bar').subscribe((event) => received.push(event.id));

      bus.publish('bar', makeBar(1));
      bus.publish('bar', makeBar(2));

      expect((chainError as Error).message).to.equal('bad stage');
      expect(received).to.deep.equal(['test:1', 'test:2']);
      expect(bus.liveSubscriptions()).to.equal(1);
    });

    it('logs errors RxJS cannot deliver instead of crashing', async () => {
      const { logger: replaced, lines: replacedLines } = captureLogger();
      const { logger, lines } = captureLogger();
      installUnhandledErrorHook(replaced);
      installUnhandledErrorHook(logger);
      const bus = new InProcessBus(silentLogger());

      bus.stream('bar').subscribe(() => {
        throw new Error('stray');
      });
      bus.publish('bar', makeBar(1));
      await new Promise((resolve) => setTimeout(resolve, 5));

      expect(lines.some((line) => line.msg === 'unhandled error in an RxJS subscriber')).to.equal(true);
      expect(replacedLines).to.deep.equal([]);
    });
  });

  describe('re-entrant publish', () => {
    it('delivers an event to every subscriber before events published during its delivery', () => {
      const bus = new InProcessBus(silentLogger());
      const order: string[] = [];

      bus.subscribe('bar', 'republisher', (event) => {
        order.push(`A:${event.id}`);
        if (event.id === 'test:1') bus.publish('signal', makeSignal(1));
      });
      bus.subscribe('bar', 'observer', (event) => order.push(`B:${event.id}`));
      bus.subscribe('signal', 'signals', (event) => order.push(`S:${event.id}`));

      bus.publish('bar', makeBar(1));

      expect(order).to.deep.equal(['A:test:1', 'B:test:1', 'S:signal:1']);
    });

    it('keeps publish order for nested publishes', () => {
      const bus = new InProcessBus(silentLogger());
      const order: string[] = [];

      bus.subscribe('bar', 'fan-out', (event) => {
        if (event.id === 'test:0') {
          bus.publish('bar', makeBar(1));
          bus.publish('bar', makeBar(2));
        }
      });
      bus.subscribe('bar', 'recorder', (event) => order.push(event.id));

      bus.publish('bar', makeBar(0));

      expect(order).to.deep.equal(['test:0', 'test:1', 'test:2']);
    });
  });

  describe('#select', () => {
    it('merges types in publish order and applies the predicate', async () => {
      const bus = new InProcessBus(silentLogger());
      const collected = bus
        .select(['bar', 'signal'], (event) => event.instrument === 'SPX')
        .pipe(take(3), toArray())
        .toPromise();

      bus.publish('bar', makeBar(1));
      bus.publish('bar', makeBar(2, { instrument: 'GOOG' }));
      bus.publish('signal', makeSignal(3));
      bus.publish('bar', makeBar(4));

      const events = (await collected) as AnyEvent[];
      expect(events.map((event) => event.id)).to.deep.equal(['test:1', 'signal:3', 'test:4']);
    });

    it('passes everything through without a predicate', () => {
      const bus = new InProcessBus(silentLogger());
      const ids: string[] = [];
      bus.select(['bar']).subscribe((event) => ids.push(event.id));

      bus.publish('bar', makeBar(1));

      expect(ids).to.deep.equal(['test:1']);
    });
  });

  describe('#close', () => {
    it('completes every stream once', () => {
      const bus = new InProcessBus(silentLogger());
      let completions = 0;
      bus.stream('bar').subscribe({ complete: () => completions++ });
      bus.stream('fill').subscribe({ complete: () => completions++ });

      bus.close();
      bus.close();

      expect(completions).to.equal(2);
      expect(bus.closed).to.equal(true);
    });
  });

  describe('subscription accounting', () => {
    it('returns to zero live subscriptions after 1,000 subscribe and unsubscribe cycles', () => {
      const bus = new InProcessBus(silentLogger());

      for (let i = 0; i < 1000; i++) {
        const handler = bus.subscribe(['bar', 'signal'], `cycle-${i}`, () => undefined);
        const stream = bus.stream('bar').subscribe();
        const selected = bus.select(['order', 'fill']).subscribe();
        handler.unsubscribe();
        stream.unsubscribe();
        selected.unsubscribe();
      }

      expect(bus.liveSubscriptions()).to.equal(0);
      bus.publish('bar', makeBar(1));
      expect(bus.counters().bar.delivered).to.equal(0);
    });
  });

  describe('metrics', () => {
    it('exports per-type counters when collected', async () => {
      const bus = new InProcessBus(silentLogger());
      const registry = new Registry();
      registerBusMetrics(bus, registry);
      bus.subscribe('bar', 'one', () => undefined);
      bus.subscribe('bar', 'two', () => undefined);

      bus.publish('bar', makeBar(1));
      bus.publish('bar', makeBar(2));
      const text = await registry.metrics();

      expect(text).to.contain('tickflow_bus_published_total{type="bar"} 2');
      expect(text).to.contain('tickflow_bus_delivered_total{type="bar"} 4');
      expect(text).to.contain('tickflow_bus_subscriber_errors_total{type="bar"} 0');
      expect(text).to.contain('tickflow_bus_subscriptions 2');
    });
  });
});
