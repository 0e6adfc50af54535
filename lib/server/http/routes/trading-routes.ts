import type Router from '@koa/router';
import * as t from 'io-ts';
import type { ApiDeps } from '../api-deps.js';
import { decodeInput, rejectUnknownFields } from '../decode-input.js';

const HaltRequest = t.partial({ reason: t.string }, 'HaltRequest');
const HALT_KEYS = Object.keys(HaltRequest.props);
const DEFAULT_HALT_REASON = 'halted through the REST API';

/** `GET /api/positions`, `POST /api/risk/halt` and `POST /api/risk/resume`. */
export function registerTradingRoutes(router: Router, deps: ApiDeps): void {
  router.get('/api/positions', async (ctx) => {
    ctx.body = { positions: await deps.ports.positions.positions() };
  });

  router.post('/api/risk/halt', async (ctx) => {
    const body = await optionalJson(deps, ctx);

    rejectUnknownFields(body, HALT_KEYS);

    const request = decodeInput(HaltRequest, body, 'halt request');
    const reason = request.reason ?? DEFAULT_HALT_REASON;

    await deps.ports.risk.halt(reason);
    deps.logger.warn({ reason, requestId: ctx.state.requestId }, 'trading halted through the REST API');
    ctx.body = { halted: deps.ports.risk.halted, reason };
  });

  router.post('/api/risk/resume', async (ctx) => {
    await deps.ports.risk.resume();
    deps.logger.warn({ requestId: ctx.state.requestId }, 'trading resumed through the REST API');
    ctx.body = { halted: deps.ports.risk.halted };
  });
}

/** Reads a body that may be left out: no body at all is an empty object. */
export async function optionalJson(deps: ApiDeps, ctx: Parameters<ApiDeps['readJson']>[0]): Promise<unknown> {
  const length = ctx.get('Content-Length');
  const chunked = ctx.get('Transfer-Encoding') !== '';

  if (!chunked && (length === '' || length === '0')) {
    return {};
  }

  return deps.readJson(ctx);
}
