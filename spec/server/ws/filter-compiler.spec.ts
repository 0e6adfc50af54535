import { expect } from 'chai';
import { TickflowError } from '../../../lib/errors.js';
import type { AnyEvent } from '../../../lib/events/index.js';
import { compileFilter } from '../../../lib/server/ws/filter-compiler.js';
import { makeBar } from '../support/fake-ports.js';

function errorOf(filter: unknown, types: ('bar' | 'signal' | 'report' | 'deadletter')[] = ['bar']): TickflowError {
  try {
    compileFilter(filter, types);
  } catch (error) {
    return error as TickflowError;
  }

  throw new Error('expected the filter to be rejected');
}

describe('compileFilter', () => {
  const spx = makeBar('SPX', 0, 150) as AnyEvent;
  const eur = makeBar('EUR', 0, 90) as AnyEvent;

  it('matches everything without a filter', () => {
    expect(compileFilter(undefined, ['bar'])(spx)).to.equal(true);
  });

  const matching: [string, unknown, boolean, boolean][] = [
    ['equality', { instrument: 'SPX' }, true, false],
    ['$gt on a nested field', { 'data.close': { $gt: 100 } }, true, false],
    ['$lte', { 'data.close': { $lte: 90 } }, false, true],
    ['$in', { instrument: { $in: ['EUR', 'JPY'] } }, false, true],
    ['$nin', { instrument: { $nin: ['EUR'] } }, true, false],
    ['$ne', { instrument: { $ne: 'SPX' } }, false, true],
    ['$exists', { 'data.volume': { $exists: true } }, true, true],
    ['$not', { 'data.close': { $not: { $gt: 100 } } }, false, true],
    ['$or', { $or: [{ instrument: 'EUR' }, { 'data.close': { $gte: 150 } }] }, true, true],
    ['$and', { $and: [{ instrument: 'SPX' }, { 'data.close': { $lt: 100 } }] }, false, false],
    ['range on one field', { 'data.close': { $gt: 80, $lt: 100 } }, false, true],
  ];

  for (const [name, filter, forSpx, forEur] of matching) {
    it(`evaluates ${name}`, () => {
      const test = compileFilter(filter, ['bar']);

      expect(test(spx)).to.equal(forSpx);
      expect(test(eur)).to.equal(forEur);
    });
  }

  const rejected: [string, unknown, string, string][] = [
    ['$where', { $where: 'this.instrument === "SPX"' }, 'filter-operator-not-allowed', '$where'],
    ['$regex', { instrument: { $regex: '^(a+)+$' } }, 'filter-operator-not-allowed', '$regex'],
    ['$elemMatch', { 'data.close': { $elemMatch: { $gt: 1 } } }, 'filter-operator-not-allowed', '$elemMatch'],
    ['$nor', { $nor: [{ instrument: 'SPX' }] }, 'filter-operator-not-allowed', '$nor'],
    ['an unknown field', { 'data.price': 1 }, 'unknown-filter-field', 'data.price'],
    ['an unknown top field', { symbol: 'SPX' }, 'unknown-filter-field', 'symbol'],
    ['a string for a number', { 'data.close': { $gt: '100' } }, 'invalid-filter', 'number'],
    ['a number for a string', { instrument: 5 }, 'invalid-filter', 'string'],
    ['an object value', { data: { close: 1 } }, 'invalid-filter', 'dotted paths'],
    ['an array value', { instrument: ['SPX'] }, 'invalid-filter', 'number, string, boolean or null'],
    ['an empty $or', { $or: [] }, 'invalid-filter', 'non-empty array'],
    ['a non-array $in', { instrument: { $in: 'SPX' } }, 'invalid-filter', 'array'],
    ['a non-boolean $exists', { instrument: { $exists: 1 } }, 'invalid-filter', 'true or false'],
    ['a string filter', 'SPX', 'invalid-filter', 'object'],
    ['mixed operators and fields', { 'data.close': { $gt: 1, close: 2 } }, 'invalid-filter', 'operators'],
  ];

  for (const [name, filter, code, named] of rejected) {
    it(`rejects ${name}`, () => {
      const error = errorOf(filter);

      expect(error.code).to.equal(code);
      expect(error.message).to.include(named);
    });
  }

  it('accepts a field of any subscribed type', () => {
    const test = compileFilter({ 'data.rule': 'vol-target' }, ['bar', 'signal']);

    expect(test(spx)).to.equal(false);
  });

  it('accepts record keys and array fields', () => {
    expect(() => compileFilter({ 'data.rejectionsByRule.maxPosition': { $gt: 0 } }, ['report'])).not.to.throw();
    expect(() => compileFilter({ 'data.issues.path': 'close' }, ['deadletter'])).not.to.throw();
    expect(() => compileFilter({ 'data.issues.0.path': 'close' }, ['deadletter'])).not.to.throw();
  });

  it('rejects a filter nested too deep', () => {
    let filter: Record<string, unknown> = { instrument: 'SPX' };

    for (let i = 0; i < 12; i++) {
      filter = { $and: [filter] };
    }

    expect(errorOf(filter).code).to.equal('invalid-filter');
  });
});
