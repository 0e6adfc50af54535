import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { Subject, type Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AnyEvent, TradeEvent } from '../../../lib/events/index.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { packageRoot } from '../../../lib/paths.js';
import { formatScaledDecimal, parseScaledDecimal, WebSocketTradeSource, type WebSocketSourceSettings } from '../../../lib/sources/index.js';
import { VirtualClock } from '../../../lib/time/clock.js';

const FEED = join(packageRoot(), '..', 'shared', 'data', 'ticks', 'binance_XRPETH_aggTrade_ws_messages.ndjson');
const LINES = readFileSync(FEED, 'utf8').split('\n').filter((line) => line.trim() !== '');
const OVERLAP = 40;

/**
 * A fake exchange on 127.0.0.1 that replays the recorded messages. It drops the first
 * connection half way through, and on a reconnect it resumes from the `fromId` query, starting
 * a few trades early so the client sees repeats.
 */
function startReplayServer(): Promise<{ server: WebSocketServer; url: string; connections: string[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const connections: string[] = [];

  server.on('connection', (socket: WebSocket, request) => {
    connections.push(request.url ?? '');
    const fromId = Number(new URL(request.url ?? '/', 'ws://localhost').searchParams.get('fromId') ?? NaN);
    const start = Number.isNaN(fromId) ? 0 : Math.max(0, LINES.findIndex((line) => (JSON.parse(line) as { a: number }).a === fromId) - OVERLAP);
    const stopAt = connections.length === 1 ? Math.floor(LINES.length / 2) : LINES.length;

    for (let index = start; index < stopAt; index++) {
      socket.send(LINES[index]);
    }

    if (connections.length === 1) {
      socket.terminate();
    }
  });

  return new Promise((resolve) => server.on('listening', () => resolve({ server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/xrpeth@aggTrade`, connections })));
}

function sourceFor(settings: Partial<WebSocketSourceSettings> & { url: string }, logLines?: string[]): WebSocketTradeSource {
  const logger = logLines === undefined ? silentLogger() : pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });

  return new WebSocketTradeSource(
    { type: 'websocket', interval: 60_000, resumeParam: 'fromId', reconnect: { initialDelay: 10, maxDelay: 50, maxAttempts: 3 }, ...settings },
    { instruments: [{ id: 'XRPETH', allowNegativePrices: false }], baseDir: '.', logger, clock: new VirtualClock(0) },
  );
}

/** Starts a WebSocket server on 127.0.0.1 that hands each new connection to `onConnection`. */
async function startServer(onConnection: (socket: WebSocket, index: number) => void, options: { autoPong?: boolean } = {}): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  let connections = 0;

  server.on('connection', (socket: WebSocket) => onConnection(socket, connections++));
  await new Promise((resolve) => server.on('listening', resolve));

  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

const SAMPLE = { e: 'trade', E: 1, s: 'XRPETH', t: 5, p: '0.5', q: '1', T: 1000, m: false };

describe('WebSocketTradeSource', () => {
  let server: WebSocketServer | undefined;
  let subscription: Subscription | undefined;

  afterEach(async () => {
    subscription?.unsubscribe();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    server = undefined;
  });

  it('counts every trade once across a forced disconnect', async () => {
    const replay = await startReplayServer();
    server = replay.server;
    const source = sourceFor({ url: replay.url });
    const stop = new Subject<void>();
    const events: AnyEvent[] = [];
    const fileTotal = LINES.reduce((sum, line) => sum + (parseScaledDecimal((JSON.parse(line) as { q: string }).q, 8) as bigint), 0n);

    const completed = new Promise<void>((resolve, reject) => {
      subscription = source.open(stop).subscribe({
        next: (event) => {
          events.push(event);

          if (source.stats.trades === LINES.length) {
            stop.next();
          }
        },
        error: reject,
        complete: resolve,
      });
    });
    await completed;

    const trades = events.filter((event): event is TradeEvent => event.type === 'trade');
    const bars = events.filter((event) => event.type === 'bar');

    expect(replay.connections).to.have.length(2);
    expect(replay.connections[1]).to.match(/fromId=\d+/);
    expect(source.stats.reconnects).to.equal(1);
    expect(trades).to.have.length(LINES.length);
    expect(new Set(trades.map((trade) => trade.data.tradeId)).size).to.equal(LINES.length);
    expect(source.stats.resumeDuplicates).to.equal(OVERLAP);
    expect(events.filter((event) => event.type === 'deadletter')).to.have.length(0);
    expect(source.stats.gaps).to.equal(0);
    expect(formatScaledDecimal(source.stats.volumeScaled, 8)).to.equal(formatScaledDecimal(fileTotal, 8));
    expect(source.stats.barVolumeScaled).to.equal(fileTotal);
    expect(bars.length).to.be.greaterThan(100);
    expect(trades[0].data).to.deep.equal({ price: '0.00141342', quantity: '23.00000000', tradeId: '13519807', side: 'sell' });
  });

  it('dead-letters repeats and bad messages', async () => {
    const server_ = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server = server_;
    await new Promise((resolve) => server_.on('listening', resolve));
    const sample = { e: 'trade', E: 1, s: 'XRPETH', t: 5, p: '0.5', q: '1', T: 1000, m: false };
    const messages = [
      JSON.stringify(sample),
      JSON.stringify(sample),
      JSON.stringify({ ...sample, t: 9, p: '0' }),
      JSON.stringify({ ...sample, t: 9, q: '0.123456789' }),
      JSON.stringify({ ...sample, t: 9, p: 1.5 }),
      'not json',
      JSON.stringify({ stream: 'xrpeth@trade', data: { ...sample, t: 12 } }),
      JSON.stringify({ type: 'heartbeat', sequence: 90 }),
    ];
    server_.on('connection', (socket: WebSocket) => messages.forEach((message) => socket.send(message)));
    const source = sourceFor({ url: `ws://127.0.0.1:${(server_.address() as AddressInfo).port}/`, quantityDecimals: 8 });
    const events: AnyEvent[] = [];

    await new Promise<void>((resolve) => {
      subscription = source.open(new Subject()).subscribe((event) => {
        events.push(event);

        if (event.id === 'ws:XRPETH:12') {
          resolve();
        }
      });
    });
    const codes = events.flatMap((event) => (event.type === 'deadletter' ? [event.data.code] : []));

    expect(codes).to.deep.equal(['duplicate-trade-id', 'non-positive-price', 'too-many-decimals', 'invalid-field', 'invalid-json']);
    expect(events.filter((event) => event.type === 'trade').map((event) => event.id)).to.deep.equal(['ws:XRPETH:5', 'ws:XRPETH:12']);
    expect(source.stats).to.include({ gaps: 1, missingTrades: 6, duplicates: 1 });
  });

  it('fails after the last reconnect attempt', async () => {
    const source = sourceFor({ url: 'ws://127.0.0.1:1/', reconnect: { initialDelay: 1, maxDelay: 2, maxAttempts: 2 } });
    const error = await new Promise<Error>((resolve) => {
      subscription = source.open(new Subject()).subscribe({ error: resolve });
    });

    expect(error.message).to.contain('failed 2 connection attempts');
  });

  it('reconnects when pings go unanswered', async () => {
    const lines: string[] = [];
    let reconnected!: () => void;
    const second = new Promise<void>((resolve) => (reconnected = resolve));
    const started = await startServer((_socket, index) => index === 1 && reconnected(), { autoPong: false });
    server = started.server;
    const source = sourceFor({ url: started.url, pingInterval: 10, idleTimeout: 30 }, lines);

    subscription = source.open(new Subject()).subscribe({ error: () => undefined });
    await second;

    expect(source.stats.reconnects).to.equal(1);
    expect(lines.join('')).to.contain('trade feed went silent');
  });

  it('keeps a quiet connection that answers pings', async () => {
    let connections = 0;
    const started = await startServer(() => connections++);
    server = started.server;
    const source = sourceFor({ url: started.url, pingInterval: 5, idleTimeout: 30 });
    let pongs = 0;

    subscription = source.open(new Subject()).subscribe({ error: () => undefined });
    await new Promise<void>((resolve) =>
      server?.on('connection', (socket: WebSocket) => socket.on('ping', () => ++pongs === 15 && resolve())),
    );

    expect(connections).to.equal(1);
    expect(source.stats.reconnects).to.equal(0);
  });

  it('drops a frame over maxPayload with a log line', async () => {
    const lines: string[] = [];
    let reconnected!: () => void;
    const second = new Promise<void>((resolve) => (reconnected = resolve));
    const started = await startServer((socket, index) => (index === 0 ? socket.send(JSON.stringify({ ...SAMPLE, padding: 'x'.repeat(2_000) })) : reconnected()));
    server = started.server;
    const source = sourceFor({ url: started.url, maxPayload: 1_024 }, lines);
    const events: AnyEvent[] = [];

    subscription = source.open(new Subject()).subscribe({ next: (event) => events.push(event), error: () => undefined });
    await second;

    expect(events).to.have.length(0);
    expect(lines.join('')).to.contain('over maxPayload bytes');
  });

  it('keeps backing off after brief connections', async () => {
    let connections = 0;
    const started = await startServer((socket) => {
      socket.send(JSON.stringify({ ...SAMPLE, t: ++connections }));
      socket.terminate();
    });
    server = started.server;
    const source = sourceFor({ url: started.url, reconnect: { initialDelay: 1, maxDelay: 4, maxAttempts: 3 } });

    const error = await new Promise<Error>((resolve) => {
      subscription = source.open(new Subject()).subscribe({ error: resolve });
    });

    expect(error.message).to.contain('failed 3 connection attempts');
    expect(connections).to.equal(4);
  });

  it('dead-letters a symbol that is not the pipeline instrument', () => {
    const source = sourceFor({ url: 'ws://127.0.0.1:9/' });

    const events = [...source.handleMessage(JSON.stringify({ ...SAMPLE, s: 'BTCUSDT' }), 'message:1'), ...source.handleMessage(JSON.stringify({ ...SAMPLE, t: 6, s: 'xrpeth' }), 'message:2')];

    expect(events.flatMap((event) => (event.type === 'deadletter' ? [event.data.code] : []))).to.deep.equal(['unknown-symbol']);
    expect(events.filter((event) => event.type === 'trade').map((event) => event.instrument)).to.deep.equal(['XRPETH']);
  });

  it('dead-letters a trade before the open bar', () => {
    const source = sourceFor({ url: 'ws://127.0.0.1:9/' });
    const at = (t: number, T: number) => source.handleMessage(JSON.stringify({ ...SAMPLE, t, T }), `message:${t}`);

    const events = [...at(1, 60_000), ...at(2, 60_000), ...at(3, 59_999), ...at(4, 60_500)];

    expect(events.flatMap((event) => (event.type === 'deadletter' ? [event.data.code] : []))).to.deep.equal(['time-went-backwards']);
    expect(events.filter((event) => event.type === 'trade')).to.have.length(3);
    expect(source.stats.gaps).to.equal(0);
  });
});
