import { expect } from 'chai';
import sinon from 'sinon';
import type { AnyEvent } from '../../../lib/events/index.js';
import { createJsonSerializer } from '../../../lib/server/index.js';
import { makeBar } from '../support/fake-ports.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { TestClient } from '../support/ws-client.js';

describe('WebSocket gateway protocol', () => {
  let harness: Harness;
  let client: TestClient;

  beforeEach(async () => {
    harness = await startServer({ ws: { badFrameLimit: 5 } });
    client = await TestClient.open(harness.port);
  });

  afterEach(async () => {
    await client.close();
    await harness.close();
  });

  it('acks a subscription and sends matching events', async () => {
    const ack = await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX', 'data.close': { $gte: 102 } } });

    harness.bus.publish('bar', makeBar('SPX', 1));
    harness.bus.publish('bar', makeBar('EUR', 5));
    harness.bus.publish('bar', makeBar('SPX', 2));
    harness.bus.publish('bar', makeBar('SPX', 3));
    await client.next((frame) => frame.op === 'event' && (frame.event as AnyEvent).id === makeBar('SPX', 3).id);

    expect(ack).to.deep.equal({ op: 'ack', id: 's1' });
    expect(client.events('s1').map((event) => event.id)).to.deep.equal([makeBar('SPX', 2).id, makeBar('SPX', 3).id]);
  });

  it('keeps several subscriptions apart', async () => {
    await client.subscribe({ id: 'spx', types: ['bar'], filter: { instrument: 'SPX' } });
    await client.subscribe({ id: 'all', types: ['bar', 'signal'] });

    harness.bus.publish('bar', makeBar('SPX', 1));
    harness.bus.publish('bar', makeBar('EUR', 1));
    await client.next((frame) => frame.op === 'event' && frame.id === 'all' && (frame.event as AnyEvent).instrument === 'EUR');

    expect(client.events('spx')).to.have.length(1);
    expect(client.events('all')).to.have.length(2);
  });

  it('stops sending after unsubscribe', async () => {
    await client.subscribe({ id: 's1', types: ['bar'] });
    client.send({ op: 'unsubscribe', id: 's1' });
    await client.next((frame) => frame.op === 'ack' && client.frames.filter((f) => f.op === 'ack').length === 2);

    harness.bus.publish('bar', makeBar('SPX', 1));
    await client.subscribe({ id: 'probe', types: ['signal'] });

    expect(client.events('s1')).to.have.length(0);
    expect(harness.bus.liveSubscriptions()).to.equal(1);
  });

  const bad: [string, unknown, string][] = [
    ['malformed JSON', '{"op": "subscribe",', 'invalid-json'],
    ['a JSON string', '"subscribe"', 'invalid-frame'],
    ['an unknown op', { op: 'publish', id: 'x' }, 'unknown-op'],
    ['a subscribe without types', { op: 'subscribe', id: 's1' }, 'invalid-frame'],
    ['an unknown event type', { op: 'subscribe', id: 's1', types: ['quote'] }, 'invalid-frame'],
    ['empty types', { op: 'subscribe', id: 's1', types: [] }, 'invalid-frame'],
    ['$where', { op: 'subscribe', id: 's1', types: ['bar'], filter: { $where: 'true' } }, 'filter-operator-not-allowed'],
    ['$regex', { op: 'subscribe', id: 's1', types: ['bar'], filter: { instrument: { $regex: 'S.*' } } }, 'filter-operator-not-allowed'],
    ['an unknown field', { op: 'subscribe', id: 's1', types: ['bar'], filter: { 'data.last': 1 } }, 'unknown-filter-field'],
    ['an unknown policy key', { op: 'subscribe', id: 's1', types: ['bar'], policy: { onOverflow: 'keep-latest', key: 'symbol' } }, 'unknown-filter-field'],
    ['a bad policy', { op: 'subscribe', id: 's1', types: ['bar'], policy: { onOverflow: 'block' } }, 'invalid-frame'],
    ['a queue over the limit', { op: 'subscribe', id: 's1', types: ['bar'], policy: { maxQueue: 10_000_000 } }, 'invalid-frame'],
    ['an unknown unsubscribe', { op: 'unsubscribe', id: 'nope' }, 'unknown-subscription'],
  ];

  for (const [name, frame, code] of bad) {
    it(`answers ${name} with an error frame`, async () => {
      client.send(frame);

      const error = await client.next((reply) => reply.op === 'error');

      expect(error.code).to.equal(code);
      expect(error.message).to.be.a('string').and.not.match(/\n\s+at /);
    });
  }

  it('names the rejected operator and field', async () => {
    const where = await client.subscribe({ id: 'a', types: ['bar'], filter: { $where: 'true' } });
    const field = await client.subscribe({ id: 'b', types: ['bar'], filter: { 'data.last': 1 } });

    expect(where.message).to.include('$where');
    expect(field.message).to.include('data.last');
  });

  it('omits the id of an error only when the frame had none', async () => {
    client.send('not json');
    const withoutId = await client.next((reply) => reply.op === 'error');
    const withId = await client.subscribe({ id: 'z', types: ['nope'] });

    expect(withoutId).not.to.have.property('id');
    expect(withId.id).to.equal('z');
  });

  it('rejects a duplicate subscription id', async () => {
    await client.subscribe({ id: 's1', types: ['bar'] });
    const duplicate = await client.subscribe({ id: 's1', types: ['signal'] });

    expect(duplicate.code).to.equal('duplicate-subscription');
  });

  it('rejects binary frames', async () => {
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });

    const error = await client.next((reply) => reply.op === 'error');

    expect(error.code).to.equal('invalid-frame');
  });

  it('closes a client flooding bad frames with 1008', async () => {
    for (let i = 0; i < 10; i++) {
      client.send('garbage');
    }

    expect(await client.whenClosed()).to.equal(1008);
  });
});

