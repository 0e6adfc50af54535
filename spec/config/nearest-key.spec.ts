import { expect } from 'chai';
import { nearestKey, unknownKeyMessage } from '../../lib/config/nearest-key.js';

describe('nearestKey', () => {
  it('finds a swapped letter', () => {
    expect(nearestKey('prot', ['host', 'port'])).to.equal('port');
  });

  it('ignores case', () => {
    expect(nearestKey('MaxQueue', ['maxQueue', 'heartbeatIntervalMs'])).to.equal('maxQueue');
  });

  it('returns undefined when nothing is close', () => {
    expect(nearestKey('database', ['host', 'port'])).to.equal(undefined);
  });

  it('message lists keys when nothing is close', () => {
    expect(unknownKeyMessage('zzz', ['host', 'port'])).to.equal('unknown key "zzz"; valid keys: host, port');
  });
});
