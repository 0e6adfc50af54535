import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { activeBackend, selectBackend, wasmFolder } from '../../lib/model/backend.js';

function capture(lines: Record<string, unknown>[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    }),
  );
}

describe('selectBackend', () => {
  after(async () => {
    await selectBackend(pino({ level: 'silent' }), { candidates: ['wasm', 'cpu'] });
  });

  it('falls back to wasm and logs why', async () => {
    const lines: Record<string, unknown>[] = [];
    const choice = await selectBackend(capture(lines), { loadNative: () => Promise.reject(new Error('Cannot find package @tensorflow/tfjs-node')) });

    expect(choice.name).to.equal('wasm');
    expect(choice.reason).to.contain('tensorflow unavailable: Cannot find package @tensorflow/tfjs-node');
    expect(activeBackend()).to.equal('wasm');
    expect(lines[0]).to.include({ backend: 'wasm', msg: 'TensorFlow.js runs on the wasm backend' });
  });

  it('reports a native backend that does not initialize', async () => {
    const choice = await selectBackend(pino({ level: 'silent' }), { loadNative: () => Promise.resolve({}), candidates: ['tensorflow', 'cpu'] });

    expect(choice.name).to.equal('cpu');
    expect(choice.reason).to.match(/^tensorflow unavailable/);
  });

  it('runs the first candidate when it loads', async () => {
    const choice = await selectBackend(pino({ level: 'silent' }), { candidates: ['cpu'] });

    expect(choice).to.deep.equal({ name: 'cpu', reason: 'cpu is the first choice' });
  });

  it('throws when no candidate starts', async () => {
    const error = await selectBackend(pino({ level: 'silent' }), { candidates: ['tensorflow'], loadNative: () => Promise.reject(new Error('absent')) }).catch((caught: Error) => caught);

    expect((error as Error).message).to.equal('no TensorFlow.js backend could start: tensorflow unavailable: absent');
  });

  it('wasmFolder points at the shipped binaries', () => {
    expect(existsSync(join(wasmFolder(), 'tfjs-backend-wasm.wasm'))).to.equal(true);
  });
});
