import * as t from 'io-ts';
import { WallTime, zonedTimeToUtc } from '../time-zone.js';

/** Parses one date field of a file into UTC epoch milliseconds, or undefined when it is not a valid date. */
export type DateParser = (text: string) => number | undefined;

const AUTO_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const TOKENS: Readonly<Record<string, { readonly field: keyof WallTime; readonly pattern: string }>> = {
  yyyy: { field: 'year', pattern: '(\\d{4})' },
  MM: { field: 'month', pattern: '(\\d{2})' },
  dd: { field: 'day', pattern: '(\\d{2})' },
  HH: { field: 'hour', pattern: '(\\d{2})' },
  mm: { field: 'minute', pattern: '(\\d{2})' },
  ss: { field: 'second', pattern: '(\\d{2})' },
  SSS: { field: 'millisecond', pattern: '(\\d{3})' },
};

const TOKEN_SPLIT = /(yyyy|MM|dd|HH|mm|ss|SSS)/;

/** `auto` (ISO dates and date-times) or a pattern of yyyy, MM, dd, HH, mm, ss and SSS, such as `yyyyMMddHHmm`. */
export const DateFormat = new t.Type<string, string, unknown>(
  'DateFormat (auto, or a pattern such as yyyy-MM-dd or yyyyMMddHHmm)',
  (value): value is string => typeof value === 'string' && isDateFormat(value),
  (input, context) => (typeof input === 'string' && isDateFormat(input) ? t.success(input) : t.failure(input, context)),
  t.identity,
);

function isDateFormat(format: string): boolean {
  return format === 'auto' || (format.includes('yyyy') && format.includes('MM') && format.includes('dd'));
}

/**
 * Builds a parser for a date format in a time zone. `auto` reads `2000-01-03`,
 * `2000-01-03 09:30[:00[.000]]` and `2000-01-03T09:30:00Z`; an offset written in the value
 * (`Z`, `+01:00`) wins over the zone. A date without a time is midnight in the zone.
 */
export function createDateParser(format: string, zone: string): DateParser {
  return format === 'auto' ? (text) => parseAuto(text, zone) : patternParser(format, zone);
}

function parseAuto(text: string, zone: string): number | undefined {
  const match = AUTO_PATTERN.exec(text.trim());

  if (match === null) {
    return undefined;
  }

  const wall: WallTime = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
    hour: Number(match[4] ?? 0),
    minute: Number(match[5] ?? 0),
    second: Number(match[6] ?? 0),
    millisecond: Number((match[7] ?? '0').padEnd(3, '0')),
  };

  if (!isValidWallTime(wall)) {
    return undefined;
  }

  return match[8] === undefined ? zonedTimeToUtc(wall, zone) : wallWithOffset(wall, match[8]);
}

function patternParser(format: string, zone: string): DateParser {
  const fields: (keyof WallTime)[] = [];
  const source = format
    .split(TOKEN_SPLIT)
    .map((part) => {
      const token = TOKENS[part];

      if (token === undefined) {
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }

      fields.push(token.field);
      return token.pattern;
    })
    .join('');
  const pattern = new RegExp(`^${source}$`);

  return (text) => {
    const match = pattern.exec(text.trim());

    if (match === null) {
      return undefined;
    }

    const wall: Record<keyof WallTime, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
    fields.forEach((field, index) => (wall[field] = Number(match[index + 1])));

    return isValidWallTime(wall) ? zonedTimeToUtc(wall, zone) : undefined;
  };
}

function wallWithOffset(wall: WallTime, offset: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);

  if (offset === 'Z') {
    return asUtc;
  }

  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));

  return asUtc - sign * minutes * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isValidWallTime(wall: WallTime): boolean {
  const leap = wall.year % 4 === 0 && (wall.year % 100 !== 0 || wall.year % 400 === 0);
  const days = wall.month === 2 && leap ? 29 : DAYS_IN_MONTH[wall.month - 1];

  return wall.year >= 1000 && days !== undefined && wall.day >= 1 && wall.day <= days && wall.hour < 24 && wall.minute < 60 && wall.second < 60;
}
