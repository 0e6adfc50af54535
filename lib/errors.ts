/**
 * Base class of every error tickflow raises on purpose. The code is stable and meant for
 * programs (REST error bodies, WebSocket error frames, exit paths); the details hold the ids
 * involved, so a log line or a response can name them without parsing the message.
 */
export class TickflowError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TickflowError';
    this.code = code;
    this.details = details;
  }
}

/** Returns true when the value is a TickflowError with the given code. */
export function hasErrorCode(value: unknown, code: string): value is TickflowError {
  return value instanceof TickflowError && value.code === code;
}

/** Turns anything thrown into an Error, so loggers always get a message and a stack. */
export function toError(value: unknown): Error {
  if (value instanceof Error) {
    return value;
  }

  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
