import { expect } from 'chai';
import { lastValueFrom, NEVER, toArray } from 'rxjs';
import type { BarEvent } from '../../../lib/events/index.js';
import { silentLogger } from '../../../lib/observability/logger.js';
import { checkBarPrices, SyntheticSource, type SyntheticSourceSettings } from '../../../lib/sources/index.js';
import { VirtualClock } from '../../../lib/time/clock.js';

function barsOf(settings: SyntheticSourceSettings): Promise<BarEvent[]> {
  const context = { instruments: [{ id: 'A', allowNegativePrices: false }, { id: 'B', allowNegativePrices: false }], baseDir: '.', logger: silentLogger(), clock: new VirtualClock(0) };

  const events = lastValueFrom(new SyntheticSource(settings, context).open(NEVER).pipe(toArray()));

  return events as Promise<BarEvent[]>;
}

describe('SyntheticSource', () => {
  it('repeats its bars for a seed', async () => {
    const settings: SyntheticSourceSettings = { type: 'synthetic', seed: 7, bars: 50, interval: 60_000, start: '2024-01-02T00:00:00Z' };
    const [first, second, other] = await Promise.all([barsOf(settings), barsOf(settings), barsOf({ ...settings, seed: 8 })]);

    expect(first).to.have.length(100);
    expect(second).to.deep.equal(first);
    expect(other[0].data.close).to.not.equal(first[0].data.close);
    expect(first[0].time).to.equal(Date.UTC(2024, 0, 2));
    expect(first[2].time).to.equal(Date.UTC(2024, 0, 2, 0, 1));
  });

  it('makes bars that pass the bar checks', async () => {
    const bars = await barsOf({ type: 'synthetic', bars: 200, volatility: 0.8, drift: 0.1 });

    for (const bar of bars) {
      expect(checkBarPrices(bar.data, false)).to.equal(null);
    }
  });
});
