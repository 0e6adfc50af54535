/**
 * Reports whether a parsed JSON value nests arrays and objects more than `limit` levels deep.
 * A scalar is at depth 0 and `[]` or `{}` at depth 1. The walk uses an explicit stack, because
 * JSON.parse accepts nesting far deeper than the call stack allows recursive code to follow.
 */
export function exceedsDepth(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];

  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };

    if (typeof current !== 'object' || current === null) {
      continue;
    }

    if (depth + 1 > limit) {
      return true;
    }

    for (const child of Object.values(current)) {
      pending.push({ value: child, depth: depth + 1 });
    }
  }

  return false;
}
