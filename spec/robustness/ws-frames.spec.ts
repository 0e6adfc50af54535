import { expect } from 'chai';
import { makeBar } from '../server/support/fake-ports.js';
import { startServer, type Harness } from '../server/support/server-harness.js';
import { TestClient, type Frame } from '../server/support/ws-client.js';

const isError = (frame: Frame): boolean => frame.op === 'error';

describe('WebSocket gateway under bad frames', () => {
  let harness: Harness;
  let client: TestClient;

  beforeEach(async () => {
    harness = await startServer({ ws: { badFrameLimit: 20 } });
    client = await TestClient.open(harness.port);
  });

  afterEach(async () => {
    await client.close();
    await harness.close();
  });

  it('binary frame gets invalid-frame', async () => {
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });

    const reply = await client.next(isError);

    expect(reply.code).to.equal('invalid-frame');
  });

  it('unknown op gets unknown-op', async () => {
    client.send({ op: 'drop', id: 'x' });

    const reply = await client.next(isError);

    expect(reply.code).to.equal('unknown-op');
  });

  it('$where filter is not allowed', async () => {
    const reply = await client.subscribe({ id: 'a', types: ['bar'], filter: { $where: 'while (true) {}' } });

    expect(reply.code).to.equal('filter-operator-not-allowed');
  });

  it('$regex filter is not allowed', async () => {
    const reply = await client.subscribe({ id: 'a', types: ['bar'], filter: { instrument: { $regex: '(a+)+$' } } });

    expect(reply.code).to.equal('filter-operator-not-allowed');
  });

  it('__proto__ filter field is unknown', async () => {
    const reply = await client.subscribe({ id: 'a', types: ['bar'], filter: JSON.parse('{"__proto__": {"x": 1}}') as unknown });

    expect(reply.code).to.equal('unknown-filter-field');
  });

  it('filter deeper than the limit is invalid', async () => {
    let filter: Record<string, unknown> = { instrument: 'SPX' };

    for (let level = 0; level < 50; level++) {
      filter = { $and: [filter] };
    }

    const reply = await client.subscribe({ id: 'a', types: ['bar'], filter });

    expect(reply.code).to.equal('invalid-filter');
  });

  it('deeply nested filter JSON gets a clear message', async () => {
    client.send(`{"op":"subscribe","id":"a","types":["bar"],"filter":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);

    const reply = await client.next(isError);

    expect(reply.code).to.equal('invalid-filter');
    expect(reply.message).to.not.contain('call stack');
  });

  it('misspelt subscribe field is rejected', async () => {
    const reply = await client.subscribe({ id: 'a', types: ['bar'], fliter: { instrument: 'EUR' } });

    expect(reply.op).to.equal('error');
    expect(reply.message).to.contain('fliter');
  });

  it('flood of invalid frames closes with 1008', async () => {
    for (let i = 0; i < 500 && client.socket.readyState === client.socket.OPEN; i++) {
      client.send('{bad');
    }

    expect(await client.whenClosed()).to.equal(1008);
  });

  it('subscriptions past the limit get too-many-subscriptions', async () => {
    const replies: Frame[] = [];

    for (let i = 0; i < 33; i++) {
      replies.push(await client.subscribe({ id: `s${i}`, types: ['bar'] }));
    }

    expect(replies.filter((reply) => reply.op === 'ack')).to.have.length(32);
    expect(replies[32].code).to.equal('too-many-subscriptions');
  });

  it('subscribe and unsubscribe churn leaves nothing behind', async () => {
    for (let i = 0; i < 200; i++) {
      client.send({ op: 'subscribe', id: 'c', types: ['bar', 'fill'], filter: { instrument: 'SPX' } });
      client.send({ op: 'unsubscribe', id: 'c' });
    }

    await client.subscribe({ id: 'last', types: ['bar'] });
    harness.bus.publish('bar', makeBar('SPX', 1));
    await client.next((frame) => frame.op === 'event');

    expect(client.frames.filter(isError)).to.have.length(0);
    expect(harness.server.gateway.stats().subscriptions).to.equal(1);
  });
});

describe('WebSocket ops named after Object.prototype', () => {
  let harness: Harness;
  let client: TestClient;

  beforeEach(async () => {
    harness = await startServer();
    client = await TestClient.open(harness.port);
  });

  afterEach(async () => {
    await client.close();
    await harness.close();
  });

  for (const op of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`op ${op} gets unknown-op`, async () => {
      client.send({ op, id: 'x' });

      const reply = await client.next(isError, 1000);

      expect(reply.code).to.equal('unknown-op');
    });
  }
});

describe('WebSocket gateway under connection churn', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(() => harness.close());

  it('abrupt disconnects leak no sessions', async () => {
    for (let round = 0; round < 10; round++) {
      const clients = await Promise.all(Array.from({ length: 20 }, () => TestClient.open(harness.port)));

      for (const [index, each] of clients.entries()) {
        each.send({ op: 'subscribe', id: 'a', types: ['bar', 'forecast'], filter: { instrument: 'SPX' } });

        if (index % 2 === 0) {
          each.socket.terminate();
        } else {
          each.socket.close();
        }
      }

      harness.bus.publish('bar', makeBar('SPX', round));
      await Promise.all(clients.map((each) => each.whenClosed()));
    }

    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(harness.server.gateway.stats().sessions).to.equal(0);
    expect(harness.server.gateway.stats().subscriptions).to.equal(0);
  });
});
