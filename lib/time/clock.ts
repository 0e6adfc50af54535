/** The source of "now" for everything that stamps or schedules, so tests and replays can control time. */
export interface Clock {
  /** Current time in UTC epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to, for replays and tests. */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock to a time; a time in the past is ignored, so the clock never runs backwards. */
  advanceTo(time: number): void {
    if (time > this.current) {
      this.current = time;
    }
  }
}
