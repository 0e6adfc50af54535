import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
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

function sourceFor(settings: Partial<WebSocketSourceSettings> & { url: string }): WebSocketTradeSource {
  return new WebSocketTradeSource(
    { type: 'websocket', interval: 60_000, resumeParam: 'fromId', reconnect: { initialDelay: 10, maxDelay: 50, maxAttempts: 3 }, ...settings },
    { instruments: [{ id: 'XRPETH', allowNegativePrices: false }], baseDir: '.', logger: silentLogger(), clock: new VirtualClock(0) },
  );
}

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
});
