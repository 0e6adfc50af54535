import type { BarEvent } from '../events/index.js';
import { DayAggregator, parseDayBoundary, type DailyObservation } from './daily-series.js';
import type { ModelMeta } from './model-meta.js';
import { windowLengthOf } from './inference-input.js';

/**
 * The days one instrument's next forecast reads. Daily models take each bar as a day; models
 * trained on intraday prices aggregate bars into days at the model's day boundary, and a day
 * enters the window when the first bar of the next day arrives.
 */
export class RollingDays {
  private readonly days: DailyObservation[] = [];
  private aggregator: DayAggregator | undefined;

  /** Adds a bar; returns a copy of the window when it is full and a day was added, else undefined. */
  push(bar: BarEvent, meta: ModelMeta): DailyObservation[] | undefined {
    const day = this.dayOf(bar, meta);

    if (day === undefined) {
      return undefined;
    }

    const needed = windowLengthOf(meta);
    this.days.push(day);

    if (this.days.length > needed) {
      this.days.splice(0, this.days.length - needed);
    }

    return this.days.length === needed ? [...this.days] : undefined;
  }

  private dayOf(bar: BarEvent, meta: ModelMeta): DailyObservation | undefined {
    if (meta.input.kind !== 'intraday') {
      const { open, high, low, close } = bar.data;
      return { time: bar.time, open, high, low, close };
    }

    this.aggregator ??= new DayAggregator(parseDayBoundary(meta.input.dayBoundary ?? '00:00'));
    return this.aggregator.push({ time: bar.time, price: bar.data.close });
  }
}
