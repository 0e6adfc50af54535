import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { formatValidationErrors, issuesToText } from '../../events/index.js';
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
