import { expect } from 'chai';
import { connect } from 'node:net';
import sinon from 'sinon';
import { FrameHandler } from '../../../lib/server/ws/frame-handler.js';
import { Session } from '../../../lib/server/ws/session.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { TestClient } from '../support/ws-client.js';

describe('WebSocket gateway after unexpected errors', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startServer();
  });

  afterEach(async () => {
    sinon.restore();
    await harness.close();
  });

  it('answers a throwing frame with internal-error', async () => {
    const client = await TestClient.open(harness.port);

    sinon.stub(FrameHandler.prototype, 'handle').throws(new TypeError('boom'));
    client.send({ op: 'subscribe', id: 'a', types: ['bar'] });

    const reply = await client.next((frame) => frame.op === 'error');

    expect(reply.code).to.equal('internal-error');
    expect(reply.message).to.not.contain('boom');
    await client.close();
  });

  it('keeps the session usable after a throwing frame', async () => {
    const client = await TestClient.open(harness.port);
    const handle = sinon.stub(FrameHandler.prototype, 'handle').throws(new TypeError('boom'));

    client.send({ op: 'subscribe', id: 'a', types: ['bar'] });
    await client.next((frame) => frame.op === 'error');
    handle.restore();

    const ack = await client.subscribe({ id: 'b', types: ['bar'] });

    expect(ack).to.deep.equal({ op: 'ack', id: 'b' });
    await client.close();
  });

  it('survives a throwing release on close', async () => {
    const client = await TestClient.open(harness.port);

    await client.subscribe({ id: 'a', types: ['bar'] });
    sinon.stub(Session.prototype, 'finish').throws(new TypeError('boom'));
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(harness.server.gateway.stats().sessions).to.equal(0);
  });

  it('answers an upgrade on another path with 404', async () => {
    expect(await upgradeStatusLine(harness.port, '/other')).to.equal('HTTP/1.1 404 Not Found');
  });

  it('answers an upgrade with an unparsable URL with 400', async () => {
    expect(await upgradeStatusLine(harness.port, 'http://[')).to.equal('HTTP/1.1 400 Bad Request');
  });
});

/** Sends a raw upgrade request for a request target and returns the response's status line. */
function upgradeStatusLine(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';

    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(received.split('\r\n')[0]));
    socket.on('error', reject);
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
  });
}
