import type Router from '@koa/router';
import type { ApiDeps } from '../api-deps.js';
import { parseIntegerParam, singleParam } from '../query-params.js';
import { loadBars, parseMarketQuery } from './market-query.js';

const MAX_LIMIT = 100_000;

/**
 * `GET /api/ohlc`: stored bars of an instrument, resampled to `interval` (default 1d). With
 * `limit`, only the latest `limit` bars of the range are returned, as a chart needs; without
 * it, all of them.
 */
export function registerOhlcRoute(router: Router, deps: ApiDeps): void {
  router.get('/api/ohlc', async (ctx) => {
    const query = parseMarketQuery(ctx.query, '1d');
    const limit = parseIntegerParam('limit', singleParam(ctx.query, 'limit'), { min: 1, max: MAX_LIMIT, fallback: Number.POSITIVE_INFINITY });
    const bars = await loadBars(deps, query);

    ctx.body = { instrument: query.instrument, intervalMs: query.intervalMs, bars: bars.slice(Math.max(0, bars.length - limit)) };
  });
}
