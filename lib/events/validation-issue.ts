import * as t from 'io-ts';

/** One problem found while decoding input, in the form every boundary reports. */
export interface ValidationIssue {
  /** Dotted path with array indexes in brackets: `stages[2].batch.maxSize`; empty for the root. */
  readonly path: string;
  /** The name of the codec that rejected the value, such as `PositiveNumber`. */
  readonly expected: string;
  /** The rejected value as short JSON text; `undefined` when the field is missing. */
  readonly received: string;
}

const MAX_RECEIVED_LENGTH = 120;

/**
 * Turns io-ts errors into a list of issues, one per failing leaf. Union members that fail in
 * the same place collapse into one issue listing every expected alternative.
 */
export function formatValidationErrors(errors: t.Errors): ValidationIssue[] {
  const byPath = new Map<string, { expected: Set<string>; received: string }>();

  for (const error of errors) {
    const path = pathOf(error.context);
    const leaf = error.context[error.context.length - 1];
    const expected = error.message ?? leaf?.type.name ?? 'unknown';
    const entry = byPath.get(path) ?? { expected: new Set<string>(), received: describeValue(error.value) };

    entry.expected.add(expected);
    byPath.set(path, entry);
  }

  return [...byPath.entries()].map(([path, entry]) => ({
    path,
    expected: [...entry.expected].join(' | '),
    received: entry.received,
  }));
}

/** Builds the `a.b[2].c` path of a decoding context, skipping the anonymous union and intersection levels. */
export function pathOf(context: t.Context): string {
  let path = '';

  for (let i = 1; i < context.length; i++) {
    const entry = context[i];
    const parent = context[i - 1];

    if (isTransparent(parent.type)) {
      continue;
    }

    path += isArrayLike(parent.type) ? `[${entry.key}]` : path === '' ? entry.key : `.${entry.key}`;
  }

  return path;
}

/** Renders a value for an error message: JSON where possible, cut to a readable length. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }

  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }

  let text: string;

  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }

  return text.length > MAX_RECEIVED_LENGTH ? `${text.slice(0, MAX_RECEIVED_LENGTH)}...` : text;
}

/** Formats issues as one line each: `path: expected X, received Y`. */
export function issuesToText(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: expected ${issue.expected}, received ${issue.received}`).join('; ');
}

/** Unions and intersections add a context entry per member, keyed by the member's index, which is not part of the field path. */
function isTransparent(type: t.Decoder<unknown, unknown>): boolean {
  return type instanceof t.UnionType || type instanceof t.IntersectionType;
}

function isArrayLike(type: t.Decoder<unknown, unknown>): boolean {
  return type instanceof t.ArrayType || type instanceof t.ReadonlyArrayType || type instanceof t.TupleType;
}
