import WebSocket from 'ws';

export type Frame = Record<string, unknown> & { op: string };

/** A WebSocket test client that records every frame and can wait for one. */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly socket: WebSocket;
  closeCode: number | undefined;
  private waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private readonly closed: Promise<number>;

  constructor(port: number, options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, options);
    this.socket.on('message', (data) => this.receive(JSON.parse(String(data)) as Frame));
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
      }),
    );
    this.socket.on('error', () => undefined);
  }

  static async open(port: number, options: WebSocket.ClientOptions = {}): Promise<TestClient> {
    const client = new TestClient(port, options);

    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('error', reject);
    });

    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits for the first frame, already received or still to come, that matches. */
  next(predicate: (frame: Frame) => boolean, timeoutMs = 5000, fromIndex = 0): Promise<Frame> {
    const found = this.frames.slice(fromIndex).find(predicate);

    if (found !== undefined) {
      return Promise.resolve(found);
    }

    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; received ${JSON.stringify(this.frames.slice(-3))}`)), timeoutMs);

      this.waiters.push({
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  /** Subscribes and waits for the ack (or error) of that id. */
  async subscribe(frame: Record<string, unknown>): Promise<Frame> {
    const from = this.frames.length;

    this.send({ op: 'subscribe', ...frame });
    return this.next((reply) => reply.id === frame.id && (reply.op === 'ack' || reply.op === 'error'), 5000, from);
  }

  events(id?: string): Record<string, unknown>[] {
    return this.frames.filter((frame) => frame.op === 'event' && (id === undefined || frame.id === id)).map((frame) => frame.event as Record<string, unknown>);
  }

  whenClosed(): Promise<number> {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) {
      this.socket.close();
      await this.closed;
    }
  }

  private receive(frame: Frame): void {
    this.frames.push(frame);

    const matched = this.waiters.filter((waiter) => waiter.predicate(frame));

    this.waiters = this.waiters.filter((waiter) => !matched.includes(waiter));
    matched.forEach((waiter) => waiter.resolve(frame));
  }
}
