import { Observable, Subscriber, Subscription } from 'rxjs';
import WebSocket from 'ws';
import { TickflowError, toError } from '../../errors.js';
import type { AnyEvent } from '../../events/index.js';
import type { WebSocketTradeSource } from './websocket-trade-source.js';

/**
 * One subscription to a WebSocket trade feed: connects, hands each message to the source,
 * reconnects with exponential backoff (reset by the first message of a connection), and on
 * stop closes the socket, emits the open bars and completes.
 */
export class FeedConnection {
  private socket: WebSocket | undefined;
  private timer = Subscription.EMPTY;
  private stopSubscription = Subscription.EMPTY;
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
    const socket = new WebSocket(url);
    let receivedAny = false;

    this.socket = socket;
    socket.on('open', () => {
      this.source.log.info({ url }, 'trade feed connected');
      const subscribe = this.source.subscribeMessage;

      if (subscribe !== undefined) {
        socket.send(subscribe);
      }
    });
    socket.on('message', (data: WebSocket.RawData) => {
      if (!receivedAny) {
        receivedAny = true;
        this.attempts = 0;
      }

      this.emit(this.source.handleMessage(data.toString(), `message:${++this.messageNumber}`));
    });
    socket.on('error', (error: Error) => this.source.log.warn({ err: toError(error), url }, 'trade feed connection failed'));
    socket.on('close', (code: number) => this.onClose(socket, code));
  }

  private onClose(socket: WebSocket, code: number): void {
    if (this.socket !== socket || this.stopped) {
      return;
    }

    this.socket = undefined;
    this.attempts++;
    const { initialDelay, maxDelay, maxAttempts } = this.source.reconnect;

    if (this.attempts > maxAttempts) {
      this.stopped = true;
      this.subscriber.error(new TickflowError('feed-unreachable', `trade feed ${this.source.name} failed ${maxAttempts} connection attempts in a row`, { source: this.source.name, attempts: maxAttempts }));
      return;
    }

    const delay = Math.min(maxDelay, initialDelay * 2 ** (this.attempts - 1));
    this.source.stats.reconnects++;
    this.source.expectRepeats();
    this.source.log.warn({ code, attempt: this.attempts, delayMs: delay }, 'trade feed disconnected; reconnecting');
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
