/**
 * Returns the path of the first number that is not finite in a parsed JSON value, or undefined
 * when there is none. JSON.parse turns a literal such as `1e400` into Infinity without an error.
 */
export function findNonFiniteNumber(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : path;
  }

  if (Array.isArray(value)) {
    return findInArray(value, path);
  }

  if (typeof value === 'object' && value !== null) {
    return findInObject(value as Record<string, unknown>, path);
  }

  return undefined;
}

function findInArray(values: readonly unknown[], path: string): string | undefined {
  for (let i = 0; i < values.length; i++) {
    const found = findNonFiniteNumber(values[i], `${path}[${i}]`);

    if (found !== undefined) {
      return found;
    }
  }

  return undefined;
}

function findInObject(record: Record<string, unknown>, path: string): string | undefined {
  for (const [key, entry] of Object.entries(record)) {
    const found = findNonFiniteNumber(entry, path === '' ? key : `${path}.${key}`);

    if (found !== undefined) {
      return found;
    }
  }

  return undefined;
}
