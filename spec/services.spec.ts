import { expect } from 'chai';
import { hasErrorCode, TickflowError, toError } from '../lib/errors.js';
import { ServiceKey, Services } from '../lib/services.js';

describe('Services', () => {
  const CACHE = new ServiceKey<{ size: number }>('model-cache');

  it('returns a service by its key', () => {
    const services = new Services().set(CACHE, { size: 3 });

    expect(services.get(CACHE)).to.deep.equal({ size: 3 });
    expect(services.require(CACHE).size).to.equal(3);
  });

  it('names a missing service', () => {
    const services = new Services();

    expect(services.get(CACHE)).to.equal(undefined);
    expect(() => services.require(CACHE))
      .to.throw(TickflowError, 'service "model-cache" is not configured')
      .with.property('code', 'service-missing');
  });
});

describe('errors', () => {
  it('keeps the code and details', () => {
    const error = new TickflowError('model-not-found', 'no model for GOOG', { instrument: 'GOOG' });

    expect(hasErrorCode(error, 'model-not-found')).to.equal(true);
    expect(hasErrorCode(error, 'other')).to.equal(false);
    expect(hasErrorCode(new Error('x'), 'model-not-found')).to.equal(false);
    expect(error.details).to.deep.equal({ instrument: 'GOOG' });
  });

  it('turns thrown values into errors', () => {
    const error = new Error('x');

    expect(toError(error)).to.equal(error);
    expect(toError('text').message).to.equal('text');
    expect(toError({ a: 1 }).message).to.equal('{"a":1}');
  });
});
