import { isRight } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { formatValidationErrors, ValidationIssue } from '../events/index.js';

export type DecodeOutcome<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly issues: ValidationIssue[] };

/**
 * Decodes a value read from YAML. YAML's core schema turns some plain scalars into numbers or
 * booleans (`0123` becomes 123, `true` a boolean, and under YAML 1.1 `NO` is false and `09:30`
 * is 570). Where the codec rejects such a value, the scalar's source text is tried in its place,
 * and kept when the codec accepts it there, so a field that expects a string gets what the
 * user wrote.
 *
 * `plainTextOf` returns the source text of a plain scalar at a path relative to the value.
 */
export function decodeWithSourceText<A>(codec: t.Decoder<unknown, A>, value: unknown, plainTextOf: (path: string) => string | undefined): DecodeOutcome<A> {
  const first = codec.decode(value);

  if (isRight(first)) {
    return { ok: true, value: first.right };
  }

  const issues = formatValidationErrors(first.left);
  const candidates = issues.map((issue) => issue.path).filter((path) => plainTextOf(path) !== undefined);

  if (candidates.length === 0) {
    return { ok: false, issues };
  }

  const retried = structuredClone(value);

  for (const path of candidates) {
    setAtPath(retried, path, plainTextOf(path));
  }

  return keepAccepted(codec, value, retried, candidates);
}

/** Decodes with the source texts in place, then puts back the original value wherever the text did not help either. */
function keepAccepted<A>(codec: t.Decoder<unknown, A>, original: unknown, retried: unknown, candidates: readonly string[]): DecodeOutcome<A> {
  const second = codec.decode(retried);

  if (isRight(second)) {
    return { ok: true, value: second.right };
  }

  const stillFailing = new Set(formatValidationErrors(second.left).map((issue) => issue.path));

  for (const path of candidates) {
    if (stillFailing.has(path)) {
      setAtPath(retried, path, getAtPath(original, path));
    }
  }

  const third = codec.decode(retried);

  return isRight(third) ? { ok: true, value: third.right } : { ok: false, issues: formatValidationErrors(third.left) };
}

/** Splits `a.b[2].c` into `['a', 'b', 2, 'c']`. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];

  for (const part of path.split('.')) {
    const match = /^([^[]*)((\[\d+\])*)$/.exec(part);

    if (match === null) {
      segments.push(part);
      continue;
    }

    if (match[1] !== '') {
      segments.push(match[1]);
    }

    for (const index of match[2].matchAll(/\[(\d+)\]/g)) {
      segments.push(Number(index[1]));
    }
  }

  return segments;
}

function getAtPath(root: unknown, path: string): unknown {
  let current = root;

  for (const segment of pathSegments(path)) {
    current = (current as Record<string | number, unknown> | null | undefined)?.[segment];
  }

  return current;
}

function setAtPath(root: unknown, path: string, value: unknown): void {
  const segments = pathSegments(path);
  const last = segments.pop();
  const parent = segments.length === 0 ? root : getAtPath(root, joinSegments(segments));

  if (last !== undefined && typeof parent === 'object' && parent !== null) {
    (parent as Record<string | number, unknown>)[last] = value;
  }
}

function joinSegments(segments: readonly (string | number)[]): string {
  return segments.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
