/** A value met during the walk, with its parent so its path is built only when needed. */
interface Visit {
  readonly value: unknown;
  readonly key: string | number | undefined;
  readonly parent: Visit | undefined;
}

/**
 * Returns the path of the first number that is not finite in a parsed JSON value, or undefined
 * when there is none. JSON.parse turns a literal such as `1e400` into Infinity without an error.
 * The walk uses an explicit stack, so no nesting depth can overflow the call stack.
 */
export function findNonFiniteNumber(value: unknown): string | undefined {
  const pending: Visit[] = [{ value, key: undefined, parent: undefined }];

  while (pending.length > 0) {
    const visit = pending.pop() as Visit;

    if (typeof visit.value === 'number' && !Number.isFinite(visit.value)) {
      return pathOf(visit);
    }

    // Children are pushed last first, so they are visited in document order.
    const children = childrenOf(visit);

    for (let i = children.length - 1; i >= 0; i--) {
      pending.push(children[i]);
    }
  }

  return undefined;
}

function childrenOf(parent: Visit): Visit[] {
  const value = parent.value;

  if (Array.isArray(value)) {
    return value.map((entry: unknown, index) => ({ value: entry, key: index, parent }));
  }

  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).map(([key, entry]) => ({ value: entry, key, parent }));
  }

  return [];
}

/** Formats a path as `bars[2].open`. */
function pathOf(visit: Visit): string {
  const keys: (string | number)[] = [];

  for (let current: Visit | undefined = visit; current?.key !== undefined; current = current.parent) {
    keys.push(current.key);
  }

  let path = '';

  for (const key of keys.reverse()) {
    if (typeof key === 'number') {
      path += `[${key}]`;
    } else {
      path += path === '' ? key : `.${key}`;
    }
  }

  return path;
}
