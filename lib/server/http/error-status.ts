/**
 * HTTP status of each error code the API returns, including the codes of the engine parts the
 * routes call (the event log query, the model cache). A TickflowError whose code is not listed
 * comes from a part of the engine that failed (event log writes, model files on disk), so it
 * gets 503. Only errors that are not TickflowErrors are bugs and get 500. The table is a Map,
 * so a code such as "constructor" finds nothing instead of an Object.prototype member.
 */
const STATUS_BY_CODE: ReadonlyMap<string, number> = new Map([
  ['invalid-json', 400],
  ['empty-body', 400],
  ['body-too-deep', 400],
  ['non-finite-number', 400],
  ['invalid-request', 400],
  ['unknown-field', 400],
  ['invalid-bars', 400],
  ['request-aborted', 400],
  // Event log query: a cursor or limit the client made up.
  ['invalid-cursor', 400],
  ['invalid-limit', 400],
  // Model cache: a model id with characters outside the allowed set, such as "../x".
  ['model-id-invalid', 400],
  ['unauthorized', 401],
  ['not-found', 404],
  ['unknown-instrument', 404],
  ['model-not-found', 404],
  ['model-file-missing', 404],
  ['method-not-allowed', 405],
  ['request-timeout', 408],
  ['payload-too-large', 413],
  ['unsupported-media-type', 415],
  ['too-few-bars', 422],
  ['not-implemented', 501],
  ['model-output-invalid', 502],
  ['models-not-ready', 503],
]);

export const DEPENDENCY_FAILURE_STATUS = 503;

export function statusOfCode(code: string): number {
  return STATUS_BY_CODE.get(code) ?? DEPENDENCY_FAILURE_STATUS;
}
