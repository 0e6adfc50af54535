import { expect } from 'chai';
import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packageRoot } from '../../lib/paths.js';
import { launchDashboardBrowser, openDashboard, pageState } from './support/dashboard-browser.js';
import type { BrowserGlobals, DashboardBrowser, DashboardPage, ReceivedEventFrame } from './support/dashboard-browser.js';
import { dowJonesFile, startEngineSession } from './support/engine-session.js';
import type { EngineSession } from './support/engine-session.js';

/** Two hundred days of data a second: the replay outlasts the tests, so the page receives live events. */
const LIVE_SPEED = String(86_400 * 200);

const MARKET_TYPES = ['bar', 'forecast', 'signal', 'order', 'fill'];

/** IBM and KO closes from the Dow Jones 30 file, each through its own shipped model. */
function dowJonesPipeline(): string {
  return [
    'id: dow-jones',
    'instruments: [IBM, KO]',
    'source:',
    '  type: csv',
    `  file: ${JSON.stringify(dowJonesFile())}`,
    '  layout: close',
    '  interval: 1d',
    'stages:',
    '  - use: lstm',
    '  - use: signal',
    '    targetVolatility: 0.15',
    '  - use: orders',
    '    capital: 1000000',
    '    limits: {maxOrderNotional: 1000000, priceBand: 0.2}',
    'outputs: {bus: true, log: true}',
    '',
  ].join('\n');
}

/**
 * Waits until `window.__tickflow[name]` reaches at least `value`. The predicate is a function,
 * not text, because the page's Content-Security-Policy forbids evaluating strings.
 */
async function waitForAtLeast(page: Page, name: 'candles' | 'forecasts' | 'signals' | 'orders' | 'fills' | 'received', value: number): Promise<void> {
  await page.waitForFunction(([key, least]) => (globalThis as unknown as BrowserGlobals).__tickflow[key as 'candles'] >= least, [name, value] as const);
}

function framesOf(frames: readonly ReceivedEventFrame[], subscriptionId: string, type?: string): ReceivedEventFrame[] {
  return frames.filter((frame) => frame.id === subscriptionId && (type === undefined || frame.event.type === type));
}

async function expectLagAndDrops(page: Page): Promise<void> {
  const state = await pageState(page);

  expect(state.lagMs).to.be.a('number').and.at.least(0);
  expect(await page.textContent('#lag')).to.match(/^\d+(\.\d)? (ms|s|min)$/);
  expect(await page.textContent('#dropped')).to.equal(String(state.dropped));
}

