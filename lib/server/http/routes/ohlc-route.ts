import type Router from '@koa/router';
import type { ApiDeps } from '../api-deps.js';
import { loadBars, parseMarketQuery } from './market-query.js';

/** `GET /api/ohlc`: stored bars of an instrument, resampled to `interval` (default 1d). */
export function registerOhlcRoute(router: Router, deps: ApiDeps): void {
  router.get('/api/ohlc', async (ctx) => {
    const query = parseMarketQuery(ctx.query, '1d');
    const bars = await loadBars(deps, query);

    ctx.body = { instrument: query.instrument, intervalMs: query.intervalMs, bars };
  });
}
