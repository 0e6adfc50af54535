import { expect } from 'chai';
import { parseClientFrame } from '../../../lib/server/ws/client-frames.js';

function errorOf(text: string): { code: string; message: string; details?: Readonly<Record<string, unknown>> } {
  const parsed = parseClientFrame(text);

  if (parsed.ok) {
    throw new Error(`expected ${text} to be rejected`);
  }

  return parsed;
}

describe('parseClientFrame', () => {
  it('accepts a full subscribe frame', () => {
    const parsed = parseClientFrame(JSON.stringify({ op: 'subscribe', id: 's', types: ['bar'], filter: { instrument: 'SPX' }, since: 0, policy: { onOverflow: 'keep-latest', key: 'instrument', maxQueue: 5 } }));

    expect(parsed.ok).to.equal(true);
  });

  for (const op of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`rejects op ${op} as unknown`, () => {
      expect(errorOf(JSON.stringify({ op, id: 'x' })).code).to.equal('unknown-op');
    });
  }

  it('describes an op that is not a string', () => {
    const error = errorOf('{"op":[1,2]}');

    expect(error.code).to.equal('unknown-op');
    expect(error.message).to.contain('of type array');
  });

  it('names a misspelt subscribe field', () => {
    const error = errorOf(JSON.stringify({ op: 'subscribe', id: 's', types: ['bar'], fliter: {} }));

    expect(error.code).to.equal('unknown-field');
    expect(error.message).to.contain('"fliter"');
    expect(error.message).to.contain('did you mean "filter"');
    expect(error.details).to.deep.equal({ field: 'fliter', suggestion: 'filter' });
  });

  it('names a misspelt policy field', () => {
    const error = errorOf(JSON.stringify({ op: 'subscribe', id: 's', types: ['bar'], policy: { onOverflw: 'disconnect' } }));

    expect(error.code).to.equal('unknown-field');
    expect(error.details).to.deep.equal({ field: 'policy.onOverflw', suggestion: 'onOverflow' });
  });

  it('rejects a misspelt top-level policy', () => {
    const error = errorOf(JSON.stringify({ op: 'subscribe', id: 's', types: ['bar'], polcy: {} }));

    expect(error.details).to.deep.equal({ field: 'polcy', suggestion: 'policy' });
  });

  it('rejects an extra unsubscribe field without a suggestion', () => {
    const error = errorOf(JSON.stringify({ op: 'unsubscribe', id: 's', everything: true }));

    expect(error.code).to.equal('unknown-field');
    expect(error.details).to.deep.equal({ field: 'everything' });
    expect(error.message).to.contain('Known fields: op, id');
  });

  it('rejects a deeply nested id without describing it', () => {
    const error = errorOf(`{"op":"auth","key":${'['.repeat(50_000)}${']'.repeat(50_000)}}`);

    expect(error.code).to.equal('invalid-frame');
    expect(error.message).to.contain('"key" is nested more than');
  });
});