describe('WebSocket serialization', () => {
  it('serializes each event once for several sessions', async () => {
    const serializer = createJsonSerializer();
    const serialize = sinon.spy(serializer, 'serialize');
    const harness = await startServer({}, {}, serializer);
    const clients = await Promise.all([1, 2, 3].map(() => TestClient.open(harness.port)));

    await Promise.all(clients.map((client) => client.subscribe({ id: 's1', types: ['bar'] })));
    await clients[2].subscribe({ id: 's2', types: ['bar'], filter: { instrument: 'SPX' } });

    for (let day = 0; day < 5; day++) {
      harness.bus.publish('bar', makeBar('SPX', day));
    }

    await Promise.all(clients.map((client) => client.next(() => client.events('s1').length === 5)));
    await clients[2].next(() => clients[2].events('s2').length === 5);

    expect(serialize.callCount).to.equal(5);
    expect(clients[0].frames.at(-1)).to.deep.equal({ op: 'event', id: 's1', event: makeBar('SPX', 4) });

    await Promise.all(clients.map((client) => client.close()));
    await harness.close();
  });

  it('survives a socket closed in the middle of a broadcast', async () => {
    const serializer = createJsonSerializer();
    const harness = await startServer({}, {}, serializer);
    const [first, second] = await Promise.all([TestClient.open(harness.port), TestClient.open(harness.port)]);

    await first.subscribe({ id: 's1', types: ['bar'] });
    await second.subscribe({ id: 's1', types: ['bar'] });

    const serialize = serializer.serialize;
    sinon.stub(serializer, 'serialize').callsFake((event) => {
      for (const socket of [...harness.server.gateway['sessions']].map((session) => session.socket)) {
        socket.terminate();
        break;
      }

      return serialize(event);
    });

    expect(() => harness.bus.publish('bar', makeBar('SPX', 1))).not.to.throw();
    harness.bus.publish('bar', makeBar('SPX', 2));
    await second.next(() => second.events('s1').length === 2);

    expect(harness.bus.counters().bar.subscriberErrors).to.equal(0);
    await second.close();
    await harness.close();
  });
});
