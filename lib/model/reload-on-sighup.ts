import { toError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { ModelCache } from './model-cache.js';

/**
 * Reloads every loaded model when the process gets SIGHUP. A failed reload is logged and the
 * old versions keep serving. Returns the function that removes the handler.
 */
export function installReloadOnSighup(cache: ModelCache, logger: Logger): () => void {
  const handler = (): void => {
    logger.info('SIGHUP received: reloading models');

    cache.reload().catch((error: unknown) => {
      logger.error({ err: toError(error) }, 'model reload failed; the previous versions keep serving');
    });
  };

  process.on('SIGHUP', handler);

  return () => {
    process.off('SIGHUP', handler);
  };
}
