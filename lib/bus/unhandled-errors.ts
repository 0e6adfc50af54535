import { config } from 'rxjs';
import { toError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

let installed = false;

/**
 * Routes errors that RxJS cannot deliver (an error thrown by a plain observer, an error with no
 * error handler) to the log instead of rethrowing them on a timer, where they would crash Node.
 * Installed once per process: later calls keep the first logger.
 */
export function installUnhandledErrorHook(logger: Logger): void {
  if (installed) {
    return;
  }

  installed = true;
  config.onUnhandledError = (error: unknown) => {
    logger.error({ err: toError(error) }, 'unhandled error in an RxJS subscriber');
  };
}
