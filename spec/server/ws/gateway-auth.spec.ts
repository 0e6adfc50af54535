import { expect } from 'chai';
import WebSocket from 'ws';
import { makeBar } from '../support/fake-ports.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { TestClient } from '../support/ws-client.js';

describe('WebSocket authentication', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer({ apiKeys: ['s3cret'], ws: { authTimeoutMs: 300 } });
  });

  afterEach(() => harness.close());

  it('accepts a key in the first frame', async () => {
    const client = await TestClient.open(harness.port);

    client.send({ op: 'auth', key: 's3cret' });
    const auth = await client.next((frame) => frame.op === 'ack');
    await client.subscribe({ id: 's1', types: ['bar'] });
    harness.bus.publish('bar', makeBar('SPX', 1));
    await client.next((frame) => frame.op === 'event');

    expect(auth).to.deep.equal({ op: 'ack', auth: true });
    await client.close();
  });

  it('accepts the header on upgrade', async () => {
    const client = await TestClient.open(harness.port, { headers: { Authorization: 'Bearer s3cret' } });
    const ack = await client.subscribe({ id: 's1', types: ['bar'] });

    expect(ack.op).to.equal('ack');
    await client.close();
  });

  it('rejects a wrong header with 401', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${harness.port}/ws`, { headers: { Authorization: 'Bearer nope' } });
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));

    socket.on('error', () => undefined);
    expect(status).to.equal(401);
  });

  it('closes with 1008 on a wrong key', async () => {
    const client = await TestClient.open(harness.port);

    client.send({ op: 'auth', key: 'guess' });

    const error = await client.next((frame) => frame.op === 'error');

    expect(error.code).to.equal('unauthorized');
    expect(await client.whenClosed()).to.equal(1008);
  });

  it('closes with 1008 on a subscribe before auth', async () => {
    const client = await TestClient.open(harness.port);

    client.send({ op: 'subscribe', id: 's1', types: ['bar'] });

    const error = await client.next((frame) => frame.op === 'error');

    expect(error).to.include({ code: 'unauthorized', id: 's1' });
    expect(await client.whenClosed()).to.equal(1008);
    expect(harness.bus.liveSubscriptions()).to.equal(0);
  });

  it('closes a session that never authenticates', async () => {
    const client = await TestClient.open(harness.port);

    expect(await client.whenClosed()).to.equal(1008);
  });

  it('rejects upgrades on other paths', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${harness.port}/other`);
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)));

    socket.on('error', () => undefined);
    expect(status).to.equal(404);
  });
});
