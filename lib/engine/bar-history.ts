import type { Subscription } from 'rxjs';
import type { EventBus } from '../bus/index.js';
import type { BarEvent } from '../events/index.js';
import type { BarStorePort, TimeRange } from '../server/ports/index.js';

/**
 * The bars of each instrument seen on the bus, oldest first, for the REST routes that read
 * stored bars (predict from the latest window, OHLC, technical analysis). Bars are kept in
 * memory up to a bound per instrument; the event log keeps everything.
 */
export class BarHistory implements BarStorePort {
  private readonly bars = new Map<string, BarEvent[]>();

  constructor(
    private readonly knownInstruments: () => readonly string[],
    private readonly maxBarsPerInstrument = 200_000,
  ) {}

  attach(bus: EventBus): Subscription {
    return bus.subscribe('bar', 'bar-history', (bar) => this.add(bar));
  }

  /** Adds a bar; a bar at or before the last stored time of its instrument is ignored, so a restarted replay adds nothing twice. */
  add(bar: BarEvent): void {
    const list = this.bars.get(bar.instrument) ?? [];
    const last = list[list.length - 1];

    if (last !== undefined && bar.time <= last.time) {
      return;
    }

    list.push(bar);

    if (list.length > this.maxBarsPerInstrument) {
      list.splice(0, list.length - this.maxBarsPerInstrument);
    }

    this.bars.set(bar.instrument, list);
  }

  instruments(): readonly string[] {
    return [...new Set([...this.knownInstruments(), ...this.bars.keys()])];
  }

  latest(instrument: string, count: number): readonly BarEvent[] {
    const list = this.bars.get(instrument) ?? [];

    return list.slice(Math.max(0, list.length - count));
  }

  range(instrument: string, range: TimeRange): readonly BarEvent[] {
    const list = this.bars.get(instrument) ?? [];
    const from = range.from ?? Number.NEGATIVE_INFINITY;
    const to = range.to ?? Number.POSITIVE_INFINITY;

    return list.filter((bar) => bar.time >= from && bar.time <= to);
  }
}
