import type { Middleware } from 'koa';
import type { ApiKeyCheck } from '../auth/api-key-check.js';
import { HttpError } from './http-error.js';

/**
 * Requires `Authorization: Bearer KEY` on `/api/` and `/metrics` when keys are configured;
 * `/health` and `/ready` stay open for load balancers. A missing and a wrong key get the same 401, so the answer reveals nothing about the keys.
 */
export function apiKeyMiddleware(keys: ApiKeyCheck): Middleware {
  return async (ctx, next) => {
    const protectedPath = ctx.path.startsWith('/api/') || ctx.path === '/metrics';

    if (keys.required && protectedPath && !keys.acceptsHeader(ctx.get('Authorization') || undefined)) {
      throw new HttpError('unauthorized', 'a valid API key is required', {}, { 'WWW-Authenticate': 'Bearer' });
    }

    await next();
  };
}
