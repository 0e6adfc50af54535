import Koa from 'koa';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { dashboardMiddleware } from '../../../lib/dashboard/index.js';
import type { AnyEvent } from '../../../lib/events/index.js';

/** A client frame as the page sent it. */
export type ClientFrame = Record<string, unknown> & { readonly op: string };

interface Subscription {
  readonly id: string;
  readonly types: readonly string[];
  readonly instrument: unknown;
}

interface Session {
  readonly socket: WebSocket;
  readonly subscriptions: Map<string, Subscription>;
  authenticated: boolean;
}

export interface ProtocolServerOptions {
  readonly instruments: readonly string[];
  /** When set, subscriptions get an `unauthorized` error until this key arrives in an auth frame. */
  readonly apiKey?: string;
}

/**
 * A Koa server with the dashboard and a small WebSocket endpoint at `/ws` that speaks the
 * documented protocol: it acks subscriptions, sends published events to the matching ones and
 * records every client frame, so a test can check what the page asked for.
 */
export class ProtocolServer {
  readonly frames: ClientFrame[] = [];
  private readonly sessions = new Set<Session>();
  private readonly http = createServer();
  private readonly wss = new WebSocketServer({ server: this.http, path: '/ws' });
  private waiters: (() => void)[] = [];

  constructor(private readonly options: ProtocolServerOptions) {
    const app = new Koa();
    app.use(dashboardMiddleware({ instruments: () => options.instruments }));
    this.http.on('request', app.callback());
    this.wss.on('connection', (socket) => this.connected(socket));
  }

  async listen(): Promise<string> {
    this.http.listen(0, '127.0.0.1');
    await once(this.http, 'listening');
    const { port } = this.http.address() as AddressInfo;

    return `http://127.0.0.1:${port}/`;
  }

  async close(): Promise<void> {
    for (const session of this.sessions) {
      session.socket.terminate();
    }

    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Sends an event to every subscription whose types and instrument filter match it. */
  publish(event: AnyEvent): void {
    for (const session of this.sessions) {
      for (const subscription of session.subscriptions.values()) {
        const matches = subscription.types.includes(event.type) && (subscription.instrument === undefined || subscription.instrument === event.instrument);

        if (matches) {
          session.socket.send(JSON.stringify({ op: 'event', id: subscription.id, event }));
        }
      }
    }
  }

  /** Tells every session that a subscription dropped events. */
  lagged(id: string, dropped: number): void {
    for (const session of this.sessions) {
      session.socket.send(JSON.stringify({ op: 'lagged', id, dropped }));
    }
  }

  /** Resolves with the first recorded frame that matches, waiting for it when needed. */
  async frame(predicate: (frame: ClientFrame) => boolean, timeoutMs = 10_000): Promise<ClientFrame> {
    const deadline = Date.now() + timeoutMs;

    for (;;) {
      const found = this.frames.find(predicate);

      if (found !== undefined) {
        return found;
      }

      if (Date.now() > deadline) {
        throw new Error(`no matching client frame within ${timeoutMs} ms; frames: ${JSON.stringify(this.frames)}`);
      }

      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  private connected(socket: WebSocket): void {
    const session: Session = { socket, subscriptions: new Map(), authenticated: this.options.apiKey === undefined };
    this.sessions.add(session);

    socket.on('message', (data) => this.received(session, JSON.parse(String(data)) as ClientFrame));
    socket.on('close', () => this.sessions.delete(session));
  }

  private received(session: Session, frame: ClientFrame): void {
    this.frames.push(frame);
    this.waiters.splice(0).forEach((wake) => wake());

    if (frame.op === 'auth') {
      session.authenticated = frame.key === this.options.apiKey;
      return;
    }

    const id = String(frame.id);

    if (!session.authenticated) {
      session.socket.send(JSON.stringify({ op: 'error', id, code: 'unauthorized', message: 'an API key is required' }));
      return;
    }

    if (frame.op === 'subscribe') {
      const filter = frame.filter as { instrument?: unknown } | undefined;
      session.subscriptions.set(id, { id, types: frame.types as string[], instrument: filter?.instrument });
      session.socket.send(JSON.stringify({ op: 'ack', id }));
    } else if (frame.op === 'unsubscribe') {
      session.subscriptions.delete(id);
      session.socket.send(JSON.stringify({ op: 'ack', id }));
    }
  }
}
