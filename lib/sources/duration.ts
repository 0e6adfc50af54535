import * as t from 'io-ts';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d|w)$/;

/** Parses `250ms`, `30s`, `30m`, `1h`, `1d` or `1w` into milliseconds; returns undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());

  if (match === null) {
    return undefined;
  }

  const millis = Number(match[1]) * UNIT_MS[match[2]];

  return Number.isSafeInteger(millis) && millis > 0 ? millis : undefined;
}

/** A positive duration written as `30m`, `1h`, `1d` (units ms, s, m, h, d, w) or as whole milliseconds; decodes to milliseconds. */
export const Duration = new t.Type<number, number, unknown>(
  'Duration (such as 30s, 5m, 1h, 1d)',
  (value): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value > 0,
  (input, context) => {
    if (typeof input === 'number' && Number.isSafeInteger(input) && input > 0) {
      return t.success(input);
    }

    const millis = typeof input === 'string' ? parseDuration(input) : undefined;

    return millis === undefined ? t.failure(input, context) : t.success(millis);
  },
  t.identity,
);
