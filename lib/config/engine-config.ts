import * as t from 'io-ts';
import { NonEmptyString, NonNegativeInteger, NonNegativeNumber, PositiveInteger, PositiveNumber, refine } from '../events/numbers.js';

/** A TCP port: an integer from 1 to 65535. */
export const Port = refine(t.number, (n) => Number.isInteger(n) && n >= 1 && n <= 65535, 'Port (integer 1-65535)');

/** A host name or IP address to listen on, without scheme, port or white space. */
export const Host = refine(t.string, (s) => /^[A-Za-z0-9._%:[\]-]+$/.test(s), 'Host (name or IP address)');

/** A browser origin allowed by CORS, such as `http://localhost:3000`, or `*` for any origin. */
export const CorsOrigin = refine(t.string, (s) => s === '*' || /^https?:\/\/[^\s/?#]+$/.test(s), 'CorsOrigin (scheme://host[:port] or *)');

/** An API key: printable characters without white space or commas, so keys can be listed in one variable. */
export const ApiKey = refine(t.string, (s) => /^[\x21-\x2b\x2d-\x7e]+$/.test(s), 'ApiKey (printable, no white space or comma)');

/** A pino log level. */
export const LogLevel = t.keyof({ fatal: null, error: null, warn: null, info: null, debug: null, trace: null, silent: null }, 'LogLevel');

/** Replay speed: `max` (as fast as the pipeline goes) or a factor of real time (1 is real time). */
export const ReplaySpeed = t.union([t.literal('max'), PositiveNumber], 'ReplaySpeed (max or factor > 0)');

const ServerSettings = t.strict(
  {
    host: Host,
    port: Port,
    /** Origins allowed by CORS; empty turns CORS off. */
    corsOrigins: t.array(CorsOrigin),
    /** Request bodies larger than this get 413. */
    bodyLimitBytes: PositiveInteger,
    /** A request body that takes longer than this to arrive is cut off. */
    readTimeoutMs: PositiveInteger,
  },
  'ServerSettings',
);

const AuthSettings = t.strict(
  {
    /** Accepted keys; empty leaves REST and WebSocket open. */
    apiKeys: t.array(ApiKey),
  },
  'AuthSettings',
);

const WebSocketSettings = t.strict(
  {
    /** Queue bound of a subscription that names no `policy.maxQueue`, in events. */
    maxQueue: PositiveInteger,
    /** Time between server pings; a session that misses two pongs is closed. */
    heartbeatIntervalMs: PositiveInteger,
  },
  'WebSocketSettings',
);

// NOTE: retention takes effect only once the engine hands these limits to the event log.
const RetentionSettings = t.strict(
  {
    /** Events older than this many days before the newest event (in event time) may be removed; 0 keeps every event. */
    maxAgeDays: NonNegativeNumber,
    /** The oldest rows beyond this count may be removed; 0 sets no limit. */
    maxRows: NonNegativeInteger,
  },
  'RetentionSettings',
);

const EventLogSettings = t.strict(
  {
    /** SQLite file, relative to the working directory; its folder is created if missing. */
    path: NonEmptyString,
    retention: RetentionSettings,
  },
  'EventLogSettings',
);

const ModelSettings = t.strict(
  {
    /** Folder with one subfolder per instrument, relative to the working directory. */
    dir: NonEmptyString,
  },
  'ModelSettings',
);

const LogSettings = t.strict(
  {
    level: LogLevel,
    /** Time between summary lines (bars, forecasts, signals, ...) while the engine runs. */
    summaryIntervalSeconds: PositiveNumber,
  },
  'LogSettings',
);

/**
 * Pace of replayed market data. `speed` wins when set. Otherwise `durationSeconds` stretches or
 * squeezes the whole replay to take that long (0 means as fast as possible). When both are
 * null, the source's own setting in the pipeline file applies.
 */
const ReplaySettings = t.strict(
  {
    speed: t.union([ReplaySpeed, t.null]),
    durationSeconds: t.union([NonNegativeNumber, t.null]),
  },
  'ReplaySettings',
);

/** Engine configuration: everything `tickflow run` needs besides the pipeline file. */
export const EngineConfig = t.strict(
  {
    server: ServerSettings,
    auth: AuthSettings,
    websocket: WebSocketSettings,
    eventLog: EventLogSettings,
    models: ModelSettings,
    log: LogSettings,
    replay: ReplaySettings,
  },
  'EngineConfig',
);
export type EngineConfig = t.TypeOf<typeof EngineConfig>;
export type ReplaySettings = t.TypeOf<typeof ReplaySettings>;
