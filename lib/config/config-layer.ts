/**
 * Settings from one source (a file, the environment, the command line), with where each
 * value came from, so an error found after merging can name the source of the bad value.
 */
export interface ConfigLayer {
  /** Name of the whole source: a file path, `environment` or `command line`. */
  readonly name: string;
  readonly values: Record<string, unknown>;
  /** Dotted setting path to the value's origin: `env PORT`, `flag --port`, `file:line:col`. */
  readonly origins: ReadonlyMap<string, string>;
}

/** Sets a value at a dotted path, creating the objects on the way. */
export function setAtPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;

  for (const key of keys.slice(0, -1)) {
    const child = node[key];

    if (!isPlainObject(child)) {
      node[key] = {};
    }

    node = node[key] as Record<string, unknown>;
  }

  node[keys[keys.length - 1]] = value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
