import { Counter, Gauge, Registry } from 'prom-client';
import { EVENT_TYPES } from '../events/index.js';
import type { BusCounters, EventBus } from './event-bus.js';

/**
 * Exports the bus's per-type counters. The bus only increments plain numbers per event; these
 * metrics read them when Prometheus scrapes, because a labelled prom-client call on every
 * publish would cost most of the bus's throughput.
 */
export function registerBusMetrics(bus: EventBus, registry: Registry): void {
  counterFrom(registry, bus, 'tickflow_bus_published_total', 'Events published to the bus', 'published');
  counterFrom(registry, bus, 'tickflow_bus_delivered_total', 'Event deliveries to bus subscribers', 'delivered');
  counterFrom(registry, bus, 'tickflow_bus_subscriber_errors_total', 'Bus subscribers detached after throwing', 'subscriberErrors');

  new Gauge({
    name: 'tickflow_bus_subscriptions',
    help: 'Live bus subscriptions',
    registers: [registry],
    collect() {
      this.set(bus.liveSubscriptions());
    },
  });
}

function counterFrom(registry: Registry, bus: EventBus, name: string, help: string, field: keyof BusCounters): void {
  new Counter({
    name,
    help,
    labelNames: ['type'],
    registers: [registry],
    collect() {
      const counters = bus.counters();
      this.reset();

      for (const type of EVENT_TYPES) {
        this.inc({ type }, counters[type][field]);
      }
    },
  });
}
