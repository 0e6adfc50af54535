import { config } from 'rxjs';
import { toError } from '../errors.js';
import type { Logger } from '../observability/logger.js';

/**
 * Routes errors that RxJS cannot deliver (an error thrown by a plain observer, an error with no
 * error handler) to the log instead of rethrowing them on a timer, where they would crash Node.
 * RxJS has one such hook per process, so a later call replaces the logger of an earlier one.
 */
export function installUnhandledErrorHook(logger: Logger): void {
  config.onUnhandledError = (error: unknown) => {
    logger.error({ err: toError(error) }, 'unhandled error in an RxJS subscriber');
  };
}
