/* global WebSocket, setTimeout, clearTimeout */

/** Close codes that mean the server requires an API key: 4401 (unauthorized) and 1008 (policy violation). */
const AUTH_CLOSE_CODES = new Set([4401, 1008]);

const MAX_RETRY_MS = 10000;

/**
 * A client of the tickflow WebSocket protocol. It keeps the subscriptions the page wants and
 * sends them again after a reconnect, each resuming from the time of the last event it got.
 * When the server requires a key it calls `onAuthRequired` and waits for `authenticate`.
 */
export class TickflowSocket {
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.subscriptions = new Map();
    this.key = undefined;
    this.socket = undefined;
    this.retryMs = 1000;
    this.retryTimer = undefined;
    this.waitingForKey = false;
  }

  connect() {
    clearTimeout(this.retryTimer);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.handlers.onStatus('connecting');

    socket.addEventListener('open', () => this.opened(socket));
    socket.addEventListener('message', (message) => {
      if (socket === this.socket) {
        this.received(message.data);
      }
    });
    socket.addEventListener('close', (close) => this.closed(socket, close.code));
  }

  /** Adds or replaces a subscription; `frame` is the subscribe frame without `op`. */
  subscribe(frame) {
    this.subscriptions.set(frame.id, { frame, lastTime: undefined });
    this.send({ op: 'subscribe', ...frame });
  }

  unsubscribe(id) {
    if (this.subscriptions.delete(id)) {
      this.send({ op: 'unsubscribe', id });
    }
  }

  /** Stores the key and reconnects, so the key is the first frame of a fresh session. */
  authenticate(key) {
    const previous = this.socket;
    this.key = key;
    this.waitingForKey = false;
    this.socket = undefined;

    if (previous !== undefined && previous.readyState === WebSocket.OPEN) {
      previous.close(1000, 'reconnecting with an API key');
    }

    this.connect();
  }

  send(frame) {
    if (this.socket !== undefined && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      this.handlers.onSent(frame);
    }
  }

  opened(socket) {
    if (socket !== this.socket) {
      return;
    }

    this.retryMs = 1000;
    this.handlers.onStatus('connected');

    if (this.key !== undefined) {
      this.send({ op: 'auth', key: this.key });
    }

    for (const subscription of this.subscriptions.values()) {
      const since = subscription.lastTime ?? subscription.frame.since;
      this.send({ op: 'subscribe', ...subscription.frame, ...(since === undefined ? {} : { since }) });
    }
  }

  received(text) {
    let frame;

    try {
      frame = JSON.parse(text);
    } catch {
      this.handlers.onError({ code: 'bad-frame', message: 'the server sent a frame that is not JSON' });
      return;
    }

    if (frame.op === 'event') {
      this.eventReceived(frame);
    } else if (frame.op === 'lagged') {
      this.handlers.onLagged(frame.id, frame.dropped);
    } else if (frame.op === 'error') {
      this.errorReceived(frame);
    } else if (frame.op === 'ack') {
      this.handlers.onAck(frame.id);
    }
  }

  eventReceived(frame) {
    const subscription = this.subscriptions.get(frame.id);

    // Events of a subscription the page has just dropped may still be in flight.
    if (subscription === undefined) {
      return;
    }

    subscription.lastTime = frame.event.time;
    this.handlers.onEvent(frame.id, frame.event);
  }

  errorReceived(frame) {
    if (frame.code === 'unauthorized') {
      this.requireKey();
      return;
    }

    this.handlers.onError(frame);
  }

  requireKey() {
    // Every pending subscription gets its own `unauthorized` error; the first one decides.
    if (this.waitingForKey) {
      return;
    }

    const rejected = this.key !== undefined;
    this.key = undefined;
    this.waitingForKey = true;
    this.handlers.onStatus('waiting for an API key');
    this.handlers.onAuthRequired(rejected);
  }

  closed(socket, code) {
    if (socket !== this.socket) {
      return;
    }

    if (AUTH_CLOSE_CODES.has(code)) {
      this.requireKey();
    }

    if (this.waitingForKey) {
      return;
    }

    this.handlers.onStatus(`disconnected (${code}), retrying`);
    this.retryTimer = setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }
}
