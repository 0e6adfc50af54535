/**
 * HTTP status of each error code the API returns. A TickflowError whose code is not listed
 * comes from a part of the engine that failed (the event log, the model cache), so it is
 * answered with 503; only errors that are not TickflowErrors are bugs and get 500.
 */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  'invalid-json': 400,
  'empty-body': 400,
  'non-finite-number': 400,
  'invalid-request': 400,
  'invalid-bars': 400,
  unauthorized: 401,
  'not-found': 404,
  'unknown-instrument': 404,
  'model-not-found': 404,
  'method-not-allowed': 405,
  'request-timeout': 408,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'too-few-bars': 422,
  'not-implemented': 501,
  'models-not-ready': 503,
};

export const DEPENDENCY_FAILURE_STATUS = 503;

export function statusOfCode(code: string): number {
  return STATUS_BY_CODE[code] ?? DEPENDENCY_FAILURE_STATUS;
}
