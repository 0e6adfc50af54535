import { expect } from 'chai';
import { systemClock, VirtualClock } from '../../lib/time/clock.js';

describe('VirtualClock', () => {
  it('moves forward only', () => {
    const clock = new VirtualClock(100);

    clock.advanceTo(200);
    clock.advanceTo(150);

    expect(clock.now()).to.equal(200);
  });

  it('starts at zero by default', () => {
    expect(new VirtualClock().now()).to.equal(0);
  });
});

describe('systemClock', () => {
  it('reads the wall clock', () => {
    const before = Date.now();

    expect(systemClock.now()).to.be.at.least(before);
  });
});
