import type { BarEvent } from '../../events/index.js';

/** A time range in UTC epoch milliseconds; a missing bound is open. Both bounds are inclusive. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

/** The stored bars of each instrument, always returned oldest first. */
export interface BarStorePort {
  /** Instruments with stored bars or a model; anything else is answered with 404. */
  instruments(): readonly string[];

  /** The latest `count` bars of an instrument, or fewer when fewer are stored. */
  latest(instrument: string, count: number): readonly BarEvent[] | Promise<readonly BarEvent[]>;

  /** Every stored bar of an instrument within the range. */
  range(instrument: string, range: TimeRange): readonly BarEvent[] | Promise<readonly BarEvent[]>;
}
