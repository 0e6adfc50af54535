import type Router from '@koa/router';
import type { ApiDeps } from '../api-deps.js';
import { computeIndicators, parseIndicators } from '../indicators.js';
import { requiredParam } from '../query-params.js';
import { loadBars, parseMarketQuery } from './market-query.js';

/**
 * `GET /api/technical-analysis`: indicators over the stored bars of an instrument, resampled
 * when `interval` is given. Each series is aligned with `times`.
 */
export function registerTechnicalAnalysisRoute(router: Router, deps: ApiDeps): void {
  router.get('/api/technical-analysis', async (ctx) => {
    const specs = parseIndicators(requiredParam(ctx.query, 'indicators'));
    const query = parseMarketQuery(ctx.query, undefined);
    // NOTE: indicators start from the first bar in the range, so each warms up inside it;
    // widen `from` by the longest period to get values from the first requested time.
    const bars = await loadBars(deps, query);

    ctx.body = {
      instrument: query.instrument,
      intervalMs: query.intervalMs,
      times: bars.map((bar) => bar.t),
      indicators: computeIndicators(specs, bars),
    };
  });
}
