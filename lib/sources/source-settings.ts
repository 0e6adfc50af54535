import * as t from 'io-ts';
import { NonEmptyString, NonNegativeInteger, PositiveInteger, PositiveNumber, FiniteNumber } from '../events/index.js';
import { DateFormat } from './csv/date-parser.js';
import { Duration } from './duration.js';
import { TimeZone } from './time-zone.js';

/** Replay speed: `max` (as fast as the pipeline takes events) or a factor of real time (`1` is real time, `60` a minute per second). */
export const ReplaySpeed = t.union([t.literal('max'), PositiveNumber], 'ReplaySpeed');
export type ReplaySpeed = t.TypeOf<typeof ReplaySpeed>;

/** Column names of a CSV file, by role. */
export const CsvColumns = t.partial(
  {
    time: NonEmptyString,
    open: NonEmptyString,
    high: NonEmptyString,
    low: NonEmptyString,
    close: NonEmptyString,
    volume: NonEmptyString,
    bid: NonEmptyString,
    ask: NonEmptyString,
  },
  'CsvColumns',
);
export type CsvColumns = t.TypeOf<typeof CsvColumns>;

/** Datasets known by name, each a file of a package with its layout preset. */
export const DatasetName = t.keyof({ sp500: null }, 'DatasetName');
export type DatasetName = t.TypeOf<typeof DatasetName>;

export const CsvSourceSettings = t.intersection(
  [
    t.type({ type: t.literal('csv') }),
    t.partial({
      /** A path (relative to the pipeline file's folder), or `<npm package>:<path in package>`. */
      file: NonEmptyString,
      dataset: DatasetName,
      /** `ohlcv` bars, `close` prices (one column per instrument), or `quotes` (bid and ask, read as mid prices). */
      layout: t.keyof({ ohlcv: null, close: null, quotes: null }),
      columns: CsvColumns,
      /** Instrument id to column, for close-only files with one column per instrument. */
      instrumentColumns: t.record(t.string, NonEmptyString),
      dateFormat: DateFormat,
      timeZone: TimeZone,
      /** Bar length; for quote files, the length of the bars the quotes are aggregated into. */
      interval: Duration,
      speed: ReplaySpeed,
      /** The pipeline instrument the file's rows belong to, when the file has one instrument. */
      instrument: NonEmptyString,
      delimiter: t.keyof({ ',': null, ';': null, '\t': null, '|': null }),
    }),
  ],
  'CsvSourceSettings',
);
export type CsvSourceSettings = t.TypeOf<typeof CsvSourceSettings>;

export const FeedReconnect = t.partial(
  {
    initialDelay: Duration,
    maxDelay: Duration,
    /** Consecutive failed connection attempts before the source fails. */
    maxAttempts: PositiveInteger,
    /** How long a connection must stay up before the backoff starts again from `initialDelay`. */
    resetAfter: Duration,
  },
  'FeedReconnect',
);

export const WebSocketSourceSettings = t.intersection(
  [
    t.type({
      type: t.literal('websocket'),
      /** The feed's `ws://` or `wss://` address. There is no default. */
      url: NonEmptyString,
    }),
    t.partial({
      /** Message format; by default each message's shape decides (Binance `trade`/`aggTrade`, Coinbase `match`). */
      format: t.keyof({ auto: null, binance: null, coinbase: null }),
      interval: Duration,
      instrument: NonEmptyString,
      /** Emit each trade as a `trade` event besides the bars. */
      emitTrades: t.boolean,
      /** Decimal places kept when summing quantities exactly. */
      quantityDecimals: NonNegativeInteger,
      /** A JSON message sent after each connect, such as an exchange's subscribe request. */
      subscribe: t.UnknownRecord,
      /** Query parameter that carries the next expected trade id on reconnect, for feeds that can resume. */
      resumeParam: NonEmptyString,
      reconnect: FeedReconnect,
      /** How long the WebSocket upgrade may take before the attempt counts as failed. */
      handshakeTimeout: Duration,
      /** How often the source pings the feed to check the connection is alive. */
      pingInterval: Duration,
      /** A connection with no message and no pong for this long is treated as lost. */
      idleTimeout: Duration,
      /** Largest message accepted, in bytes; a larger frame drops the connection. */
      maxPayload: PositiveInteger,
    }),
  ],
  'WebSocketSourceSettings',
);
export type WebSocketSourceSettings = t.TypeOf<typeof WebSocketSourceSettings>;

export const SyntheticSourceSettings = t.intersection(
  [
    t.type({ type: t.literal('synthetic') }),
    t.partial({
      seed: NonNegativeInteger,
      interval: Duration,
      /** Time of the first bar, ISO 8601 with a zone (`2024-01-02T00:00:00Z`). */
      start: NonEmptyString,
      /** Bars per instrument; without it the source never ends. */
      bars: PositiveInteger,
      price: PositiveNumber,
      /** Annual drift, as a fraction. */
      drift: FiniteNumber,
      /** Annual volatility, as a fraction. */
      volatility: PositiveNumber,
      speed: ReplaySpeed,
    }),
  ],
  'SyntheticSourceSettings',
);
export type SyntheticSourceSettings = t.TypeOf<typeof SyntheticSourceSettings>;

/** The `source:` section of a pipeline file, chosen by its `type`. */
export const SourceSettings = t.union([CsvSourceSettings, WebSocketSourceSettings, SyntheticSourceSettings], 'SourceSettings');
export type SourceSettings = t.TypeOf<typeof SourceSettings>;
