import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startServer, type Harness } from '../support/server-harness.js';

/** Opens a raw TCP connection and collects everything the server sends until it closes. */
function rawConnection(port: number): { socket: Socket; response: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  const response = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => undefined);
  });

  return { socket, response };
}

function head(length: number | 'chunked'): string {
  const framing = length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;

  return `POST /api/ml/lstm/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;
}

describe('request body limits', () => {
  let harness: Harness;

  before(async () => {
    harness = await startServer({ bodyLimitBytes: 1024, readTimeoutMs: 150 });
  });

  after(() => harness.close());

  it('answers 413 from the declared length before the body', async () => {
    const { socket, response } = rawConnection(harness.port);

    socket.write(head(50_000_000));

    const text = await response;

    expect(text).to.match(/^HTTP\/1.1 413/);
    expect(text).to.include('"payload-too-large"');
    expect(text.toLowerCase()).to.include('connection: close');
  });

  it('cuts a chunked body that grows past the limit', async () => {
    const { socket, response } = rawConnection(harness.port);
    const chunk = 'x'.repeat(600);

    socket.write(head('chunked'));
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);

    const text = await response;

    expect(text).to.match(/^HTTP\/1.1 413/);
  });

  it('cuts off a body sent too slowly', async () => {
    const { socket, response } = rawConnection(harness.port);

    socket.write(head(100));
    socket.write('{"instrument":');

    const text = await response;

    expect(text).to.match(/^HTTP\/1.1 408/);
    expect(text).to.include('"request-timeout"');
    expect(text).not.to.match(/\n\s+at /);
  });

  it('still answers a whole body sent in pieces in time', async () => {
    const { socket, response } = rawConnection(harness.port);
    const body = JSON.stringify({ instrument: 'SPX' });

    socket.write(head(body.length).replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n'));
    socket.write(body.slice(0, 5));
    setImmediate(() => socket.write(body.slice(5)));

    const text = await response;

    expect(text).to.match(/^HTTP\/1.1 200/);
  });
});
