import { expect } from 'chai';
import type { DeadLetterEvent } from '../../../lib/events/index.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { readUsdChfBars } from '../support/usdchf-bars.js';
import { TestClient } from '../support/ws-client.js';

const HIGH_WATER = 64 * 1024;
const CHUNK = 500;

function pause(client: TestClient): void {
  (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
}

function resume(client: TestClient): void {
  (client.socket as unknown as { _socket: { resume(): void } })._socket.resume();
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Builds a dead letter with a large payload, so a few hundred fill the socket buffers. */
function bigEvent(instrument: string, sequence: number): DeadLetterEvent {
  const id = `test:${instrument}:${sequence}`;

  return { id, type: 'deadletter', time: sequence, ingestTime: sequence, source: 'test', correlationId: id, instrument, data: { raw: 'x'.repeat(16_384), reason: `sequence ${sequence}` } };
}

function laggedTotal(client: TestClient, id: string): number {
  return client.frames.filter((frame) => frame.op === 'lagged' && frame.id === id).reduce((sum, frame) => sum + (frame.dropped as number), 0);
}

describe('WebSocket backpressure', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer({ ws: { highWaterBytes: HIGH_WATER } });
  });

  afterEach(() => harness.close());

  it('bounds a paused client while another gets every bar', async function () {
    this.timeout(60_000);

    const bars = readUsdChfBars();
    const [fast, slow] = await Promise.all([TestClient.open(harness.port), TestClient.open(harness.port)]);

    await fast.subscribe({ id: 'fast', types: ['bar'], policy: { maxQueue: 100_000 } });
    await slow.subscribe({ id: 'slow', types: ['bar'], filter: { instrument: 'USDCHF' }, policy: { onOverflow: 'drop-oldest', maxQueue: 100 } });
    pause(slow);

    let maxQueued = 0;
    let maxBuffered = 0;

    for (let start = 0; start < bars.length; start += CHUNK) {
      for (const bar of bars.slice(start, start + CHUNK)) {
        harness.bus.publish('bar', bar);
      }

      const slowStats = harness.server.gateway.sessionStats().find((stats) => stats.subscriptions === 1 && stats.dropped > 0);

      maxQueued = Math.max(maxQueued, slowStats?.queuedFrames ?? 0);
      maxBuffered = Math.max(maxBuffered, slowStats?.bufferedAmount ?? 0);
      await yieldToIo();
    }

    await fast.next(() => fast.events('fast').length === bars.length, 30_000);

    const [fastStats, slowStats] = harness.server.gateway.sessionStats();

    expect(bars).to.have.length(62_496);
    expect(fastStats.dropped).to.equal(0);
    expect(fast.events('fast').at(-1)?.id).to.equal(bars.at(-1)?.id);
    expect(slowStats.dropped).to.be.greaterThan(0);
    expect(maxQueued).to.be.at.most(100);
    expect(maxBuffered).to.be.below(HIGH_WATER + 1024);

    resume(slow);
    await slow.next(() => slow.events('slow').at(-1)?.id === bars.at(-1)?.id, 30_000);

    expect(slow.events('slow').length + laggedTotal(slow, 'slow')).to.equal(bars.length);
    expect(laggedTotal(slow, 'slow')).to.equal(slowStats.dropped);

    const metrics = await (await fetch(`${harness.base}/metrics`)).text();

    expect(metrics).to.include(`tickflow_ws_dropped_frames_total{policy="drop-oldest"} ${slowStats.dropped}`);
    await Promise.all([fast.close(), slow.close()]);
  });

  it('keeps the latest event per key', async () => {
    const client = await TestClient.open(harness.port);

    await client.subscribe({ id: 'k', types: ['deadletter'], policy: { onOverflow: 'keep-latest', key: 'instrument', maxQueue: 10 } });
    pause(client);

    for (let sequence = 0; sequence < 900; sequence++) {
      harness.bus.publish('deadletter', bigEvent(['A', 'B', 'C'][sequence % 3], sequence));
    }

    const stats = harness.server.gateway.sessionStats()[0];

    expect(stats.queuedFrames).to.equal(3);
    resume(client);
    await client.next(() => client.events('k').some((event) => event.id === 'test:C:899'), 20_000);

    const lastThree = client.events('k').slice(-3).map((event) => event.id);

    expect(lastThree).to.deep.equal(['test:A:897', 'test:B:898', 'test:C:899']);
    expect(client.events('k').length + laggedTotal(client, 'k')).to.equal(900);
    await client.close();
  });

  it('disconnects with 1013 when asked to', async () => {
    const client = await TestClient.open(harness.port);

    await client.subscribe({ id: 'd', types: ['deadletter'], policy: { onOverflow: 'disconnect', maxQueue: 5 } });
    pause(client);

    for (let sequence = 0; sequence < 900; sequence++) {
      harness.bus.publish('deadletter', bigEvent('A', sequence));
    }

    expect(harness.bus.liveSubscriptions()).to.equal(0);
    resume(client);

    expect(await client.whenClosed()).to.equal(1013);
  });
});
