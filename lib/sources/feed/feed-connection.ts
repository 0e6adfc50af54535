import { Observable, Subscriber, Subscription } from 'rxjs';
import WebSocket from 'ws';
import { TickflowError, toError } from '../../errors.js';
import type { AnyEvent } from '../../events/index.js';
import type { WebSocketTradeSource } from './websocket-trade-source.js';

/** The error code `ws` gives a frame larger than `maxPayload`. */
const OVERSIZE_FRAME = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

/**
 * One subscription to a WebSocket trade feed: connects, hands each message to the source,
 * pings the feed and drops a connection that goes silent, reconnects with exponential backoff
 * (reset once a connection has stayed up for `reconnect.resetAfter`), and on stop closes the
 * socket, emits the open bars and completes.
 */
export class FeedConnection {
  private socket: WebSocket | undefined;
  private timer = Subscription.EMPTY;
  private stopSubscription = Subscription.EMPTY;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  /** When the current connection opened, by the wall clock, or undefined before it opens. */
  private openedAt: number | undefined;
  /** When the feed last sent a message or a pong, by the wall clock. */
  private lastHeard = 0;
  private attempts = 0;
  private messageNumber = 0;
  private stopped = false;

  constructor(
    private readonly source: WebSocketTradeSource,
    private readonly subscriber: Subscriber<AnyEvent>,
    private readonly stop: Observable<unknown>,
  ) {}

  /** Connects and returns the teardown. */
  start(): () => void {
    this.stopSubscription = this.stop.subscribe(() => this.finish());
    this.connect();

    return () => this.close();
  }

  private connect(): void {
    if (this.stopped) {
      return;
    }

    const url = this.source.connectionUrl();
    const { handshakeTimeout, maxPayload } = this.source.liveness;
    const socket = new WebSocket(url, { handshakeTimeout, maxPayload });

    this.socket = socket;
    this.openedAt = undefined;
    socket.on('open', () => this.onOpen(socket, url));
    socket.on('message', (data: WebSocket.RawData) => {
      this.lastHeard = Date.now();
      this.emit(this.source.handleMessage(data.toString(), `message:${++this.messageNumber}`));
    });
    socket.on('pong', () => (this.lastHeard = Date.now()));
    socket.on('error', (error: Error) => this.onError(error, url));
    socket.on('close', (code: number) => this.onClose(socket, code));
  }

  private onOpen(socket: WebSocket, url: string): void {
    this.openedAt = Date.now();
    this.lastHeard = this.openedAt;
    this.source.log.info({ url }, 'trade feed connected');
    const subscribe = this.source.subscribeMessage;

    if (subscribe !== undefined) {
      socket.send(subscribe);
    }

    this.watch(socket);
  }

  /**
   * Pings the feed every `pingInterval` and drops the connection once nothing (no message, no
   * pong) has come for `idleTimeout`, because a half-open TCP connection otherwise looks alive
   * forever. The timers run on the wall clock, like the socket itself.
   */
  private watch(socket: WebSocket): void {
    const { pingInterval, idleTimeout } = this.source.liveness;

    this.stopWatching();
    this.watchdog = setInterval(() => {
      const silentMs = Date.now() - this.lastHeard;

      if (silentMs >= idleTimeout) {
        this.source.log.warn({ silentMs, idleTimeoutMs: idleTimeout }, 'trade feed went silent; dropping the connection');
        socket.terminate();
        return;
      }

      socket.ping();
    }, pingInterval);
    this.watchdog.unref();
  }

  private stopWatching(): void {
    if (this.watchdog !== undefined) {
      clearInterval(this.watchdog);
      this.watchdog = undefined;
    }
  }

  private onError(error: Error, url: string): void {
    if ((error as NodeJS.ErrnoException).code === OVERSIZE_FRAME) {
      this.source.log.warn({ url, maxPayload: this.source.liveness.maxPayload }, 'trade feed sent a message over maxPayload bytes; dropping the connection');
      return;
    }

    this.source.log.warn({ err: toError(error), url }, 'trade feed connection failed');
  }

  private onClose(socket: WebSocket, code: number): void {
    if (this.socket !== socket || this.stopped) {
      return;
    }

    this.socket = undefined;
    this.stopWatching();
    const { initialDelay, maxDelay, maxAttempts, resetAfter } = this.source.reconnect;
    const upMs = this.openedAt === undefined ? 0 : Date.now() - this.openedAt;

    // Only a connection that stayed up a while counts as a success: a feed that accepts, sends
    // a message and drops must still back off and, in the end, fail.
    if (upMs >= resetAfter) {
      this.attempts = 0;
    }

    this.attempts++;

    if (this.attempts > maxAttempts) {
      this.stopped = true;
      this.subscriber.error(new TickflowError('feed-unreachable', `trade feed ${this.source.name} failed ${maxAttempts} connection attempts in a row`, { source: this.source.name, attempts: maxAttempts }));
      return;
    }

    const delay = Math.min(maxDelay, initialDelay * 2 ** (this.attempts - 1));
    this.source.stats.reconnects++;
    this.source.expectRepeats();
    this.source.log.warn({ code, upMs, attempt: this.attempts, delayMs: delay }, 'trade feed disconnected; reconnecting');
    this.schedule(delay);
  }

  private schedule(delay: number): void {
    const scheduler = this.source.scheduler;

    if (scheduler !== undefined) {
      this.timer = scheduler.schedule(() => this.connect(), delay);
      return;
    }

    const handle = setTimeout(() => this.connect(), delay);
    this.timer = new Subscription(() => clearTimeout(handle));
  }

  private emit(events: readonly AnyEvent[]): void {
    for (const event of events) {
      this.subscriber.next(event);
    }
  }

  /** Stops on request: closes the socket, emits the open bars, completes. */
  private finish(): void {
    if (this.stopped) {
      return;
    }

    this.close();
    this.emit(this.source.flushBars());
    this.subscriber.complete();
  }

  private close(): void {
    this.stopped = true;
    this.stopWatching();
    this.timer.unsubscribe();
    this.stopSubscription.unsubscribe();

    const socket = this.socket;
    this.socket = undefined;

    if (socket !== undefined) {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
    }
  }
}
