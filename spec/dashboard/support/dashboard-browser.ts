import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's chromium, never a downloaded browser. */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

/** Contents of `window.__tickflow`: the counts drawn for the current instrument, the frames sent, drops and lag. */
export interface PageState {
  instrument: string;
  subscriptionId: string;
  connection: string;
  received: number;
  candles: number;
  forecasts: number;
  signals: number;
  orders: number;
  fills: number;
  dropped: number;
  lagMs?: number;
  authRequired: boolean;
  report?: { trades: number; rowCount?: number };
  errors: string[];
  sent: Record<string, unknown>[];
}

/** Browser globals the checks read, declared here because the specs compile without the DOM library. */
export interface BrowserGlobals {
  readonly __tickflow: PageState;
  readonly document: { getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
}

/** Chromium with its disk cache in a temp folder that `close` removes. */
export interface DashboardBrowser {
  readonly browser: Browser;
  /** Temp folder for the test's own files, such as screenshots. It is removed with the browser. */
  readonly folder: string;
  close(): Promise<void>;
}

/**
 * Launches chromium, or skips the calling suite when it is not installed. Under CI the
 * browser checks must run, so a missing chromium fails instead.
 */
export async function launchDashboardBrowser(context: Mocha.Context): Promise<DashboardBrowser> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
      throw new Error(`${CHROMIUM} is missing; under CI the dashboard test must run: install it with apt-get install -y chromium`);
    }

    console.warn(`      skipped: ${CHROMIUM} is not installed (apt-get install -y chromium); under CI=true this test fails instead`);
    context.skip();
  }

  const folder = mkdtempSync(join(tmpdir(), 'tickflow-chromium-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...LAUNCH_ARGS, `--disk-cache-dir=${join(folder, 'cache')}`], headless: true });

  return {
    browser,
    folder,
    close: async () => {
      await browser.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Event frame the server sent the page, as the browser's network layer received it. */
export interface ReceivedEventFrame {
  readonly id: string;
  readonly event: { readonly id: string; readonly type: string; readonly time: number; readonly ingestTime: number; readonly instrument: string };
}

/** Open dashboard page with the errors it has logged and the event frames it received. */
export interface DashboardPage {
  readonly page: Page;
  readonly eventFrames: ReceivedEventFrame[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** Console messages of level error, such as Content-Security-Policy violations. */
  readonly consoleErrors: string[];
}

/** Opens the dashboard at `url` and waits until it has started. */
export async function openDashboard(browser: Browser, url: string): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const opened: DashboardPage = { page, eventFrames: [], pageErrors: [], consoleErrors: [] };
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => {
    const frame = JSON.parse(String(payload)) as { op: string } & ReceivedEventFrame;

    if (frame.op === 'event') {
      opened.eventFrames.push(frame);
    }
  }));
  page.on('pageerror', (error) => opened.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      opened.consoleErrors.push(message.text());
    }
  });

  await page.goto(url);
  await page.waitForFunction(() => (globalThis as unknown as BrowserGlobals).document.getElementById('app')?.dataset.state === 'ready');

  return opened;
}

/** Reads `window.__tickflow`. */
export function pageState(page: Page): Promise<PageState> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobals).__tickflow);
}
