import type { Middleware } from 'koa';
import { TickflowError, toError } from '../../errors.js';
import type { Logger } from '../../observability/logger.js';
import { errorBody } from './error-body.js';
import { HttpError } from './http-error.js';
import { statusOfCode } from './error-status.js';

/**
 * Turns every error thrown below it into a JSON error body, and any 404 no route handled into
 * one too. A TickflowError keeps its code, message and details; anything else is a bug, logged
 * with its stack and answered with 500 and the request id only, so no stack or internal message
 * reaches the client.
 */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();

      if (ctx.status === 404 && ctx.body === undefined) {
        throw new TickflowError('not-found', `no route for ${ctx.method} ${ctx.path}`, { method: ctx.method, path: ctx.path });
      }
    } catch (caught) {
      const requestId = String(ctx.state.requestId ?? '');

      if (caught instanceof TickflowError) {
        respondWithTickflowError(ctx, caught, logger, requestId);
        return;
      }

      logger.error({ err: toError(caught), requestId, method: ctx.method, path: ctx.path }, 'request failed with an unexpected error');
      ctx.status = 500;
      ctx.body = errorBody('internal-error', `internal error; the server log has the details under request id ${requestId}`);
    }
  };
}

function respondWithTickflowError(ctx: Parameters<Middleware>[0], error: TickflowError, logger: Logger, requestId: string): void {
  const status = statusOfCode(error.code);

  if (status >= 500) {
    logger.warn({ err: error, requestId, method: ctx.method, path: ctx.path }, 'request failed');
  }

  ctx.status = status;
  ctx.body = errorBody(error.code, error.message, error.details);

  for (const [name, value] of Object.entries(headersOf(error))) {
    ctx.set(name, value);
  }
}

/** Response headers an error requires. */
function headersOf(error: TickflowError): Readonly<Record<string, string>> {
  return error instanceof HttpError ? error.headers : {};
}
