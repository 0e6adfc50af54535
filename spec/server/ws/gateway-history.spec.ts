import { expect } from 'chai';
import { TickflowError } from '../../../lib/errors.js';
import type { AnyEvent } from '../../../lib/events/index.js';
import { makeBar } from '../support/fake-ports.js';
import { startServer, type Harness } from '../support/server-harness.js';
import { TestClient } from '../support/ws-client.js';

const DAY_MS = 86_400_000;

describe('WebSocket subscriptions with since', () => {
  let harness: Harness;
  let client: TestClient;

  beforeEach(async () => {
    harness = await startServer({ ws: { historyPageSize: 3 } });
    harness.state.log.push(...Array.from({ length: 10 }, (_, day) => makeBar('SPX', day)), makeBar('EUR', 4));
    client = await TestClient.open(harness.port);
  });

  afterEach(async () => {
    await client.close();
    await harness.close();
  });

  it('sends stored then live events with no gap and no duplicate', async () => {
    let release = (): void => undefined;
    harness.state.queryGate = new Promise((resolve) => (release = resolve));

    await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX' }, since: makeBar('SPX', 2).time });

    // Published while the history is read: 8 and 9 are in the log too, 10 and 11 are not yet.
    for (const day of [8, 9, 10, 11]) {
      const bar = makeBar('SPX', day);

      if (day >= 10) {
        harness.state.log.push(bar);
      }

      harness.bus.publish('bar', bar);
    }

    harness.bus.publish('bar', makeBar('EUR', 12));
    release();
    await client.next(() => client.events('s1').some((event) => event.id === makeBar('SPX', 11).id));

    const days = client.events('s1').map((event) => ((event as AnyEvent).time - makeBar('SPX', 0).time) / DAY_MS);

    expect(days).to.deep.equal([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('recovers live events the buffer dropped from the log', async () => {
    let release = (): void => undefined;
    harness.state.queryGate = new Promise((resolve) => (release = resolve));

    await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX' }, since: 0, policy: { onOverflow: 'drop-oldest', maxQueue: 2 } });

    // Six live bars while the history waits: the buffer of two keeps only the last two, but the log has all six.
    for (const day of [10, 11, 12, 13, 14, 15]) {
      const bar = makeBar('SPX', day);
      harness.state.log.push(bar);
      harness.bus.publish('bar', bar);
    }

    release();
    await client.next(() => client.events('s1').some((event) => event.id === makeBar('SPX', 15).id));

    const days = client.events('s1').map((event) => ((event as AnyEvent).time - makeBar('SPX', 0).time) / DAY_MS);

    expect(days).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(client.frames.some((frame) => frame.op === 'lagged')).to.equal(false);
  });

  it('reports live events missing from the log as lagged', async () => {
    let release = (): void => undefined;
    harness.state.queryGate = new Promise((resolve) => (release = resolve));

    await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX' }, since: 0, policy: { onOverflow: 'drop-oldest', maxQueue: 2 } });

    for (const day of [10, 11, 12, 13]) {
      harness.bus.publish('bar', makeBar('SPX', day));
    }

    release();
    const lagged = await client.next((frame) => frame.op === 'lagged');
    await client.next(() => client.events('s1').some((event) => event.id === makeBar('SPX', 13).id));

    expect(lagged).to.include({ id: 's1', dropped: 2 });
    expect(client.events('s1').map((event) => event.id).slice(-2)).to.deep.equal([makeBar('SPX', 12).id, makeBar('SPX', 13).id]);
  });

  it('sends live events after the history', async () => {
    await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX' }, since: makeBar('SPX', 8).time });
    await client.next(() => client.events('s1').length === 2);

    harness.bus.publish('bar', makeBar('SPX', 20));
    await client.next(() => client.events('s1').length === 3);

    expect(client.events('s1').at(-1)?.id).to.equal(makeBar('SPX', 20).id);
  });

  it('stops at a page saying no more follow', async () => {
    harness.state.pagesWithMore = true;

    await client.subscribe({ id: 's1', types: ['bar'], filter: { instrument: 'SPX' }, since: 0 });
    await client.next(() => client.events('s1').length === 10);
    harness.bus.publish('bar', makeBar('SPX', 20));
    await client.next(() => client.events('s1').length === 11);

    expect(harness.state.queries).to.equal(4);
  });

  it('reports a failed history read and releases the subscription', async () => {
    harness.state.queryError = new TickflowError('log-unavailable', 'database is locked');

    await client.subscribe({ id: 's1', types: ['bar'], since: 0 });
    const error = await client.next((frame) => frame.op === 'error');

    expect(error).to.include({ id: 's1', code: 'history-failed' });
    expect(harness.bus.liveSubscriptions()).to.equal(0);
  });

  it('stops reading history when the client leaves', async () => {
    let release = (): void => undefined;
    harness.state.queryGate = new Promise((resolve) => (release = resolve));

    await client.subscribe({ id: 's1', types: ['bar'], since: 0 });
    await client.close();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await new Promise((resolve) => setImmediate(resolve));

    expect(harness.bus.liveSubscriptions()).to.equal(0);
  });
});
