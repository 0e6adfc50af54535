/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

export function errorBody(code: string, message: string, details?: Readonly<Record<string, unknown>>): ErrorBody {
  const hasDetails = details !== undefined && Object.keys(details).length > 0;

  return { error: hasDetails ? { code, message, details } : { code, message } };
}
