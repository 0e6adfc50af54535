import type Router from '@koa/router';
import type { Registry } from '../../../observability/metrics.js';
import type { ApiDeps } from '../api-deps.js';

/** `GET /health` (the process answers), `GET /ready` (503 until everything runs) and `GET /metrics`. */
export function registerHealthRoutes(router: Router, deps: ApiDeps, registry: Registry): void {
  router.get('/health', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/ready', (ctx) => {
    const readiness = deps.ports.readiness;
    const checks = {
      modelsLoaded: readiness.modelsLoaded(),
      logWritable: readiness.logWritable(),
      pipelinesRunning: readiness.pipelinesRunning(),
    };
    const ready = Object.values(checks).every(Boolean);

    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not-ready', checks };

    if (!ready) {
      ctx.set('Retry-After', String(deps.options.retryAfterSeconds));
    }
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });
}
