import type { WebSocket } from 'ws';
import type { AnyEvent } from '../../events/index.js';
import type { Logger } from '../../observability/logger.js';
import type { ServerMetrics } from '../server-metrics.js';
import type { WebSocketOptions } from '../server-options.js';
import type { FrameSink, GatewaySubscription } from './gateway-subscription.js';
import { laggedFrame } from './server-frames.js';

const TEXT_FRAME = { binary: false } as const;

export interface SessionStats {
  readonly id: string;
  readonly subscriptions: number;
  readonly queuedFrames: number;
  readonly maxQueueDepth: number;
  readonly bufferedAmount: number;
  readonly dropped: number;
}

/**
 * One WebSocket client. Frames go straight to the socket while its `bufferedAmount` is under
 * the high-water mark; beyond it they wait in the subscriptions' bounded queues, where each
 * subscription's overflow policy applies. So a client that stops reading holds at most the
 * high-water bytes plus its queue bounds, and costs other sessions nothing.
 */
export class Session implements FrameSink {
  readonly subscriptions = new Map<string, GatewaySubscription>();
  authenticated: boolean;
  missedPongs = 0;
  authTimer: NodeJS.Timeout | undefined;

  private queued = 0;
  private droppedTotal = 0;
  private badFrames = 0;
  private badFrameWindowStart = 0;
  private drainWaiters: (() => void)[] = [];
  private open = true;
  private finished = false;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    authenticated: boolean,
    private readonly options: WebSocketOptions,
    private readonly metrics: ServerMetrics,
    readonly logger: Logger,
    private readonly onFinished: (session: Session, subscriptions: GatewaySubscription[]) => void,
  ) {
    this.authenticated = authenticated;
  }

  get isOpen(): boolean {
    return this.open && this.socket.readyState === this.socket.OPEN;
  }

  deliver(subscription: GatewaySubscription, frame: Buffer, event: AnyEvent): void {
    if (!this.isOpen || subscription.disposed) {
      return;
    }

    if (this.queued === 0 && this.socket.bufferedAmount < this.options.highWaterBytes) {
      this.sendEvent(subscription, frame);
      return;
    }

    if (subscription.queue.full && subscription.onOverflow === 'disconnect') {
      this.metrics.countDropped(subscription.onOverflow, 1);
      this.close(1013, `subscription ${subscription.id} queue full`, 'queue-full');
      return;
    }

    this.enqueue(subscription, frame, event);
  }

  /** Sends a control frame (ack, error) ahead of any queued events. */
  sendControl(text: string): void {
    if (this.isOpen) {
      this.socket.send(text, this.onFlushed);
    }
  }

  /** Counts an invalid frame; returns true when the session went over its limit and was closed. */
  countBadFrame(now: number): boolean {
    if (now - this.badFrameWindowStart > this.options.badFrameWindowMs) {
      this.badFrameWindowStart = now;
      this.badFrames = 0;
    }

    this.badFrames++;

    if (this.badFrames > this.options.badFrameLimit) {
      this.close(1008, 'too many invalid frames', 'bad-frames');
      return true;
    }

    return false;
  }

  /** Resolves once the queues are empty and the socket is under its high-water mark, or the session closed. */
  whenDrained(): Promise<void> {
    if (this.isDrained()) {
      return Promise.resolve();
    }

    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(code: number, reason: string, metricReason: string): void {
    if (!this.open) {
      return;
    }

    this.metrics.countDisconnect(metricReason);

    // Shutdown closes every session at once; one line per session would flood the log.
    const level = metricReason === 'shutdown' ? 'debug' : 'info';

    this.logger[level]({ session: this.id, code, reason }, 'closing WebSocket session');
    this.open = false;
    this.socket.close(code, reason);
    this.finish();
  }

  terminate(metricReason: string): void {
    if (this.open) {
      this.metrics.countDisconnect(metricReason);
    }

    this.open = false;
    this.socket.terminate();
    this.finish();
  }

  /**
   * Stops the session and hands its subscriptions back for release, once. Called as soon as the
   * server decides to close, without waiting for the closing handshake of a client that may
   * never read it, and again when the socket closes.
   */
  finish(): void {
    this.open = false;

    if (this.finished) {
      return;
    }

    this.finished = true;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    this.releaseQueues();

    const subscriptions = [...this.subscriptions.values()];

    this.subscriptions.clear();
    this.onFinished(this, subscriptions);
  }

  stats(): SessionStats {
    let maxQueueDepth = 0;

    for (const subscription of this.subscriptions.values()) {
      maxQueueDepth = Math.max(maxQueueDepth, subscription.queue.size);
    }

    return {
      id: this.id,
      subscriptions: this.subscriptions.size,
      queuedFrames: this.queued,
      maxQueueDepth,
      bufferedAmount: this.socket.bufferedAmount,
      dropped: this.droppedTotal,
    };
  }

  /** Removes a subscription's queued frames from the session's count. */
  forgetQueue(subscription: GatewaySubscription): void {
    this.queued -= subscription.queue.size;
    subscription.queue.clear();
  }

  private enqueue(subscription: GatewaySubscription, frame: Buffer, event: AnyEvent): void {
    const before = subscription.queue.size;
    const dropped = subscription.queue.push(frame, subscription.keyOf(event));

    this.queued += subscription.queue.size - before;

    if (dropped > 0) {
      subscription.recordDrops(dropped);
      this.droppedTotal += dropped;
      this.metrics.countDropped(subscription.onOverflow, dropped);
    }

    if (this.socket.bufferedAmount < this.options.highWaterBytes) {
      this.pump();
    }
  }

  /** Moves queued frames to the socket, one per subscription in turn, until the high-water mark. */
  private pump(): void {
    while (this.queued > 0 && this.isOpen && this.socket.bufferedAmount < this.options.highWaterBytes) {
      for (const subscription of this.subscriptions.values()) {
        const frame = subscription.queue.shift();

        if (frame !== undefined) {
          this.queued--;
          this.sendEvent(subscription, frame);
        }
      }
    }
  }

  private sendEvent(subscription: GatewaySubscription, frame: Buffer): void {
    if (subscription.unreported > 0) {
      this.socket.send(laggedFrame(subscription.id, subscription.unreported), this.onFlushed);
      subscription.unreported = 0;
    }

    this.socket.send(frame, TEXT_FRAME, this.onFlushed);
  }

  /** Called as each frame leaves the socket's buffer, so queued frames move on as the client reads. */
  private readonly onFlushed = (): void => {
    if (this.queued > 0) {
      this.pump();
    }

    if (this.drainWaiters.length > 0 && this.isDrained()) {
      this.resolveDrainWaiters();
    }
  };

  private isDrained(): boolean {
    return !this.isOpen || (this.queued === 0 && this.socket.bufferedAmount < this.options.highWaterBytes);
  }

  private releaseQueues(): void {
    for (const subscription of this.subscriptions.values()) {
      subscription.queue.clear();
    }

    this.queued = 0;
    this.resolveDrainWaiters();
  }

  private resolveDrainWaiters(): void {
    const waiters = this.drainWaiters;

    this.drainWaiters = [];

    for (const resolve of waiters) {
      resolve();
    }
  }
}
