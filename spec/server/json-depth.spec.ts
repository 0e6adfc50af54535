import { expect } from 'chai';
import { exceedsDepth } from '../../lib/server/json-depth.js';

describe('exceedsDepth', () => {
  it('counts scalars as depth 0', () => {
    expect(exceedsDepth(5, 0)).to.equal(false);
    expect(exceedsDepth(null, 0)).to.equal(false);
  });

  it('counts each array and object level', () => {
    expect(exceedsDepth({ a: [1] }, 2)).to.equal(false);
    expect(exceedsDepth({ a: [1] }, 1)).to.equal(true);
    expect(exceedsDepth({ a: 1, b: { c: {} } }, 2)).to.equal(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    const value: unknown = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);

    expect(exceedsDepth(value, 64)).to.equal(true);
    expect(exceedsDepth(value, 100_000)).to.equal(false);
  });
});
