import { expect } from 'chai';
import { replaySpeedFor } from '../../lib/config/index.js';

const TWENTY_YEARS_MS = 20 * 365.25 * 86_400_000;

describe('replaySpeedFor', () => {
  it('speed wins over duration', () => {
    expect(replaySpeedFor({ speed: 4, durationSeconds: 600 }, TWENTY_YEARS_MS)).to.equal(4);
  });

  it('max speed passes through', () => {
    expect(replaySpeedFor({ speed: 'max', durationSeconds: null }, TWENTY_YEARS_MS)).to.equal('max');
  });

  it('duration stretches the span', () => {
    const speed = replaySpeedFor({ speed: null, durationSeconds: 600 }, TWENTY_YEARS_MS);

    expect(speed).to.be.a('number');
    expect(Math.round(speed as number)).to.equal(1_051_920);
  });

  it('zero duration means max', () => {
    expect(replaySpeedFor({ speed: null, durationSeconds: 0 }, TWENTY_YEARS_MS)).to.equal('max');
  });

  it('empty span means max', () => {
    expect(replaySpeedFor({ speed: null, durationSeconds: 600 }, 0)).to.equal('max');
  });

  it('both null defers to the pipeline', () => {
    expect(replaySpeedFor({ speed: null, durationSeconds: null }, TWENTY_YEARS_MS)).to.equal(undefined);
  });
});
