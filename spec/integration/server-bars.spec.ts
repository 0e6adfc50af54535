import { expect } from 'chai';
import { lastValueFrom, NEVER, tap, toArray } from 'rxjs';
import type { BarEvent } from '../../lib/events/index.js';
import { silentLogger } from '../../lib/observability/logger.js';
import { packageRoot } from '../../lib/paths.js';
import { CsvSource } from '../../lib/sources/index.js';
import { VirtualClock } from '../../lib/time/clock.js';
import { startServer, type Harness } from '../server/support/server-harness.js';
import { TestClient } from '../server/support/ws-client.js';

describe('bars from a CSV source to WebSocket clients', () => {
  let harness: Harness;

  before(async () => {
    harness = await startServer();
  });

  after(() => harness.close());

  it('delivers the S&P 500 bars each filter matches', async function () {
    this.timeout(30_000);

    const [high, crash] = await Promise.all([TestClient.open(harness.port), TestClient.open(harness.port)]);

    await high.subscribe({ id: 'high', types: ['bar'], filter: { instrument: 'SPX', 'data.close': { $gt: 2800 } } });
    await crash.subscribe({ id: 'crash', types: ['bar', 'deadletter'], filter: { $or: [{ 'data.low': { $lt: 700 } }, { type: 'deadletter' }] } });

    const source = new CsvSource(
      { type: 'csv', dataset: 'sp500', speed: 'max' },
      { instruments: [{ id: 'SPX', allowNegativePrices: false }], baseDir: packageRoot(), logger: silentLogger(), clock: new VirtualClock(0) },
    );
    const events = await lastValueFrom(
      source.open(NEVER).pipe(
        tap((event) => harness.bus.publish(event.type, event as never)),
        toArray(),
      ),
    );
    const bars = events.filter((event): event is BarEvent => event.type === 'bar');
    const expectedHigh = bars.filter((bar) => bar.data.close > 2800).map((bar) => bar.id);
    const expectedCrash = bars.filter((bar) => bar.data.low < 700).map((bar) => bar.id);

    await high.next(() => high.events('high').length === expectedHigh.length, 20_000);
    await crash.next(() => crash.events('crash').length >= expectedCrash.length, 20_000);

    expect(bars.length).to.be.greaterThan(5000);
    expect(expectedHigh.length).to.be.greaterThan(0);
    expect(high.events('high').map((event) => event.id)).to.deep.equal(expectedHigh);
    expect(crash.events('crash').filter((event) => event.type === 'bar').map((event) => event.id)).to.deep.equal(expectedCrash);
    await Promise.all([high.close(), crash.close()]);
  });
});
