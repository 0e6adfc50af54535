import type { AnyEvent } from '../events/index.js';

/** Pulls a source's events one at a time, so replay can pace them and stop between any two. */
export interface EventCursor {
  /** The next event, or undefined at the end (after any partial aggregates). */
  read(): AnyEvent | undefined;
  /** Ends early: returns the events still held, partial bars included. */
  finish(): AnyEvent[];
}
