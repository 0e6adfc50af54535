import cors from '@koa/cors';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { Registry } from '../../observability/metrics.js';
import type { ApiKeyCheck } from '../auth/api-key-check.js';
import type { ApiDeps } from './api-deps.js';
import { apiKeyMiddleware } from './api-key-middleware.js';
import { errorMiddleware } from './error-middleware.js';
import { HttpError } from './http-error.js';
import { readJsonBody } from './read-json-body.js';
import { requestMetrics } from './request-metrics.js';
import { registerEventsRoute } from './routes/events-route.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerModelsRoute } from './routes/models-route.js';
import { registerOhlcRoute } from './routes/ohlc-route.js';
import { registerPredictRoute } from './routes/predict-route.js';
import { registerTechnicalAnalysisRoute } from './routes/technical-analysis-route.js';
import { registerTradingRoutes } from './routes/trading-routes.js';

export type AppDeps = Omit<ApiDeps, 'readJson'> & { readonly keys: ApiKeyCheck; readonly registry: Registry };

/** Builds the Koa application: middleware, API routes, then the extra routes the engine mounts. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  const router = new Router();
  const options = deps.options;
  const apiDeps: ApiDeps = {
    ...deps,
    readJson: (ctx: Context) => readJsonBody(ctx.req, { limitBytes: options.bodyLimitBytes, timeoutMs: options.readTimeoutMs }),
  };

  app.silent = true;
  app.use(requestMetrics(deps.metrics));
  app.use(errorMiddleware(deps.logger));

  if (options.corsOrigins.length > 0) {
    app.use(cors({ origin: (ctx) => (options.corsOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : '') }));
  }

  app.use(apiKeyMiddleware(deps.keys));

  registerHealthRoutes(router, apiDeps, deps.registry);
  registerPredictRoute(router, apiDeps);
  registerOhlcRoute(router, apiDeps);
  registerTechnicalAnalysisRoute(router, apiDeps);
  registerEventsRoute(router, apiDeps);
  registerTradingRoutes(router, apiDeps);
  registerModelsRoute(router, apiDeps);
  deps.ports.extraRoutes?.({ app, router });

  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new HttpError('method-not-allowed', 'method not allowed on this path'),
      notImplemented: () => new HttpError('not-implemented', 'method not implemented'),
    }),
  );

  return app;
}
