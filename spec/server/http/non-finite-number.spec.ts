import { expect } from 'chai';
import { findNonFiniteNumber } from '../../../lib/server/http/non-finite-number.js';

describe('findNonFiniteNumber', () => {
  it('returns undefined for finite values', () => {
    expect(findNonFiniteNumber({ a: [1, 2, { b: 3 }], c: 'x', d: null })).to.equal(undefined);
  });

  it('names the first infinite number in document order', () => {
    const value: unknown = JSON.parse('{"bars":[{"open":1},{"open":1e400,"close":-1e400}],"z":1e400}');

    expect(findNonFiniteNumber(value)).to.equal('bars[1].open');
  });

  it('names a root number with an empty path', () => {
    expect(findNonFiniteNumber(Infinity)).to.equal('');
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const value: unknown = JSON.parse(`${'['.repeat(100_000)}1e400${']'.repeat(100_000)}`);

    expect(findNonFiniteNumber(value)).to.match(/^(\[0\])+$/);
  });
});
