/** Settings of the HTTP server and the WebSocket gateway. Every field has a default. */
export interface ServerOptions {
  /** API keys; when the list is not empty, REST and WebSocket clients must present one. */
  readonly apiKeys: readonly string[];
  /** Origins allowed by CORS; CORS headers are sent only when the list is not empty. */
  readonly corsOrigins: readonly string[];
  /** Largest request body accepted, in bytes; larger bodies get 413. */
  readonly bodyLimitBytes: number;
  /** Time allowed to receive a whole request body, in milliseconds; a slower body gets 408. */
  readonly readTimeoutMs: number;
  /** Seconds a client should wait (`Retry-After`) while the models are loading. */
  readonly retryAfterSeconds: number;
  readonly ws: WebSocketOptions;
}

export interface WebSocketOptions {
  /** Interval between pings, in milliseconds; a session that misses two pongs is terminated. */
  readonly heartbeatMs: number;
  /** Time a session that must authenticate has to send its `auth` frame, in milliseconds. */
  readonly authTimeoutMs: number;
  /** Largest client frame accepted, in bytes. */
  readonly maxPayloadBytes: number;
  /**
   * Bytes a session may have waiting in its socket (`bufferedAmount`) before new frames go to
   * its subscription queues instead. Together with the queue bounds this caps a session's memory.
   */
  readonly highWaterBytes: number;
  /** Queue bound of a subscription that sets no `policy.maxQueue`. */
  readonly defaultMaxQueue: number;
  /** Largest `policy.maxQueue` a client may ask for. */
  readonly maxQueueLimit: number;
  readonly maxSubscriptionsPerSession: number;
  /** A session that sends more invalid frames than this within `badFrameWindowMs` is closed with 1008. */
  readonly badFrameLimit: number;
  readonly badFrameWindowMs: number;
  /** Events read from the event log per page when a subscription sets `since`. */
  readonly historyPageSize: number;
  /** Time sessions get to finish the closing handshake on shutdown before they are terminated. */
  readonly closeGraceMs: number;
}

/** Options as callers pass them: any field may be left out. */
export type ServerOptionsInput = Partial<Omit<ServerOptions, 'ws'>> & { readonly ws?: Partial<WebSocketOptions> };

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  apiKeys: [],
  corsOrigins: [],
  bodyLimitBytes: 1024 * 1024,
  readTimeoutMs: 10_000,
  retryAfterSeconds: 5,
  ws: {
    heartbeatMs: 30_000,
    authTimeoutMs: 10_000,
    maxPayloadBytes: 64 * 1024,
    highWaterBytes: 1024 * 1024,
    defaultMaxQueue: 1000,
    maxQueueLimit: 100_000,
    maxSubscriptionsPerSession: 32,
    badFrameLimit: 20,
    badFrameWindowMs: 10_000,
    historyPageSize: 500,
    closeGraceMs: 1000,
  },
};

/** Fills in the defaults of every option left out. */
export function resolveServerOptions(input: ServerOptionsInput = {}): ServerOptions {
  return {
    ...DEFAULT_SERVER_OPTIONS,
    ...input,
    ws: { ...DEFAULT_SERVER_OPTIONS.ws, ...input.ws },
  };
}

/** Reads API keys from `TICKFLOW_API_KEYS`, a comma-separated list; blank entries are ignored. */
export function apiKeysFromEnv(env: NodeJS.ProcessEnv): string[] {
  const value = env.TICKFLOW_API_KEYS ?? '';

  return value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
}
