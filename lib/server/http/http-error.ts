import { TickflowError } from '../../errors.js';

/** A TickflowError that also sets response headers, such as `Retry-After` or `Connection: close`. */
export class HttpError extends TickflowError {
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    super(code, message, details);
    this.name = 'HttpError';
    this.headers = headers;
  }
}
