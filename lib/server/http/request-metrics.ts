import type { Middleware } from 'koa';
import { randomUUID } from 'node:crypto';
import type { ServerMetrics } from '../server-metrics.js';

/**
 * Gives each request an id (`X-Request-Id`) and records its count and latency by route. The
 * route is the matched pattern, never the raw path, so unknown paths cannot grow the label set.
 */
export function requestMetrics(metrics: ServerMetrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();

    ctx.state.requestId = randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId as string);

    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';

      metrics.observeRequest(ctx.method, route, ctx.status, seconds);
    }
  };
}
