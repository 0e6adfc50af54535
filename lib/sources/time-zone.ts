import * as t from 'io-ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Returns true when the runtime supports the IANA time zone (`UTC`, `America/New_York`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name the runtime supports. */
export const TimeZone = new t.Type<string, string, unknown>(
  'TimeZone (an IANA name such as UTC or America/New_York)',
  (value): value is string => typeof value === 'string' && isTimeZone(value),
  (input, context) => (typeof input === 'string' && isTimeZone(input) ? t.success(input) : t.failure(input, context)),
  t.identity,
);

/** Wall-clock fields of a moment, as written in a file: months from 1. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/**
 * Converts a wall-clock time in a zone to UTC epoch milliseconds. Only `Date.UTC` and `Intl`
 * with an explicit zone are used, never the process's local time, so the result does not
 * depend on `TZ`. A wall time that a DST change skips or repeats resolves to the offset in force
 * just before the change.
 */
export function zonedTimeToUtc(wall: WallTime, zone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);

  if (zone === 'UTC' || zone === 'Etc/UTC') {
    return asUtc;
  }

  const firstGuess = asUtc - offsetAt(asUtc, zone);
  const secondOffset = offsetAt(firstGuess, zone);

  return asUtc - secondOffset;
}

/** Returns the zone's offset from UTC at an instant, in milliseconds (+3,600,000 for Zurich in winter). */
export function offsetAt(instant: number, zone: string): number {
  const parts = formatterFor(zone).formatToParts(new Date(instant));
  const field = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const hour = field('hour') % 24;
  const wallAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), hour, field('minute'), field('second'));

  return wallAsUtc - (instant - (((instant % 1000) + 1000) % 1000));
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);

  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }

  return formatter;
}
