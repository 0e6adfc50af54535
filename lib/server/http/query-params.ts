import { HttpError } from './http-error.js';

type QueryValue = string | string[] | undefined;

const INTERVAL_UNITS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Returns a query parameter given once, undefined when absent; a repeated parameter is rejected. */
export function singleParam(query: Record<string, QueryValue>, name: string): string | undefined {
  const value = query[name];

  if (Array.isArray(value)) {
    throw invalidParam(name, 'a single value', value.join(','));
  }

  return value === undefined || value === '' ? undefined : value;
}

export function requiredParam(query: Record<string, QueryValue>, name: string): string {
  const value = singleParam(query, name);

  if (value === undefined) {
    throw invalidParam(name, 'a value', 'undefined');
  }

  return value;
}

/** The latest time a JavaScript Date can hold: 8.64e15 ms after the epoch, in the year 275760. */
export const MAX_DATE_MS = 8.64e15;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a time given as UTC epoch milliseconds or as an ISO 8601 date or date-time. A date
 * that is not on the calendar, such as 2005-02-30, is rejected: Date.parse would roll it over
 * into the next month.
 */
export function parseTimeParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }

  if (/^\d+$/.test(value)) {
    return checkedTime(name, value, Number(value));
  }

  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);

  if (date === null) {
    throw invalidParam(name, 'ISO 8601 time or epoch milliseconds', value);
  }

  if (!isCalendarDate(Number(date[1]), Number(date[2]), Number(date[3]))) {
    throw invalidParam(name, `a date on the calendar (${date[0]} does not exist)`, value);
  }

  return checkedTime(name, value, Date.parse(value));
}

/** Checks a date of the proleptic Gregorian calendar, which ISO 8601 uses. */
function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12) {
    return false;
  }

  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];

  return day >= 1 && day <= daysInMonth;
}

/** Parses an interval such as `30m`, `4h`, `1d` or `1w` into milliseconds. */
export function parseIntervalParam(name: string, value: string): number {
  const match = /^(\d{1,4})([mhdw])$/.exec(value);
  const count = match === null ? 0 : Number(match[1]);

  if (match === null || count === 0) {
    throw invalidParam(name, 'an interval such as 30m, 4h, 1d or 1w', value);
  }

  return count * INTERVAL_UNITS[match[2]];
}

/** Parses a whole number within bounds. */
export function parseIntegerParam(name: string, value: string | undefined, bounds: { min: number; max: number; fallback: number }): number {
  if (value === undefined) {
    return bounds.fallback;
  }

  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;

  if (!(parsed >= bounds.min && parsed <= bounds.max)) {
    throw invalidParam(name, `an integer from ${bounds.min} to ${bounds.max}`, value);
  }

  return parsed;
}

/** Throws when `from` is after `to`. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new HttpError('invalid-request', `from (${from}) is after to (${to})`, {
      issues: [{ path: 'from', expected: `a time at or before to (${to})`, received: String(from) }],
    });
  }
}

export function invalidParam(name: string, expected: string, received: string): HttpError {
  return new HttpError('invalid-request', `invalid query parameter ${name}: expected ${expected}, received ${JSON.stringify(received)}`, {
    issues: [{ path: name, expected, received: JSON.stringify(received) }],
  });
}

function checkedTime(name: string, text: string, time: number): number {
  if (!Number.isSafeInteger(time) || time < 0 || time > MAX_DATE_MS) {
    throw invalidParam(name, `ISO 8601 time or epoch milliseconds from 0 to ${MAX_DATE_MS}`, text);
  }

  return time;
}
