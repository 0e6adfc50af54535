import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchDashboardBrowser, openDashboard, pageState as readPageState } from './support/dashboard-browser.js';
import type { BrowserGlobals, DashboardBrowser, PageState } from './support/dashboard-browser.js';
import { ProtocolServer } from './support/protocol-server.js';
import type { ClientFrame } from './support/protocol-server.js';
import { marketEvents, reportEvent, sp500Rows } from './support/market-events.js';

describe('dashboard page', function () {
  this.timeout(60_000);

  let browser: DashboardBrowser;
  let server: ProtocolServer | undefined;
  let page: Page;
  let consoleErrors: string[];

  before(async function () {
    browser = await launchDashboardBrowser(this);
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    await page?.close();
    await server?.close();
    server = undefined;
  });

  async function open(options: { apiKey?: string } = {}): Promise<ProtocolServer> {
    server = new ProtocolServer({ instruments: ['SPX', 'GOOG'], ...options });
    const opened = await openDashboard(browser.browser, await server.listen());
    page = opened.page;
    consoleErrors = opened.consoleErrors;
    expect(opened.pageErrors).to.deep.equal([]);

    return server;
  }

  function pageState(): Promise<PageState> {
    return readPageState(page);
  }

  /**
   * Waits until a page counter reaches a value. Predicates are functions, not text, because
   * the page's Content-Security-Policy forbids evaluating strings.
   */
  async function waitForState(name: 'candles' | 'forecasts', value: number): Promise<void> {
    await page.waitForFunction(([key, expected]) => (globalThis as unknown as BrowserGlobals).__tickflow[key as 'candles'] === expected, [name, value] as const);
  }

  function isMarketSubscribe(instrument: string): (frame: ClientFrame) => boolean {
    return (frame) => frame.op === 'subscribe' && (frame.filter as { instrument?: string } | undefined)?.instrument === instrument;
  }

  it('subscribes to history, then live', async () => {
    const server = await open();
    const frame = await server.frame(isMarketSubscribe('SPX'));

    expect(frame.types).to.deep.equal(['bar', 'forecast', 'signal', 'order', 'fill']);
    expect(frame.since).to.equal(0);
    expect(frame.policy).to.have.property('maxQueue', 1000);
  });

  it('draws candles and forecasts from live events', async () => {
    const server = await open();
    await server.frame(isMarketSubscribe('SPX'));
    const events = marketEvents('SPX', sp500Rows().slice(-260));
    const expected = countByType(events);

    events.forEach((event) => server.publish(event));
    server.publish(reportEvent('SPX', events[events.length - 1].time));
    server.lagged('report', 3);

    await waitForState('forecasts', expected.forecast);
    await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).__tickflow.report !== undefined);
    const state = await pageState();

    expect(state.candles).to.equal(expected.bar);
    expect(state.forecasts).to.equal(expected.forecast);
    expect(state.signals).to.equal(expected.signal);
    expect(state.orders).to.equal(expected.order);
    expect(state.fills).to.equal(expected.fill);
    expect(state.report?.trades).to.equal(42);
    expect(state.dropped).to.equal(3);
    expect(state.errors).to.deep.equal([]);
    expect(consoleErrors, 'console errors, such as Content-Security-Policy violations').to.deep.equal([]);
    expect(await page.textContent('#dropped')).to.equal('3');

    await page.waitForTimeout(300);
    const screenshot = join(browser.folder, 'stand-in-server.png');
    await page.screenshot({ path: screenshot });
    expect(existsSync(screenshot)).to.equal(true);
  });

  it('switching instrument changes the subscription', async () => {
    const server = await open();
    const first = await server.frame(isMarketSubscribe('SPX'));
    server.publish(marketEvents('SPX', sp500Rows().slice(0, 30))[0]);
    await waitForState('candles', 1);

    await page.selectOption('#instrument', 'GOOG');
    const second = await server.frame(isMarketSubscribe('GOOG'));
    const unsubscribe = await server.frame((frame) => frame.op === 'unsubscribe');

    expect(unsubscribe.id).to.equal(first.id);
    expect(second.id).not.to.equal(first.id);
    expect(second.since).to.equal(0);
    expect(server.frames.indexOf(unsubscribe)).to.be.below(server.frames.indexOf(second));
    expect((await pageState()).candles).to.equal(0);

    server.publish(marketEvents('SPX', sp500Rows().slice(30, 31))[0]);
    server.publish(marketEvents('GOOG', sp500Rows().slice(0, 2))[1]);
    await waitForState('candles', 1);
    const state = await pageState();

    expect(state.instrument).to.equal('GOOG');
    expect(state.candles).to.equal(1);
  });

  it('asks for a key when the server requires one', async () => {
    const server = await open({ apiKey: 'dashboard-key' });
    await page.waitForSelector('#auth:not([hidden])');

    expect((await pageState()).authRequired).to.equal(true);

    await page.fill('#api-key', 'dashboard-key');
    await page.click('#auth button');
    const auth = await server.frame((frame) => frame.op === 'auth');
    const frames = server.frames;
    const authIndex = frames.indexOf(auth);

    expect(auth.key).to.equal('dashboard-key');
    await server.frame((frame) => frames.indexOf(frame) > authIndex && isMarketSubscribe('SPX')(frame));
    expect(await page.isHidden('#auth')).to.equal(true);
  });

  it('reports a rejected key', async () => {
    const server = await open({ apiKey: 'dashboard-key' });
    await page.waitForSelector('#auth:not([hidden])');

    await page.fill('#api-key', 'wrong-key');
    await page.click('#auth button');
    await server.frame((frame) => frame.op === 'auth');
    await page.waitForSelector('#auth:not([hidden])');

    expect(await page.textContent('#auth-message')).to.contain('rejected');
  });
});

function countByType(events: readonly { type: string }[]): Record<string, number> {
  const counts: Record<string, number> = { bar: 0, forecast: 0, signal: 0, order: 0, fill: 0 };

  for (const event of events) {
    counts[event.type] += 1;
  }

  return counts;
}
