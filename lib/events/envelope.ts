import * as t from 'io-ts';
import { EpochMillis, NonEmptyString } from './numbers.js';

/**
 * Builds the codec of one event type: the envelope fields every event shares, with the
 * type-specific fields under `data`. The same shape travels on the bus, in the event log,
 * over WebSocket and in REST responses.
 */
export function envelopeOf<T extends string, D extends t.Mixed>(type: T, data: D) {
  return t.strict(
    {
      /** Deterministic where the input allows it: source plus offset, so a restarted source repeats its ids. */
      id: NonEmptyString,
      type: t.literal(type),
      /** Event time, UTC epoch milliseconds. */
      time: EpochMillis,
      /** When tickflow received or produced the event, UTC epoch milliseconds. */
      ingestTime: EpochMillis,
      /** Where the event came from: `csv:sp500`, `ws:binance`, `api`, `pipeline:default/lstm`. */
      source: NonEmptyString,
      /** The id of the event that started the chain, so an order leads back to its bar. */
      correlationId: NonEmptyString,
      instrument: NonEmptyString,
      data,
    },
    `Envelope<${type}>`,
  );
}
