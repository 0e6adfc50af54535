import type { Observable } from 'rxjs';
import type { AnyEvent, EventType } from '../../events/index.js';
import { barEvent } from '../bar-event.js';
import { createDateParser } from '../csv/date-parser.js';
import type { EventCursor } from '../event-cursor.js';
import type { MarketSource, SourceContext } from '../market-source.js';
import { pacedReplay } from '../paced-replay.js';
import type { SyntheticSourceSettings } from '../source-settings.js';
import { SeededRandom } from './seeded-random.js';

const YEAR_MS = 365.25 * 86_400_000;
const STEPS_PER_BAR = 4;
const DEFAULT_START = Date.UTC(2024, 0, 1);
const parseStart = createDateParser('auto', 'UTC');

/**
 * Bars from geometric Brownian motion, one stream per instrument, from a seed: the same
 * settings give the same bars. Each bar is four steps of the process, so high and low differ
 * from open and close. Volume is a log-normal draw around 1,000.
 */
export class SyntheticSource implements MarketSource {
  readonly name = 'synthetic:gbm';
  readonly emits: readonly EventType[] = ['bar'];

  constructor(
    private readonly settings: SyntheticSourceSettings,
    private readonly context: SourceContext,
  ) {}

  open(stop: Observable<unknown>): Observable<AnyEvent> {
    return pacedReplay(() => this.cursor(), stop, { speed: this.settings.speed ?? 'max', scheduler: this.context.scheduler });
  }

  private cursor(): EventCursor {
    const interval = this.settings.interval ?? 60_000;
    const start = this.settings.start === undefined ? DEFAULT_START : (parseStart(this.settings.start) ?? DEFAULT_START);
    const seed = this.settings.seed ?? 1;
    const walks = this.context.instruments.map((instrument, index) => ({ instrument: instrument.id, price: this.settings.price ?? 100, random: new SeededRandom(seed * 7919 + index) }));
    const total = (this.settings.bars ?? Number.POSITIVE_INFINITY) * walks.length;
    let produced = 0;

    return {
      read: () => {
        if (produced >= total) {
          return undefined;
        }

        const walk = walks[produced % walks.length];
        const barIndex = Math.floor(produced / walks.length);
        produced++;

        return barEvent({ source: this.name, offset: `${walk.instrument}:${barIndex}`, instrument: walk.instrument, time: start + barIndex * interval, ingestTime: this.context.clock.now(), prices: this.step(walk, interval), interval });
      },
      finish: () => [],
    };
  }

  private step(walk: { price: number; random: SeededRandom }, interval: number): { open: number; high: number; low: number; close: number; volume: number } {
    const drift = this.settings.drift ?? 0;
    const volatility = this.settings.volatility ?? 0.2;
    const dt = interval / STEPS_PER_BAR / YEAR_MS;
    const open = walk.price;
    let high = open;
    let low = open;

    for (let step = 0; step < STEPS_PER_BAR; step++) {
      walk.price *= Math.exp((drift - (volatility * volatility) / 2) * dt + volatility * Math.sqrt(dt) * walk.random.normal());
      high = Math.max(high, walk.price);
      low = Math.min(low, walk.price);
    }

    return { open, high, low, close: walk.price, volume: Math.round(1000 * Math.exp(0.5 * walk.random.normal())) };
  }
}
