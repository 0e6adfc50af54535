import * as t from 'io-ts';

/**
 * Refines a codec with a predicate while keeping its plain static type, so code that builds
 * events internally can pass plain numbers and strings without brand casts. Validation still
 * happens at every boundary that decodes with these codecs.
 */
export function refine<A>(base: t.Type<A, A, unknown>, predicate: (value: A) => boolean, name: string): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    name,
    (value): value is A => base.is(value) && predicate(value),
    (input, context) => {
      const decoded = base.validate(input, context);

      if (decoded._tag === 'Left') {
        return decoded;
      }

      return predicate(decoded.right) ? t.success(decoded.right) : t.failure(input, context);
    },
    t.identity,
  );
}

/**
 * A finite number. io-ts `t.number` accepts NaN and Infinity, and JSON.parse turns `1e400`
 * into Infinity, so every number that comes from outside goes through this codec.
 */
export const FiniteNumber = refine(t.number, Number.isFinite, 'FiniteNumber');

/** A finite number above zero: prices, volatilities, sizes. */
export const PositiveNumber = refine(t.number, (n) => Number.isFinite(n) && n > 0, 'PositiveNumber');

/** A finite number at or above zero: volumes, quantities, counts. */
export const NonNegativeNumber = refine(t.number, (n) => Number.isFinite(n) && n >= 0, 'NonNegativeNumber');

/** An integer at or above one: window lengths, batch sizes, horizons. */
export const PositiveInteger = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 1, 'PositiveInteger');

/** An integer at or above zero: offsets, counts. */
export const NonNegativeInteger = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInteger');

/** UTC epoch milliseconds: a safe integer at or above zero. */
export const EpochMillis = refine(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'EpochMillis');

/** A string with at least one character that is not white space. */
export const NonEmptyString = refine(t.string, (s) => s.trim().length > 0, 'NonEmptyString');

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/**
 * A decimal number kept as the exchange's string ("0.00141342"), so no digit is lost to
 * binary floating point. Exponent forms and empty strings are rejected.
 */
export const DecimalString = refine(t.string, (s) => DECIMAL_PATTERN.test(s), 'DecimalString');