describe('dashboard on the running engine', function () {
  this.timeout(60_000);

  let browser: DashboardBrowser;

  before(async function () {
    browser = await launchDashboardBrowser(this);
  });

  after(async () => {
    await browser?.close();
  });

  describe('with two instruments replaying', () => {
    let session: EngineSession;
    let opened: DashboardPage | undefined;

    before(async () => {
      session = await startEngineSession({ pipeline: { yaml: dowJonesPipeline() }, replaySpeed: LIVE_SPEED });
    });

    after(async () => {
      await session?.close();
    });

    afterEach(async () => {
      await opened?.page.close();
      opened = undefined;
    });

    it('draws live candles, forecasts and trade markers', async () => {
      const openedAt = Date.now();
      opened = await openDashboard(browser.browser, session.engine.url);
      const { page, eventFrames } = opened;
      await waitForAtLeast(page, 'fills', 1);
      const before = await pageState(page);
      await waitForAtLeast(page, 'candles', before.candles + 20);
      const state = await pageState(page);
      const bars = framesOf(eventFrames, state.subscriptionId, 'bar');

      expect(state.instrument).to.equal('IBM');
      expect(state.connection).to.equal('connected');
      expect(session.engine.pipelines[0].state, 'the replay is still running').to.equal('running');
      expect(bars.some((frame) => frame.event.ingestTime > openedAt), 'a bar read after the page opened').to.equal(true);
      expect(bars.every((frame) => frame.event.instrument === 'IBM')).to.equal(true);
      expect(state.forecasts).to.be.above(0);
      expect(state.signals).to.be.above(0);
      expect(state.orders).to.be.above(0);
      expect(state.fills).to.be.above(0);
      expect(state.errors).to.deep.equal([]);
      expect(opened.pageErrors).to.deep.equal([]);
      expect(opened.consoleErrors, 'console errors, such as Content-Security-Policy violations').to.deep.equal([]);
      await expectLagAndDrops(page);

      const screenshot = join(browser.folder, 'dow-jones.png');
      await page.screenshot({ path: screenshot });
      expect(statSync(screenshot).size).to.be.above(10_000);
    });

    it('switching instrument resubscribes and redraws', async () => {
      opened = await openDashboard(browser.browser, session.engine.url);
      const { page, eventFrames } = opened;
      await waitForAtLeast(page, 'candles', 1);
      const first = await pageState(page);
      const sentBefore = first.sent.length;

      await page.selectOption('#instrument', 'KO');
      await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).__tickflow.instrument === 'KO');
      await waitForAtLeast(page, 'candles', 20);
      const state = await pageState(page);
      const [unsubscribe, subscribe] = state.sent.slice(sentBefore);
      const koBars = framesOf(eventFrames, state.subscriptionId, 'bar');

      expect(unsubscribe).to.deep.equal({ op: 'unsubscribe', id: first.subscriptionId });
      expect(subscribe).to.deep.include({ op: 'subscribe', id: state.subscriptionId, types: MARKET_TYPES, filter: { instrument: 'KO' }, since: 0 });
      expect(state.subscriptionId).not.to.equal(first.subscriptionId);
      expect(framesOf(eventFrames, first.subscriptionId).every((frame) => frame.event.instrument === 'IBM')).to.equal(true);
      expect(framesOf(eventFrames, state.subscriptionId).every((frame) => frame.event.instrument === 'KO')).to.equal(true);
      expect(new Set(koBars.map((frame) => frame.event.time)).size, 'every candle drawn came from a KO bar').to.be.at.least(state.candles);
      expect(state.errors).to.deep.equal([]);
      expect(opened.consoleErrors).to.deep.equal([]);
    });
  });

  describe('with the default pipeline', () => {
    let session: EngineSession;
    let opened: DashboardPage | undefined;

    before(async () => {
      session = await startEngineSession({ pipeline: { files: [join(packageRoot(), 'pipelines', 'default.yaml')] }, replaySpeed: 'max' });
    });

    after(async () => {
      await opened?.page.close();
      await session?.close();
    });

    it('renders the whole replay and its report', async () => {
      // The page opens after the replay ends, so everything arrives as history, which the
      // gateway paces by the socket's drain; live events at full replay speed could overflow
      // the page's drop-oldest queue on a loaded machine.
      const report = await session.engine.report;
      opened = await openDashboard(browser.browser, session.engine.url);
      const { page } = opened;
      await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).__tickflow.report !== undefined);
      await waitForAtLeast(page, 'fills', 1);
      // The report can arrive while older history pages are still on their way.
      await waitForAtLeast(page, 'candles', Math.ceil((report.bars ?? 0) / 2));
      const state = await pageState(page);

      expect(state.instrument).to.equal('SPX');
      expect(state.report?.trades).to.equal(report.trades);
      expect(report.bars).to.be.a('number');
      expect(state.candles, 'a good part of the history').to.be.at.least((report.bars ?? 0) / 2);
      expect(state.forecasts).to.be.above(0);
      expect(state.orders).to.be.above(0);
      expect(state.errors).to.deep.equal([]);
      expect(opened.consoleErrors).to.deep.equal([]);
      expect(await page.isHidden('#report-empty')).to.equal(true);
      await expectLagAndDrops(page);

      // The chart draws on the next animation frame, so the picture waits a few frames.
      await page.waitForTimeout(300);
      const screenshot = join(browser.folder, 'dashboard.png');
      await page.screenshot({ path: screenshot });
      expect(statSync(screenshot).size).to.be.above(10_000);

      if (process.env.TICKFLOW_UPDATE_SCREENSHOT === '1') {
        copyFileSync(screenshot, join(packageRoot(), 'docs', 'dashboard.png'));
      }
    });
  });
});
