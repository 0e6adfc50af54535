import type Router from '@koa/router';
import * as t from 'io-ts';
import { NonEmptyString } from '../../../events/index.js';
import type { ApiDeps } from '../api-deps.js';
import { decodeInput } from '../decode-input.js';
import { optionalJson } from './trading-routes.js';

const ReloadRequest = t.partial({ modelId: NonEmptyString }, 'ReloadRequest');

/** `POST /api/models/reload`: swaps in the model files on disk, one model or all of them. */
export function registerModelsRoute(router: Router, deps: ApiDeps): void {
  router.post('/api/models/reload', async (ctx) => {
    const request = decodeInput(ReloadRequest, await optionalJson(deps, ctx), 'reload request');

    await deps.ports.models.reload(request.modelId);
    deps.logger.info({ modelId: request.modelId ?? 'all', requestId: ctx.state.requestId }, 'models reloaded through the REST API');
    ctx.body = { models: deps.ports.models.list() };
  });
}
