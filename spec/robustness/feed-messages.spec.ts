import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { Subject } from 'rxjs';
import type { AnyEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { WebSocketTradeSource } from '../../lib/sources/index.js';
import { VirtualClock } from '../../lib/time/clock.js';

const BASE_TIME = 1_700_000_000_000;

function feedSource(url = 'ws://127.0.0.1:9/ws', handshakeTimeout?: number): WebSocketTradeSource {
  return new WebSocketTradeSource(
    { type: 'websocket', url, interval: 60_000, reconnect: { initialDelay: 10, maxDelay: 50, maxAttempts: 2 }, ...(handshakeTimeout === undefined ? {} : { handshakeTimeout }) },
    { instruments: [{ id: 'BTCUSDT', allowNegativePrices: false }], baseDir: '.', logger: silentLogger(), clock: new VirtualClock(BASE_TIME) },
  );
}

/** Builds a Binance `trade` message. */
function trade(id: number, price: string, time: number): string {
  return JSON.stringify({ e: 'trade', E: time, s: 'BTCUSDT', t: id, p: price, q: '1.5', T: time, m: false });
}

function feed(source: WebSocketTradeSource, messages: readonly string[]): AnyEvent[] {
  return messages.flatMap((message, index) => source.handleMessage(message, `message:${index + 1}`));
}

function deadLetterCodes(events: readonly AnyEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'deadletter' ? [String(event.data.code)] : []));
}

describe('trade feed under hostile messages', () => {
  it('dead-letters prices that are not plain decimals', () => {
    const source = feedSource();

    const events = feed(source, [trade(1, '1e5', BASE_TIME), trade(2, '-0', BASE_TIME), trade(3, '0.', BASE_TIME), trade(4, 'NaN', BASE_TIME), trade(5, ' 101', BASE_TIME)]);

    expect(deadLetterCodes(events)).to.deep.equal(['invalid-field', 'invalid-field', 'invalid-field', 'invalid-field', 'invalid-field']);
  });

  it('dead-letters a zero price', () => {
    const source = feedSource();

    const events = feed(source, [trade(1, '0.0', BASE_TIME)]);

    expect(deadLetterCodes(events)).to.deep.equal(['non-positive-price']);
  });

  it('dead-letters garbage and binary text', () => {
    const source = feedSource();

    const events = feed(source, ['garbage', Buffer.from([0xff, 0x00, 0x01]).toString(), '[1,2]', 'null']);

    expect(deadLetterCodes(events)).to.deep.equal(['invalid-json', 'invalid-json', 'invalid-message', 'invalid-message']);
  });

  it('dead-letters a price beyond a finite number', () => {
    const source = feedSource();

    const events = feed(source, [trade(1, '9'.repeat(400), BASE_TIME), trade(2, '100', BASE_TIME + 60_000)]);
    const bars = events.filter((event) => event.type === 'bar');

    expect(deadLetterCodes(events)).to.have.length(1);
    expect(bars.every((bar) => bar.type === 'bar' && Number.isFinite(bar.data.high))).to.equal(true);
  });

  it('dead-letters a trade time past the Date range', () => {
    const source = feedSource();

    const events = feed(source, [trade(1, '100', 9e15)]);

    expect(deadLetterCodes(events)).to.have.length(1);
    expect(events.filter((event) => event.type === 'trade')).to.have.length(0);
  });

  it('emits each bar id once when a trade goes back in time', () => {
    const source = feedSource();

    const events = feed(source, [trade(1, '100', BASE_TIME), trade(2, '101', BASE_TIME + 60_000), trade(3, '99', BASE_TIME + 1), trade(4, '102', BASE_TIME + 60_001), trade(5, '103', BASE_TIME + 120_000)]);
    const barIds = events.filter((event) => event.type === 'bar').map((event) => event.id);

    expect(barIds.length).to.equal(new Set(barIds).size);
  });

  it('bounds the raw text kept in a dead letter', () => {
    const source = feedSource();

    const events = feed(source, [`{"e":"trade","x":"${'a'.repeat(2_000_000)}"}`]);
    const letter = events.find((event) => event.type === 'deadletter');

    expect(letter).to.not.equal(undefined);
    expect(letter?.type === 'deadletter' ? letter.data.raw.length : 0).to.be.below(100_000);
  });
});

describe('trade feed against a server that never upgrades', () => {
  let server: Server;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a hung handshake and reconnects', async () => {
    const source = feedSource(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`, 50);
    const secondConnection = new Promise<void>((resolve) => server.on('connection', () => sockets.length > 1 && resolve()));
    const subscription = source.open(new Subject<void>()).subscribe({ error: () => undefined });

    await secondConnection;
    subscription.unsubscribe();

    expect(source.stats.reconnects).to.be.at.least(1);
  });
});
