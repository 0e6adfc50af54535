import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { formatValidationErrors, issuesToText } from '../../events/index.js';
import { describeUnknownField, findUnknownField, unknownFieldDetails } from '../unknown-field.js';
import { HttpError } from './http-error.js';

/** Decodes request input with a codec, or throws `invalid-request` listing every issue. */
export function decodeInput<A, O>(codec: t.Type<A, O, unknown>, input: unknown, what: string): A {
  const result = codec.decode(input);

  if (isLeft(result)) {
    const issues = formatValidationErrors(result.left);
    throw new HttpError('invalid-request', `invalid ${what}: ${issuesToText(issues)}`, { issues });
  }

  return result.right;
}

/**
 * Throws `unknown-field` for the first key of an object that is not in `known`, naming the
 * nearest known key. io-ts `t.strict` strips such keys silently, so a misspelt optional field
 * would otherwise be ignored.
 */
export function rejectUnknownFields(input: unknown, known: readonly string[], path = ''): void {
  const field = findUnknownField(input, known, path);

  if (field !== undefined) {
    throw new HttpError('unknown-field', describeUnknownField(field), unknownFieldDetails(field));
  }
}
