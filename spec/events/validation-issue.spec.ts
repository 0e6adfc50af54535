import { expect } from 'chai';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describeValue, formatValidationErrors, issuesToText, PositiveInteger } from '../../lib/events/index.js';

function issuesOf<A>(codec: t.Type<A, unknown, unknown>, input: unknown) {
  const result = codec.decode(input);

  if (!isLeft(result)) {
    throw new Error('expected a decoding failure');
  }

  return formatValidationErrors(result.left);
}

describe('formatValidationErrors', () => {
  const Stage = t.type({ use: t.string, batch: t.type({ maxSize: PositiveInteger }) });
  const Pipeline = t.type({ stages: t.array(Stage) });

  it('writes array indexes in brackets', () => {
    const issues = issuesOf(Pipeline, { stages: [{ use: 'a', batch: { maxSize: 1 } }, { use: 'b', batch: { maxSize: 0 } }] });

    expect(issues).to.deep.equal([{ path: 'stages[1].batch.maxSize', expected: 'PositiveInteger', received: '0' }]);
  });

  it('reports a missing field as undefined', () => {
    const issues = issuesOf(Stage, { batch: { maxSize: 1 } });

    expect(issues).to.deep.equal([{ path: 'use', expected: 'string', received: 'undefined' }]);
  });

  it('joins the members of a failing union into one issue', () => {
    const Side = t.union([t.literal('buy'), t.literal('sell')]);
    const issues = issuesOf(t.type({ side: Side }), { side: 'hold' });

    expect(issues).to.have.length(1);
    expect(issues[0].path).to.equal('side');
    expect(issues[0].expected).to.equal('"buy" | "sell"');
  });

  it('reports a wrong root value with an empty path', () => {
    const issues = issuesOf(Stage, 'text');

    expect(issues[0].path).to.equal('');
    expect(issuesToText(issues)).to.match(/^\(root\): expected/);
  });

  it('shortens long received values', () => {
    expect(describeValue('x'.repeat(500)).length).to.be.lessThan(130);
    expect(describeValue(Number.NaN)).to.equal('NaN');
    expect(describeValue(undefined)).to.equal('undefined');
  });

  it('describes values that JSON cannot encode', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    expect(describeValue(cyclic)).to.equal('[object Object]');
    expect(describeValue(10n)).to.equal('10');
  });
});
