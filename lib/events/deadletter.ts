import * as t from 'io-ts';
import { NonEmptyString, NonNegativeInteger } from './numbers.js';

/** A record that could not be accepted, kept with its raw text and the reason. */
export const DeadLetterData = t.intersection(
  [
    t.strict({
      /** The input as received (a CSV line, a WebSocket message), cut to its start when long (see `rawLength`). */
      raw: t.string,
      reason: NonEmptyString,
    }),
    t.partial({
      /** Machine-readable reason, such as `high-below-low` or `duplicate-trade-id`. */
      code: t.string,
      /** The field that failed, when one did. */
      field: t.string,
      issues: t.array(t.strict({ path: t.string, expected: t.string, received: t.string })),
      /** Origin of the record: file and line, or feed and message number. */
      location: t.string,
      /** Length of the whole input, in characters; present only when `raw` contains just its start. */
      rawLength: NonNegativeInteger,
    }),
  ],
  'DeadLetterData',
);
export type DeadLetterData = t.TypeOf<typeof DeadLetterData>;
