import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import type { AnyEvent } from '../events/index.js';

/** Counts of a run's events, for the run report. */
export interface RunCounts {
  bars: number;
  forecasts: number;
  signals: number;
  orders: number;
  deadLetters: number;
  rejectionsByRule: Record<string, number>;
}

/** Counts the events of a run as the bus publishes them. */
export class RunTally {
  readonly counts: RunCounts = { bars: 0, forecasts: 0, signals: 0, orders: 0, deadLetters: 0, rejectionsByRule: {} };

  attach(bus: EventBus): Subscription {
    return bus.subscribe(['bar', 'forecast', 'signal', 'order', 'order.rejected', 'deadletter'], 'run-tally', (event) => this.count(event));
  }

  count(event: AnyEvent): void {
    switch (event.type) {
      case 'bar':
        this.counts.bars++;
        break;
      case 'forecast':
        this.counts.forecasts++;
        break;
      case 'signal':
        this.counts.signals++;
        break;
      case 'order':
        this.counts.orders++;
        break;
      case 'order.rejected':
        this.counts.rejectionsByRule[event.data.rule] = (this.counts.rejectionsByRule[event.data.rule] ?? 0) + 1;
        break;
      case 'deadletter':
        this.counts.deadLetters++;
        break;
      default:
        break;
    }
  }
}
