import { nearestKey } from '../nearest-key.js';

/** A key of a request object or client frame that the API does not define. */
export interface UnknownField {
  /** Path of the key, such as `bars[2].clsoe` or `policy.polcy`. */
  readonly path: string;
  readonly key: string;
  /** The nearest defined key, when one is close enough to be a likely misspelling. */
  readonly suggestion?: string;
  readonly known: readonly string[];
}

/**
 * Returns the first own key of an object that is not in `known`, or undefined when there is
 * none or the value is not a plain object. io-ts `t.strict` strips such keys silently, so a
 * misspelt optional field ("fliter") would otherwise be ignored.
 */
export function findUnknownField(value: unknown, known: readonly string[], path = ''): UnknownField | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return undefined;
  }

  for (const key of Object.keys(value)) {
    if (known.includes(key)) {
      continue;
    }

    const suggestion = nearestKey(key, known);

    return { path: path === '' ? key : `${path}.${key}`, key, known, ...(suggestion === undefined ? {} : { suggestion }) };
  }

  return undefined;
}

/** Formats an unknown field as `unknown field "fliter"; did you mean "filter"? Known fields: ...`, for error messages. */
export function describeUnknownField(field: UnknownField): string {
  const hint = field.suggestion === undefined ? '.' : `; did you mean "${field.suggestion}"?`;

  return `unknown field ${JSON.stringify(field.path)}${hint} Known fields: ${field.known.join(', ')}`;
}

/** Details of an `unknown-field` error: the field's path and the nearest defined key, if any. */
export function unknownFieldDetails(field: UnknownField): Record<string, unknown> {
  return { field: field.path, ...(field.suggestion === undefined ? {} : { suggestion: field.suggestion }) };
}
