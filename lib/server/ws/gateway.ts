import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventBus } from '../../bus/index.js';
import { toError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../../time/clock.js';
import type { ApiKeyCheck } from '../auth/api-key-check.js';
import type { EventQueryPort } from '../ports/index.js';
import type { GatewayStats, ServerMetrics } from '../server-metrics.js';
import type { WebSocketOptions } from '../server-options.js';
import { EventFanout } from './event-fanout.js';
import type { EventSerializer } from './event-serializer.js';
import { FrameHandler } from './frame-handler.js';
import { errorFrame } from './server-frames.js';
import { Session, type SessionStats } from './session.js';

export const WEBSOCKET_PATH = '/ws';

export interface GatewayDeps {
  readonly bus: EventBus;
  readonly events: EventQueryPort;
  readonly keys: ApiKeyCheck;
  readonly options: WebSocketOptions;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly serializer: EventSerializer;
}

/**
 * The WebSocket endpoint: accepts upgrades on `/ws`, runs the sessions, pings them, and shuts
 * them all down with 1001 on close.
 */
export class WebSocketGateway {
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<Session>();
  private readonly fanout: EventFanout;
  private readonly frames: FrameHandler;
  private readonly heartbeat: NodeJS.Timeout;
  private nextSessionNumber = 1;
  private closing = false;

  constructor(private readonly deps: GatewayDeps) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: deps.options.maxPayloadBytes, perMessageDeflate: false });
    this.fanout = new EventFanout(deps.bus, deps.serializer, deps.logger, (subscription) => {
      subscription.sink.close(1011, 'internal error', 'internal-error');
    });
    this.frames = new FrameHandler({ ...deps, fanout: this.fanout });
    this.heartbeat = setInterval(() => this.pingAll(), deps.options.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Handles an HTTP upgrade request. A path other than `/ws` gets 404. An unexpected throw is
   * logged and gets 500, because the caller is the HTTP server's 'upgrade' event handler and an
   * escaped error would stop the engine.
   */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    try {
      this.upgrade(request, socket, head);
    } catch (error) {
      this.deps.logger.error({ err: toError(error), url: request.url }, 'handling a WebSocket upgrade failed unexpectedly');
      rejectUpgrade(socket, 500, 'Internal Server Error');
    }
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = upgradePath(request.url);

    if (path === undefined) {
      rejectUpgrade(socket, 400, 'Bad Request');
      return;
    }

    if (path !== WEBSOCKET_PATH) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }

    if (this.closing) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }

    const header = request.headers.authorization;
    const authenticated = !this.deps.keys.required || (header !== undefined && this.deps.keys.acceptsHeader(header));

    if (header !== undefined && !authenticated) {
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }

    this.server.handleUpgrade(request, socket, head, (ws) => this.openSession(ws, authenticated));
  }

  stats(): GatewayStats {
    let subscriptions = 0;
    let queuedFrames = 0;
    let maxQueueDepth = 0;
    const droppedBySession = new Map<string, number>();

    for (const session of this.sessions) {
      const stats = session.stats();

      subscriptions += stats.subscriptions;
      queuedFrames += stats.queuedFrames;
      maxQueueDepth = Math.max(maxQueueDepth, stats.maxQueueDepth);
      droppedBySession.set(stats.id, stats.dropped);
    }

    return { sessions: this.sessions.size, subscriptions, queuedFrames, maxQueueDepth, droppedBySession };
  }

  /** Figures of every open session, for tests and diagnostics. */
  sessionStats(): SessionStats[] {
    return [...this.sessions].map((session) => session.stats());
  }

  /** Closes every session with 1001, waits up to the grace time for the closing handshakes, then terminates the rest. */
  async close(): Promise<void> {
    if (this.closing) {
      return;
    }

    this.closing = true;
    clearInterval(this.heartbeat);

    const closed = [...this.sessions].map((session) => closedPromise(session.socket));

    for (const session of this.sessions) {
      session.close(1001, 'server shutting down', 'shutdown');
    }

    await waitAtMost(Promise.all(closed), this.deps.options.closeGraceMs);

    for (const session of [...this.sessions]) {
      session.terminate('shutdown');
    }

    this.fanout.dispose();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private openSession(ws: WebSocket, authenticated: boolean): void {
    const id = `ws-${this.nextSessionNumber++}`;
    const session = new Session(id, ws, authenticated, this.deps.options, this.deps.metrics, this.deps.logger, (closed, subscriptions) => {
      for (const subscription of subscriptions) {
        this.frames.release(closed, subscription);
      }
    });

    this.sessions.add(session);
    ws.on('message', (data: RawData, isBinary: boolean) => this.handleFrame(session, data, isBinary));
    ws.on('pong', () => {
      session.missedPongs = 0;
    });
    ws.on('error', (error) => this.deps.logger.warn({ err: error, session: id }, 'WebSocket session error'));
    ws.once('close', (code: number) => this.closeSession(session, code));

    if (!authenticated) {
      session.authTimer = setTimeout(() => this.closeUnauthenticated(session), this.deps.options.authTimeoutMs);
    }

    this.deps.logger.debug({ session: id }, 'WebSocket session opened');
  }

  /**
   * Handles one client frame. A throw here is a bug, but it must not escape the socket's event
   * handler: the WASM backend of TensorFlow.js installs an uncaughtException handler that
   * rethrows, so an escaped error would stop the whole engine, not just this session.
   */
  private handleFrame(session: Session, data: RawData, isBinary: boolean): void {
    try {
      this.frames.handle(session, data, isBinary);
    } catch (error) {
      this.deps.logger.error({ err: toError(error), session: session.id }, 'handling a WebSocket frame failed unexpectedly');
      session.sendControl(errorFrame('internal-error', `internal error; the server log has the details under session id ${session.id}`));
    }
  }

  private closeUnauthenticated(session: Session): void {
    try {
      session.sendControl(errorFrame('unauthorized', `no auth frame within ${this.deps.options.authTimeoutMs} ms`));
      session.close(1008, 'authentication timed out', 'unauthorized');
    } catch (error) {
      this.deps.logger.error({ err: toError(error), session: session.id }, 'closing an unauthenticated WebSocket session failed');
      session.terminate('internal-error');
    }
  }

  private closeSession(session: Session, code: number): void {
    try {
      session.finish();
    } catch (error) {
      this.deps.logger.error({ err: toError(error), session: session.id }, 'releasing a closed WebSocket session failed');
    }

    session.socket.removeAllListeners('message');
    session.socket.removeAllListeners('pong');
    this.sessions.delete(session);
    this.deps.logger.debug({ session: session.id, code }, 'WebSocket session closed');
  }

  /** Pings every session and terminates one that sent no pong for the previous two pings. */
  private pingAll(): void {
    for (const session of this.sessions) {
      if (session.missedPongs >= 2) {
        this.deps.logger.warn({ session: session.id }, 'WebSocket session missed two pongs; terminating it');
        session.terminate('heartbeat');
        continue;
      }

      session.missedPongs++;

      try {
        session.socket.ping();
      } catch (error) {
        this.deps.logger.warn({ err: toError(error), session: session.id }, 'pinging a WebSocket session failed; terminating it');
        session.terminate('heartbeat');
      }
    }
  }
}

function upgradePath(url: string | undefined): string | undefined {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function closedPromise(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) {
    return Promise.resolve();
  }

  return new Promise((resolve) => ws.once('close', () => resolve()));
}

async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;

  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
