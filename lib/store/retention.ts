import * as t from 'io-ts';
import { PositiveInteger } from '../events/index.js';

/**
 * How much of the log to keep. Age is measured in event time back from the newest stored
 * event, not on the wall clock, so a log of historical bars is not emptied on the first check.
 */
export const RetentionSettings = t.partial(
  {
    /** Remove events older than this many milliseconds before the newest event. */
    maxAgeMs: PositiveInteger,
    /** Keep at most this many rows, removing the oldest first. */
    maxRows: PositiveInteger,
  },
  'RetentionSettings',
);
export type RetentionSettings = t.TypeOf<typeof RetentionSettings>;

/** Returns true when a retention setting is present. */
export function hasRetention(settings: RetentionSettings | undefined): boolean {
  return settings !== undefined && (settings.maxAgeMs !== undefined || settings.maxRows !== undefined);
}
