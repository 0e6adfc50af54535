import type Router from '@koa/router';
import * as t from 'io-ts';
import { TickflowError } from '../../../errors.js';
import { NonEmptyString } from '../../../events/index.js';
import type { ApiDeps } from '../api-deps.js';
import { decodeInput, rejectUnknownFields } from '../decode-input.js';
import { optionalJson } from './trading-routes.js';

const ReloadRequest = t.partial({ modelId: NonEmptyString }, 'ReloadRequest');
const RELOAD_KEYS = Object.keys(ReloadRequest.props);

/** Codes of model cache errors whose messages name files on the server. */
const FILE_ERROR_CODES = new Set(['model-file-missing', 'model-file-invalid', 'model-hash-mismatch', 'model-output-invalid']);

/** `POST /api/models/reload`: swaps in the model files on disk, one model or all of them. */
export function registerModelsRoute(router: Router, deps: ApiDeps): void {
  router.post('/api/models/reload', async (ctx) => {
    const body = await optionalJson(deps, ctx);

    rejectUnknownFields(body, RELOAD_KEYS);

    const request = decodeInput(ReloadRequest, body, 'reload request');

    await reload(deps, request.modelId, ctx.state.requestId);
    deps.logger.info({ modelId: request.modelId ?? 'all', requestId: ctx.state.requestId }, 'models reloaded through the REST API');
    ctx.body = { models: deps.ports.models.list() };
  });
}

/**
 * Reloads the models. A model file error is logged with its path, and the response names only
 * the model id, so the client does not learn the layout of the server's disk.
 */
async function reload(deps: ApiDeps, modelId: string | undefined, requestId: unknown): Promise<void> {
  try {
    await deps.ports.models.reload(modelId);
  } catch (error) {
    if (!(error instanceof TickflowError) || !FILE_ERROR_CODES.has(error.code)) {
      throw error;
    }

    const failedId = typeof error.details.modelId === 'string' ? error.details.modelId : (modelId ?? 'unknown');

    deps.logger.warn({ err: error, requestId, modelId: failedId }, 'reloading a model failed');
    throw new TickflowError(error.code, fileErrorMessage(error.code, failedId), { modelId: failedId });
  }
}

function fileErrorMessage(code: string, modelId: string): string {
  if (code === 'model-file-missing') {
    return `model "${modelId}" not found: no model files for it in the models folder; train it with \`tickflow train\``;
  }

  if (code === 'model-output-invalid') {
    return `model "${modelId}" gave no finite volatility above zero on its warm-up window, so it was not swapped in and any version already loaded keeps serving; retrain it with \`tickflow train --instrument ${modelId}\``;
  }

  return `the files of model "${modelId}" are invalid; the server log has the details; train or copy the model again`;
}
