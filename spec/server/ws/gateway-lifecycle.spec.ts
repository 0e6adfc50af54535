import { expect } from 'chai';
import sinon from 'sinon';
import { makeBar } from '../support/fake-ports.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { TestClient } from '../support/ws-client.js';

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('WebSocket session lifecycle', () => {
  describe('heartbeat', () => {
    let clock: sinon.SinonFakeTimers;
    let harness: Harness;

    beforeEach(async () => {
      clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      harness = await startServer({ ws: { heartbeatMs: 1000 } });
    });

    afterEach(async () => {
      await harness.close();
      clock.restore();
    });

    it('terminates a session that misses two pongs', async () => {
      const silent = await TestClient.open(harness.port, { autoPong: false });

      await silent.subscribe({ id: 's1', types: ['bar'] });
      clock.tick(1000);
      clock.tick(1000);

      expect(harness.server.gateway.stats().sessions).to.equal(1);

      clock.tick(1000);

      expect(await silent.whenClosed()).to.equal(1006);
      expect(harness.server.gateway.stats().sessions).to.equal(0);
      expect(harness.bus.liveSubscriptions()).to.equal(0);
    });

    it('keeps a session that answers pings', async () => {
      const client = await TestClient.open(harness.port);

      for (let round = 0; round < 4; round++) {
        const pinged = new Promise((resolve) => client.socket.once('ping', resolve));

        clock.tick(1000);
        await pinged;
        // The ack comes back after the server has read the pong sent before the subscribe.
        await client.subscribe({ id: `s${round}`, types: ['bar'] });
      }

      expect(client.socket.readyState).to.equal(client.socket.OPEN);
      await client.close();
    });
  });

  it('leaves nothing behind after a thousand sessions', async () => {
    const harness = await startServer({ apiKeys: ['k'] });
    const baseline = { subscriptions: harness.bus.liveSubscriptions(), timers: activeTimers(), upgradeListeners: harness.server.gateway['server'].listenerCount('connection') };

    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const client = await TestClient.open(harness.port);

          client.send({ op: 'auth', key: 'k' });
          await client.subscribe({ id: 's1', types: ['bar', 'signal'], filter: { instrument: 'SPX' }, since: i % 2 === 0 ? 0 : undefined });
          await client.close();
        }),
      );
    }

    harness.bus.publish('bar', makeBar('SPX', 1));

    expect(harness.server.gateway.stats().sessions).to.equal(0);
    expect(harness.bus.liveSubscriptions()).to.equal(baseline.subscriptions);
    expect(activeTimers()).to.equal(baseline.timers);
    expect(harness.server.gateway['server'].listenerCount('connection')).to.equal(baseline.upgradeListeners);
    await harness.close();
  });

  it('closes sessions with 1001 on shutdown', async () => {
    const harness = await startServer();
    const client = await TestClient.open(harness.port);

    await client.subscribe({ id: 's1', types: ['bar'] });
    await harness.close();

    expect(await client.whenClosed()).to.equal(1001);
    expect(harness.bus.liveSubscriptions()).to.equal(0);
  });

  it('terminates a session that ignores the close on shutdown', async () => {
    const harness = await startServer({ ws: { closeGraceMs: 100 } });
    const client = await TestClient.open(harness.port);

    await client.subscribe({ id: 's1', types: ['bar'] });
    (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    await harness.close();

    expect(harness.server.gateway.stats().sessions).to.equal(0);
    client.socket.terminate();
  });
});
